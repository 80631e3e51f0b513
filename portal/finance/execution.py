"""Monthly execution read back: year to date against the budget and past years, the
projected close, the indicators at the close and the early warning (told to the council by
:mod:`portal.finance.warning_jobs`).

The arithmetic lives in :mod:`portal.finance.seasonal` and :mod:`portal.finance.early_warning`;
this module gathers the figures (published data only unless told otherwise) and flushes
nothing. Amounts are grouped by rubro (the part of the code before the first dot).
"""
from decimal import Decimal

from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import Membership, User
from portal.core.publication import PUBLISHED
from portal.extensions import db
from portal.finance import classifier as classifiers
from portal.finance import early_warning, ratios, seasonal, services
from portal.finance.execution_models import ExecutionMonth, ExecutionYear
from portal.finance.models import ProjectedLine, Scenario

PHASES = ("accrued", "cash")
COUNCIL_ROLES = ("admin", "publisher", "editor")
INVESTMENT = "inversion"


def execution_years(municipality, published_only: bool = True) -> list[ExecutionYear]:
    stmt = (select(ExecutionYear).where(ExecutionYear.municipality_id == municipality.id)
            .options(selectinload(ExecutionYear.months)).order_by(ExecutionYear.year))
    if published_only:
        stmt = stmt.where(ExecutionYear.status == PUBLISHED)
    return list(db.session.execute(stmt).scalars())


def monthly_series(municipality, published_only: bool = True) -> tuple[dict, dict]:
    """``({year: {rubro: {"accrued": {month: amount}, "cash": {month: amount}}}}, {year: status})``
    in one plain query; a month any code of the year reports is present (zero) for every
    rubro of that year."""
    stmt = (select(ExecutionYear.year, ExecutionYear.status, ExecutionMonth.month, ExecutionMonth.code,
                   ExecutionMonth.accrued, ExecutionMonth.cash)
            .outerjoin(ExecutionMonth, ExecutionMonth.execution_year_id == ExecutionYear.id)
            .where(ExecutionYear.municipality_id == municipality.id).order_by(ExecutionYear.year))
    if published_only:
        stmt = stmt.where(ExecutionYear.status == PUBLISHED)
    out, statuses, months = {}, {}, {}
    for year, status, month, code, accrued, cash in db.session.execute(stmt):
        statuses[year] = status
        rubros = out.setdefault(year, {})
        if month is None:
            continue
        months.setdefault(year, set()).add(month)
        phases = rubros.setdefault(classifiers.rubro_of(code), {p: {} for p in PHASES})
        for phase, value in zip(PHASES, (accrued, cash)):
            if value is not None:
                phases[phase][month] = phases[phase].get(month, Decimal(0)) + value
    for year, rubros in out.items():
        for phases in rubros.values():
            for phase in PHASES:
                for month in months.get(year, ()):
                    phases[phase].setdefault(month, Decimal(0))
    return out, statuses


def budget_reference(municipality, year: int) -> tuple[dict, dict | None]:
    """The year's budget per rubro and where it comes from: the published budget year
    (modified where stated, else approved) or, without one, the first published scenario
    projecting that year. ``({}, None)`` when neither exists."""
    row = services.get_year(municipality, year)
    if row is not None:
        use_modified = any(line.modified is not None for line in row.lines)
        amounts = {}
        for line in row.lines:
            value = line.modified if use_modified else line.approved
            if value is not None:
                rubro = classifiers.rubro_of(line.code)
                amounts[rubro] = amounts.get(rubro, Decimal(0)) + value
        if amounts:
            return amounts, {"kind": "budget", "name": str(year)}
    rows = db.session.execute(
        select(Scenario.id, Scenario.name, ProjectedLine.code, ProjectedLine.amount)
        .join(ProjectedLine, ProjectedLine.scenario_id == Scenario.id)
        .where(Scenario.municipality_id == municipality.id, Scenario.status == PUBLISHED, ProjectedLine.year == year)
        .order_by(Scenario.name, ProjectedLine.code)).all()
    if not rows:
        return {}, None
    first_id, first_name = rows[0].id, rows[0].name
    amounts = {}
    for row in rows:
        if row.id == first_id:
            rubro = classifiers.rubro_of(row.code)
            amounts[rubro] = amounts.get(rubro, Decimal(0)) + row.amount
    return amounts, {"kind": "scenario", "name": first_name, "id": first_id}


def _sum_series(parts: list[dict]) -> dict:
    out = {}
    for series in parts:
        for month, value in series.items():
            out[month] = out.get(month, Decimal(0)) + value
    return out


def report(municipality, year: int | None = None, month: int | None = None, published_only: bool = True):
    """Everything the execution page, the API and the warning e-mail show; None without data.

    ``year`` defaults to the latest year with execution, ``month`` to its latest month."""
    data, statuses = monthly_series(municipality, published_only)
    if not data:
        return None
    year = year if year in data else (None if year is not None else max(data))
    if year is None:
        return None
    months = sorted({m for phases in data[year].values() for m in phases["accrued"]})
    if not months:
        return None
    month = month if month in months else months[-1]
    past_years = [y for y in sorted(data) if y < year]
    cls = services.classifier_for(municipality)
    budget, source = budget_reference(municipality, year)
    rubros = sorted(set(data[year]) | set(budget), key=lambda c: [x.code for x in cls.codes].index(c)
                    if cls.get(c) else 999)
    items = []
    for rubro in rubros:
        entry = cls.get(rubro)
        phases = data[year].get(rubro, {p: {} for p in PHASES})
        past = {y: data[y].get(rubro, {p: {} for p in PHASES}) for y in past_years}
        forecasts = {p: seasonal.forecast(phases[p], month, {y: past[y][p] for y in past_years}) for p in PHASES}
        items.append({
            "code": rubro, "name": entry.name if entry else rubro, "kind": entry.kind if entry else "",
            "aggregates": entry.aggregates if entry else (), "budget": budget.get(rubro),
            "accrued": forecasts["accrued"].year_to_date, "cash": forecasts["cash"].year_to_date,
            "execution": ratios.ratio(forecasts["accrued"].year_to_date, budget.get(rubro)),
            "past": {y: seasonal.to_date(past[y]["accrued"], month) if past[y]["accrued"] else None
                     for y in past_years},
            "forecast": forecasts["accrued"], "forecast_cash": forecasts["cash"],
            "series": phases, "past_series": past,
        })
    totals = {}
    for kind in (classifiers.INCOME, classifiers.EXPENSE):
        part = [i for i in items if i["kind"] == kind]
        budget_total = sum((i["budget"] for i in part if i["budget"] is not None), Decimal(0)) if part else None
        forecast = seasonal.add([i["forecast"] for i in part])
        totals[kind] = {
            "budget": budget_total if any(i["budget"] is not None for i in part) else None,
            "accrued": sum((i["accrued"] for i in part), Decimal(0)),
            "cash": sum((i["cash"] for i in part), Decimal(0)),
            "past": {y: sum((i["past"][y] or 0 for i in part), Decimal(0)) if any(i["past"][y] is not None
                                                                              for i in part) else None
                     for y in past_years},
            "forecast": forecast}
        totals[kind]["execution"] = ratios.ratio(totals[kind]["accrued"], totals[kind]["budget"])
    investment = _investment(items, month, past_years)
    projected, last_closed = _indicators(municipality, cls, year, items)
    warnings = early_warning.indicator_warnings(month, projected, last_closed)
    behind = early_warning.investment_warning(month, investment["accrued"], investment["budget"],
                                              investment["expected"], _("Ejecución de la inversión"))
    if behind is not None:
        warnings.append(behind)
    return {"year": year, "month": month, "months": months, "years": sorted(data),
            "past_years": past_years, "source": source, "items": items, "totals": totals,
            "investment": investment, "indicators": projected, "warnings": warnings,
            "published": statuses[year] == PUBLISHED}


def _investment(items, month, past_years) -> dict:
    part = [i for i in items if INVESTMENT in i["aggregates"]]
    series = _sum_series([i["series"]["accrued"] for i in part])
    past = {y: _sum_series([i["past_series"][y]["accrued"] for i in part]) for y in past_years}
    expected = seasonal.forecast(series, month, past).mean_share if month < 12 else Decimal(1)
    budget = sum((i["budget"] for i in part if i["budget"] is not None), Decimal(0)) \
        if any(i["budget"] is not None for i in part) else None
    accrued = seasonal.to_date(series, month)
    return {"accrued": accrued, "budget": budget, "expected": expected, "execution": ratios.ratio(accrued, budget)}


def _indicators(municipality, cls, year, items):
    """The catalog's indicators at the projected close (budget as presupuestado, the
    projected closes as devengado and percibido, the year's published facts) and in the
    last closed year (None when it has no published data)."""
    row = services.get_year(municipality, year)
    facts = {f.name: f.value for f in row.facts} if row is not None else {}
    lines = tuple(ratios.Line(i["code"], i["name"], approved=i["budget"],
                              accrued=_close(i["forecast"]), cash=_close(i["forecast_cash"])) for i in items)
    the_series = services.series(municipality)
    current = ratios.variables(cls, ratios.YearData(year, lines, facts))
    previous = ratios.variables(cls, the_series.data.get(year - 1))
    definitions = services.catalog(municipality)
    projected = ratios.compute(definitions, year, current, previous)
    last_closed = services.indicators(municipality, year - 1, the_series=the_series, definitions=definitions)
    return projected, last_closed


def _close(forecast: seasonal.Forecast) -> Decimal:
    """The projected close, or the year to date when nothing can be projected."""
    return forecast.close if forecast.close is not None else forecast.year_to_date


def month_name(month) -> str:
    """The month's name in the reader's language (``3`` -> ``marzo``)."""
    return get_month_names("wide", context="stand-alone", locale=get_locale())[int(month)]


def council(municipality) -> list[str]:
    """The e-mail addresses of the municipality's staff told of warnings."""
    stmt = (select(User.email).join(Membership, Membership.user_id == User.id)
            .where(Membership.municipality_id == municipality.id, Membership.role.in_(COUNCIL_ROLES))
            .distinct().order_by(User.email))
    return list(db.session.execute(stmt).scalars())


def dataset_rows(municipality):
    """The open dataset ``ejecucion-mensual``: one row per published year, month and code,
    amounts of that month half-up to the cent (empty when not reported)."""
    stmt = (select(ExecutionYear.year, ExecutionMonth.month, ExecutionMonth.code, ExecutionMonth.accrued,
                   ExecutionMonth.cash)
            .join(ExecutionYear, ExecutionYear.id == ExecutionMonth.execution_year_id)
            .where(ExecutionMonth.municipality_id == municipality.id, ExecutionYear.status == PUBLISHED)
            .order_by(ExecutionYear.year, ExecutionMonth.month, ExecutionMonth.code))
    for year, month, code, accrued, cash in db.session.execute(stmt):
        yield {"year": year, "month": month, "code": code, "rubro": classifiers.rubro_of(code),
               "accrued": seasonal.cents(accrued), "cash": seasonal.cents(cash), "currency": municipality.currency}
