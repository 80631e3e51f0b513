"""What the pages and the API show, composed from :mod:`services` (read only).

Each function takes the municipality first, runs a constant number of queries however
many lines there are, and returns plain dicts for templates and JSON."""
from sqlalchemy import select

from portal.extensions import db
from portal.finance import classifier as classifiers
from portal.finance import projections, ratios, services
from portal.finance.models import ProjectedLine, Scenario

STATUS_BANDS = {ratios.MEETS: "alto", ratios.FAILS: "bajo", ratios.NO_THRESHOLD: "none",
                ratios.NOT_COMPUTABLE: "none"}


PHASES = ("approved", "modified", "accrued", "cash")
LINE_PHASES = ("approved", "accrued", "cash")  # the phases a budget line carries
TREND_COLUMNS = ("income_approved", "income_accrued", "income_cash", "expense_approved", "expense_accrued")


def figures_first(rows, keys) -> list[str]:
    """``keys`` ordered by how many of ``rows`` (objects or dicts) have a figure there, most
    first; ties keep their order. A phone shows a wide table's first columns: they should
    be the ones with figures, not a column of "—" (a municipality that publishes only
    what it spent and collected)."""
    def value(row, key):
        return row.get(key) if isinstance(row, dict) else getattr(row, key, None)
    count = {key: sum(value(row, key) is not None for row in rows) for key in keys}
    return sorted(keys, key=lambda key: -count[key])


def scenario_years(municipality) -> dict[int, list[int]]:
    rows = db.session.execute(select(ProjectedLine.scenario_id, ProjectedLine.year).distinct()
                              .join(Scenario, Scenario.id == ProjectedLine.scenario_id)
                              .where(ProjectedLine.municipality_id == municipality.id)).all()
    out = {}
    for scenario_id, year in rows:
        out.setdefault(scenario_id, []).append(year)
    return {k: sorted(v) for k, v in out.items()}


def budget_page(municipality, year: int | None = None) -> dict | None:
    rows = [r for r in services.budget_years(municipality) if r.lines or r.facts]
    if not rows:
        return {"rows": [], "row": None}
    with_lines = [r for r in rows if r.lines] or rows
    row = next((r for r in rows if r.year == year), None) if year else with_lines[-1]
    if row is None:
        return None
    budget = services.budget(municipality, row)
    trend = services.trend(municipality, rows)
    return {"rows": rows, "row": row, "budget": budget, "trend": trend,
            "phases": {"income": figures_first(budget["income"], PHASES),
                       "expense": figures_first(budget["expense"], PHASES),
                       "lines": figures_first(row.lines, LINE_PHASES)},
            "trend_columns": figures_first(trend, TREND_COLUMNS)}


def dashboard(municipality, year: int | None = None, scenario_name: str | None = None) -> dict | None:
    scenario = None
    if scenario_name:
        scenario = services.get_scenario(municipality, name=scenario_name)
        if scenario is None:
            return None
    the_series = services.series(municipality, scenario)
    years = the_series.years
    if not years:
        return {"years": [], "results": None, "year": None, "scenario": scenario,
                "scenarios": services.scenarios(municipality)}
    if year is None:
        year = max(years) if scenario is None else min(the_series.projected or years)
    if year not in the_series.data:
        return None
    results = services.indicators(municipality, year, the_series=the_series)
    return {"years": years, "year": year, "results": results, "scenario": scenario,
            "projected": year in the_series.projected, "scenarios": services.scenarios(municipality)}


def indicator_page(municipality, code: str, year: int | None = None) -> dict | None:
    definition = services.definition(municipality, code)
    if definition is None:
        return None
    rows = services.budget_years(municipality)
    actual = services.series(municipality, rows=rows)
    history = services.history(municipality, code, actual, definition)
    projected = []
    for full in services.scenarios(municipality, full=True):
        the_series = services.series(municipality, full, rows=rows)
        results = services.history(municipality, code, the_series, definition)
        projected.append((full, [r for r in results if r.year in the_series.projected]))
    chosen = next((r for r in history if r.year == year), None) if year else \
        next((r for r in reversed(history) if r.value is not None), history[-1] if history else None)
    return {"definition": definition, "history": history, "projected": projected, "chosen": chosen}


def scenario_page(municipality, scenario_id: int) -> dict | None:
    scenario = services.get_scenario(municipality, scenario_id=scenario_id)
    if scenario is None:
        return None
    rows = services.budget_years(municipality)
    the_series = services.series(municipality, scenario, rows=rows)
    actual = services.series(municipality, rows=rows)
    years = sorted(the_series.projected)
    cls = services.classifier_for(municipality)
    table = {}
    for line in scenario.lines:
        entry = table.setdefault(line.code, {"code": line.code, "name": line.name, "amounts": {}})
        entry["amounts"][line.year] = projections.cents(line.amount)
    order = {c.code: i for i, c in enumerate(cls.codes)}
    lines = sorted(table.values(), key=lambda e: (order.get(classifiers.rubro_of(e["code"]), 999), e["code"]))
    definitions = services.catalog(municipality)
    by_year = {y: services.indicators(municipality, y, the_series=the_series, definitions=definitions)
               for y in years}
    comparison = {y: services.indicators(municipality, y, the_series=actual, definitions=definitions)
                  for y in years if y in actual.data}
    return {"scenario": scenario, "years": years, "lines": lines, "by_year": by_year,
            "definitions": definitions, "comparison": comparison, "totals": _totals(cls, the_series, years)}


def _totals(cls, the_series, years):
    out = {}
    for year in years:
        values = ratios.variables(cls, the_series.data[year])
        out[year] = {"income": projections.cents(values.get("ingresos_totales_devengado")),
                     "expense": projections.cents(values.get("egresos_totales_devengado"))}
    return out


def result_dict(result: ratios.Result) -> dict:
    from portal.core.api import dec

    definition = result.definition
    return {"code": definition.code, "name": definition.name, "year": result.year, "value": dec(result.value),
            "unit": definition.unit, "display": definition.display, "threshold": dec(definition.threshold),
            "direction": definition.direction, "ideal": definition.ideal, "status": result.status,
            "reason": result.reason, "formula": definition.formula, "formula_with_values": result.plugged,
            "inputs": {k: dec(v) for k, v in result.inputs.items()}}


def indicator_file_row(result: ratios.Result) -> dict:
    """An indicator as a CSV/XLSX row: value and threshold rounded to the places their
    display states (:func:`ratios.rounded`), as numbers; the API keeps them exact."""
    row = result_dict(result)
    display = result.definition.display
    row.update(value=ratios.rounded(result.value, display), threshold=ratios.rounded(result.definition.threshold, display))
    return row


def line_rows(municipality, row) -> list[dict]:
    cls = services.classifier_for(municipality)
    out = []
    for line in row.lines:
        entry = cls.get(classifiers.rubro_of(line.code))
        out.append({"year": row.year, "code": line.code, "name": line.name,
                    "rubro": classifiers.rubro_of(line.code), "kind": entry.kind if entry else "",
                    "approved": projections.cents(line.approved), "modified": projections.cents(line.modified),
                    "accrued": projections.cents(line.accrued), "cash": projections.cents(line.cash),
                    "tags": line.tags})
    return out

