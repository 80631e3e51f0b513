"""Reading each indicator's latest and previous published value for one municipality
from the other domains' services (used by :func:`portal.compare.services.refresh`,
never by a page: it runs queries per municipality).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import url_for

from portal.compare.metrics import METRICS

FINANCE_OWN_REVENUE = ("ingresos_propios_devengado", "ingresos_propios_percibido")
FINANCE_BUDGET = ("egresos_totales_presupuestado", "egresos_totales_modificado", "egresos_totales_devengado")


@dataclass(frozen=True)
class Collected:
    period: str
    value: Decimal
    previous_period: str = ""
    previous_value: Decimal | None = None
    data_date: date | None = None
    verified: bool = True
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class FinanceCapacity:
    year: int | None = None
    own_revenue: Decimal | None = None
    budget: Decimal | None = None


def _first(values: dict, names) -> Decimal | None:
    for name in names:
        if values.get(name) is not None:
            return values[name]
    return None


def finance(municipality) -> tuple[dict, FinanceCapacity]:
    """Finance metrics over published actual years, and the latest year's own revenue and budget."""
    from portal.finance import ratios
    from portal.finance import services as fin

    series = fin.series(municipality)
    if not series.years:
        return {}, FinanceCapacity()
    classifier = fin.classifier_for(municipality)
    capacity = FinanceCapacity()
    for year in reversed(series.years):
        values = ratios.variables(classifier, series.data[year])
        own, budget = _first(values, FINANCE_OWN_REVENUE), _first(values, FINANCE_BUDGET)
        if own is not None or budget is not None:
            capacity = FinanceCapacity(year, own, budget)
            break
    by_year = {year: {r.code: r.value for r in fin.indicators(municipality, year, the_series=series)}
               for year in series.years}
    out = {}
    for metric in METRICS:
        if metric.family != "finance":
            continue
        years = [y for y in reversed(series.years) if by_year[y].get(metric.finance_code) is not None]
        if not years:
            continue
        year = years[0]
        previous = by_year.get(year - 1, {}).get(metric.finance_code)
        out[metric.key] = Collected(
            str(year), by_year[year][metric.finance_code], str(year - 1) if previous is not None else "", previous,
            date(year, 12, 31), url=url_for("finance.indicator", slug=municipality.slug, code=metric.finance_code, year=year,
                        _external=False))
    return out, capacity


def diagnostic(municipality) -> dict:
    """The area-weighted mean score of the latest published assessment and the one before."""
    from portal.diagnostic import scoring
    from portal.diagnostic import services as diag

    results = diag.published_results(municipality)

    def overall(result):
        return scoring.weighted_mean((result.rollup.areas[a.code].score, a.weight)
                                     for a in result.catalog.areas if a.code in result.rollup.areas)
    scored = [(r, overall(r)) for r in results]
    scored = [(r, v) for r, v in scored if v is not None]
    if not scored:
        return {}
    result, value = scored[-1]
    before = scored[-2] if len(scored) > 1 else (None, None)
    return {"diagnostic.global": Collected(
        result.assessment.date.isoformat(), value,
        before[0].assessment.date.isoformat() if before[0] else "", before[1], result.assessment.date,
        verified=not result.unverified, detail=result.assessment.title or "",
        url=url_for("diagnostic.overview", slug=municipality.slug, assessment=result.assessment.id, _external=False))}


def complaints(municipality, today: date) -> dict:
    from portal.diagnostic.sources import read

    current = read("complaints.resolved_on_time", municipality, today)
    if current is None:
        return {}
    earlier = today - timedelta(days=365)
    previous = read("complaints.resolved_on_time", municipality, earlier)
    return {"complaints.resolved_on_time": Collected(
        today.isoformat(), current.value, earlier.isoformat() if previous else "",
        previous.value if previous else None, today, detail=current.detail, url=current.url or "")}


def surveys(municipality, today: date) -> dict:
    from portal.diagnostic.sources import read
    from portal.participation.surveys import services as surveys_

    closed = sorted((s for s in surveys_.public_surveys(municipality) if s.is_closed(today) and s.close_date <= today),
                    key=lambda s: (s.close_date, s.id), reverse=True)
    found = []
    for survey in closed:  # latest first
        # a survey counts as closed the day after its closing date
        value = read("surveys.services_satisfaction", municipality, survey.close_date + timedelta(days=1))
        if value is not None and value.url and all(v.url != value.url for _, v in found):
            found.append((survey, value))
        if len(found) == 2:
            break
    if not found:
        return {}
    survey, value = found[0]
    before = found[1] if len(found) > 1 else (None, None)
    return {"surveys.services_satisfaction": Collected(
        survey.close_date.isoformat(), value.value, before[0].close_date.isoformat() if before[0] else "",
        before[1].value if before[1] else None, survey.close_date, detail=value.detail, url=value.url or "")}


def participation(municipality) -> dict:
    """Ballots per inhabitant in the latest published participatory-budget process with ballots."""
    from portal.participation.budgeting import services as pb

    if not municipality.population:
        return {}
    found = []
    for process in pb.processes(municipality):
        ballots = pb.turnout(municipality, process)["ballots"]
        if ballots:
            when = process.voting_close or process.results_date
            found.append((process, Decimal(ballots) / Decimal(municipality.population), when))
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


def everything(municipality, today: date) -> tuple[dict, FinanceCapacity]:
    values, capacity = finance(municipality)
    values.update(diagnostic(municipality))
    values.update(complaints(municipality, today))
    values.update(surveys(municipality, today))
    values.update(participation(municipality))
    return values, capacity
