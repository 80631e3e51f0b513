"""What finance publishes to the rest of the portal: the rows of its open datasets and
its values for the comparisons.

Rows are plain dicts keyed by the English column names of the datasets in
:mod:`portal.finance.manifest`, read through :mod:`portal.finance.services` (published
data only), so a download shows the same figures as the page and the API. Budget lines
are read with ``yield_per`` so that memory stays flat however many rows.
"""
from datetime import date

from flask import url_for
from sqlalchemy import select

from portal.core.database import BATCH, stream
from portal.core.publication import PUBLISHED
from portal.core.registry import Capacity, Collected
from portal.finance import classifier as classifiers
from portal.finance import ratios, reports
from portal.finance import services as finance
from portal.finance.models import BudgetLine, BudgetYear
from portal.finance.projections import cents

# Budget phases: the portal's phase -> (Fiscal Data Package phase, local name for revenue, for expenditure).
PHASES = (
    ("approved", "approved", "presupuestado", "presupuestado"),
    ("modified", "adjusted", "modificado", "modificado"),
    ("accrued", "executed", "devengado", "devengado"),
    ("cash", "executed", "percibido", "pagado"),
)
DIRECTIONS = {"income": "revenue", "expense": "expenditure"}
OWN_REVENUE = ("ingresos_propios_devengado", "ingresos_propios_percibido")
BUDGET = ("egresos_totales_presupuestado", "egresos_totales_modificado", "egresos_totales_devengado")


def budget_lines(municipality):
    """Long format: one row per year, line and phase with an amount (empty phases are left out)."""
    cls = finance.classifier_for(municipality)
    stmt = (select(BudgetYear.year, BudgetLine.code, BudgetLine.name, BudgetLine.approved, BudgetLine.modified,
                   BudgetLine.accrued, BudgetLine.cash)
            .join(BudgetYear, BudgetYear.id == BudgetLine.budget_year_id)
            .where(BudgetLine.municipality_id == municipality.id, BudgetYear.status == PUBLISHED)
            .order_by(BudgetYear.year, BudgetLine.id).execution_options(yield_per=BATCH))
    for year, code, name, *amounts in stream(stmt):
        rubro = classifiers.rubro_of(code)
        entry = cls.get(rubro)
        kind = entry.kind if entry else ""
        for (phase, fdp_phase, revenue_name, expense_name), amount in zip(PHASES, amounts):
            if amount is None:
                continue
            yield {"year": year, "direction": DIRECTIONS.get(kind, ""), "phase": fdp_phase,
                   "local_phase": expense_name if kind == "expense" else revenue_name, "phase_code": phase,
                   "code": code, "name": name, "rubro": rubro, "amount": cents(amount),
                   "currency": municipality.currency}


def financial_indicators(municipality):
    """Every indicator for every year with figures (actual series, not scenarios)."""
    rows = finance.budget_years(municipality)
    if not rows:
        return
    the_series = finance.series(municipality, rows=rows)
    definitions = finance.catalog(municipality)
    for year in the_series.years:
        for result in finance.indicators(municipality, year, the_series=the_series, definitions=definitions):
            item = reports.result_dict(result)
            yield {**{key: item[key] for key in ("year", "code", "name", "value", "unit", "threshold", "direction",
                                                 "status", "reason", "formula")}, "_display": item["display"]}


def indicator_file_row(row: dict) -> dict:
    """A financial indicator row as the CSV/XLSX files write it: value and threshold
    rounded to the places the indicator is shown with (the JSON API keeps them exact)."""
    display = row.get("_display", "")
    return {**row, "value": ratios.rounded(row.get("value"), display),
            "threshold": ratios.rounded(row.get("threshold"), display)}


def _first(values: dict, names):
    return next((values[name] for name in names if values.get(name) is not None), None)


def capacity(municipality) -> Capacity:
    """The latest published year with own revenue or a budget (for the peer groups)."""
    series = finance.series(municipality)
    classifier = finance.classifier_for(municipality)
    for year in reversed(series.years):
        values = ratios.variables(classifier, series.data[year])
        own, budget = _first(values, OWN_REVENUE), _first(values, BUDGET)
        if own is not None or budget is not None:
            return Capacity(year, own, budget)
    return Capacity()


def comparison_values(municipality, today: date, metrics) -> dict:
    """Each finance metric's latest published actual year and the year before."""
    series = finance.series(municipality)
    if not series.years:
        return {}
    by_year = {year: {r.code: r.value for r in finance.indicators(municipality, year, the_series=series)}
               for year in series.years}
    out = {}
    for metric in metrics:
        years = [y for y in reversed(series.years) if by_year[y].get(metric.finance_code) is not None]
        if not years:
            continue
        year = years[0]
        previous = by_year.get(year - 1, {}).get(metric.finance_code)
        out[metric.key] = Collected(
            str(year), by_year[year][metric.finance_code], str(year - 1) if previous is not None else "", previous,
            date(year, 12, 31), url=url_for("finance.indicator", slug=municipality.slug, code=metric.finance_code,
                                               year=year, _external=False))
    return out


def fiscal_package(municipality) -> dict:
    """What the Data Package of a fiscal dataset adds (Fiscal Data Package; the
    ``columnType`` of each field is its column's ``column_type``): the country, the fiscal
    period of the published years and an OpenSpending model naming measures and
    dimensions."""
    first, last = finance.published_year_range(municipality)
    out = {"countryCode": municipality.country,
           "model": {
               "measures": {"amount": {"source": "monto", "currency": municipality.currency}},
               "dimensions": {
                   "date": {"attributes": {"year": {"source": "anio"}}, "primaryKey": "year",
                            "dimensionType": "datetime"},
                   "direction": {"attributes": {"direction": {"source": "direccion"}}, "primaryKey": "direction",
                                 "dimensionType": "fact"},
                   "phase": {"attributes": {"phase": {"source": "fase"}, "local_phase": {"source": "fase_local"}},
                             "primaryKey": "phase", "dimensionType": "fact"},
                   "economic-classification": {
                       "attributes": {"code": {"source": "codigo"}, "label": {"source": "nombre", "labelfor": "code"},
                                      "rubro": {"source": "rubro"}},
                       "primaryKey": "code", "dimensionType": "classification",
                       "classificationType": "economic"}}}}
    if first is not None:
        out["fiscalPeriod"] = {"start": f"{first}-01-01", "end": f"{last}-12-31"}
    return out
