"""What participatory budgeting publishes to the rest of the portal: the rows of its open
datasets and the turnout for the comparisons."""
from datetime import date
from decimal import Decimal

from flask import url_for

from portal.core.api import dec
from portal.core.registry import Collected
from portal.participation.budgeting import services


def results(municipality):
    """Every published count of every published process: one row per project."""
    for process in services.processes(municipality):
        for result in services.results(municipality, process):
            for line in result.lines:
                yield {"process_id": process.id, "process": process.title, "year": process.year,
                       "rule": result.rule, "official": result.rule == process.rule,
                       "project": line.project.ref, "title": line.project.title, "cost": dec(line.project.cost),
                       "district": line.project.district, "votes": line.votes, "score": line.score,
                       "selected": line.selected, "reason_code": line.reason}


def ballots(municipality):
    """Anonymized ballots (a running number per process, never the voter): the choices as
    the pabulib ``vote`` column writes them, the channel and the district."""
    for process in services.processes(municipality):
        if not services.results(municipality, process):
            continue  # ballots are published with the results
        for number, (choices, channel, district) in enumerate(services.ballots(municipality, process), 1):
            yield {"process_id": process.id, "ballot": number, "choices": choices, "channel": channel,
                   "district": district}


def comparison_values(municipality, today: date, metrics) -> dict:
    """Ballots per inhabitant in the latest published process with ballots, and the one before."""
    if not municipality.population:
        return {}
    found = []
    for process in services.processes(municipality):
        count = services.turnout(municipality, process)["ballots"]
        if count:
            when = process.voting_close or process.results_date
            found.append((process, Decimal(count) / Decimal(municipality.population), when))
    found.sort(key=lambda item: (item[2] or date.min, item[0].id), reverse=True)
    if not found:
        return {}
    process, value, when = found[0]
    before = found[1] if len(found) > 1 else (None, None, None)

    def label(p, w):
        return str(p.year or (w.year if w else "")) or p.title[:20]
    return {"participation.turnout": Collected(
        label(process, when), value, label(before[0], before[2]) if before[0] else "", before[1], when,
        detail=process.title[:300], url=url_for("budgeting.index", slug=municipality.slug, _external=False))}
