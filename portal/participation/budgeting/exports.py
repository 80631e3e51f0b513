"""What participatory budgeting publishes to the rest of the portal: the rows of its open
datasets and the turnout for the comparisons."""
from datetime import date, timedelta
from decimal import Decimal

from flask import url_for
from flask_babel import gettext as _

from portal.core.api import dec
from portal.core.ical import Event, span
from portal.core.registry import Collected, Happening
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


# ---- calendar --------------------------------------------------------------------------

def process_events(process, url: str) -> list[Event]:
    """The dated phases of a participatory-budgeting process (its iCalendar events)."""
    base, title = f"budgeting-process-{process.id}", process.title
    review_start = process.proposals_close + timedelta(days=1) if process.proposals_close else None
    if review_start and process.review_close and review_start > process.review_close:
        review_start = process.review_close
    return [
        *span(f"{base}-proposals", _("Propuestas: %(title)s", title=title), process.proposals_open,
              process.proposals_close, _("Los vecinos presentan proyectos."), url),
        *span(f"{base}-review", _("Revisión de propuestas: %(title)s", title=title),
              review_start if process.review_close else None, process.review_close,
              _("La municipalidad revisa la viabilidad y el costo de las propuestas."), url),
        *span(f"{base}-voting", _("Votación: %(title)s", title=title), process.voting_open, process.voting_close,
              _("Los vecinos votan por los proyectos."), url),
        *span(f"{base}-results", _("Resultados: %(title)s", title=title), process.results_date, None,
              _("Se publican los proyectos elegidos."), url),
        *span(f"{base}-execution", _("Inicio de la ejecución: %(title)s", title=title), process.execution_start,
              None, _("La municipalidad empieza a ejecutar los proyectos elegidos."), url),
    ]


def calendar_events(municipality) -> list[Event]:
    """Every process's dated phases."""
    return [e for p in services.processes(municipality)
            for e in process_events(p, url_for("budgeting.process", process_id=p.id, _external=True))]


def highlights(municipality, limit: int) -> list[Happening]:
    """The dated phases of the latest ``limit`` published processes, for the home."""
    out = []
    for process in services.latest_published(municipality, limit):
        url = url_for("budgeting.process", slug=municipality.slug, process_id=process.id, _external=True)
        phases = [(_("Propuestas"), process.proposals_open, process.proposals_close),
                  (_("Votación"), process.voting_open, process.voting_close),
                  (_("Resultados"), process.results_date, None),
                  (_("Ejecución"), process.execution_start, None)]
        out += [Happening(f"{process.title}: {label}", start, end, url,
                          _("Presupuesto participativo de %(name)s: %(phase)s.", name=municipality.name, phase=label))
                for label, start, end in phases if start is not None]
    return out
