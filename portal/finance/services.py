"""Use cases of public finances. Every function takes the municipality first and
only flushes; views and the CLI commit."""
import dataclasses
import os
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.audit.services import append, number_text, set_note
from portal.core.publication import PUBLISHED
from portal.extensions import db
from portal.finance import classifier as classifiers
from portal.finance import wording
from portal.finance import projections, ratios, variables
from portal.finance.models import (BudgetLine, BudgetYear, Fact, IndicatorDefinition, ProjectedLine,
                                   ProjectionRule, Scenario, ScenarioFact)

PP_TAG = "presupuesto_participativo"


class FinanceError(ValueError):
    """A use case cannot go ahead; the message says why (Spanish)."""


def published_year_range(municipality) -> tuple[int | None, int | None]:
    """The first and last published budget years of ``municipality`` (None, None without any)."""
    return tuple(db.session.execute(select(func.min(BudgetYear.year), func.max(BudgetYear.year)).where(
        BudgetYear.municipality_id == municipality.id, BudgetYear.status == PUBLISHED)).one())


def classifier_for(municipality) -> classifiers.Classifier:
    """The classifier of the municipality's country: ``FINANCE_CLASSIFIER_DIR`` (default
    ``instance/classifiers``) may hold ``classifier_<cc>.csv`` files for other countries."""
    from flask import current_app

    folder = current_app.config.get("FINANCE_CLASSIFIER_DIR") or os.path.join(current_app.instance_path, "classifiers")
    return classifiers.for_country(municipality.country, folder)


def save_definitions(municipality, definitions: list[ratios.Definition]) -> list[IndicatorDefinition]:
    """Add or replace catalog indicators: the council's (municipality given) or national
    ones (``municipality`` None). Definitions are validated by :func:`ratios.load_catalog`."""
    municipality_id = municipality.id if municipality is not None else None
    stmt = select(IndicatorDefinition).where(
        IndicatorDefinition.municipality_id.is_(None) if municipality_id is None
        else IndicatorDefinition.municipality_id == municipality_id)
    existing = {row.code: row for row in db.session.execute(stmt).scalars()}
    out = []
    for d in definitions:
        row = existing.get(d.code) or IndicatorDefinition(municipality_id=municipality_id, code=d.code)
        row.name, row.formula, row.unit, row.display = d.name, d.formula, d.unit, d.display
        row.direction, row.threshold, row.ideal = d.direction, d.threshold, d.ideal
        db.session.add(row)
        out.append(row)
    db.session.flush()
    return out


def catalog(municipality) -> list[ratios.Definition]:
    """The default catalog plus what a national body (no municipality) or the council added."""
    rows = db.session.execute(
        select(IndicatorDefinition).where((IndicatorDefinition.municipality_id == municipality.id)
                                          | IndicatorDefinition.municipality_id.is_(None))
        .order_by(IndicatorDefinition.municipality_id.is_(None).desc(), IndicatorDefinition.id)).scalars()
    out = {d.code: d for d in ratios.DEFAULT_CATALOG}
    for row in rows:
        out[row.code] = ratios.Definition(row.code, row.name, row.formula, row.unit, row.display, row.direction,
                                          row.threshold, row.ideal)
    # The default catalog's words in the reader's language (a council's own names stay as written).
    return [dataclasses.replace(d, name=variables.catalog_text(d.name), ideal=variables.catalog_text(d.ideal))
            for d in out.values()]


def definition(municipality, code: str) -> ratios.Definition | None:
    return next((d for d in catalog(municipality) if d.code == code), None)


# --- reading -----------------------------------------------------------------------

def budget_years(municipality, published_only: bool = True) -> list[BudgetYear]:
    """Every year with its lines and facts (three queries however many lines)."""
    stmt = (select(BudgetYear).where(BudgetYear.municipality_id == municipality.id)
            .options(selectinload(BudgetYear.lines), selectinload(BudgetYear.facts)).order_by(BudgetYear.year))
    if published_only:
        stmt = stmt.where(BudgetYear.status == PUBLISHED)
    return list(db.session.execute(stmt).scalars())


def get_year(municipality, year: int, published_only: bool = True) -> BudgetYear | None:
    stmt = select(BudgetYear).where(BudgetYear.municipality_id == municipality.id, BudgetYear.year == year)
    if published_only:
        stmt = stmt.where(BudgetYear.status == PUBLISHED)
    return db.session.execute(stmt).scalar_one_or_none()


def has_published(municipality) -> bool:
    return db.session.execute(select(BudgetYear.id).where(
        BudgetYear.municipality_id == municipality.id, BudgetYear.status == PUBLISHED).limit(1)).first() is not None


def year_data(row: BudgetYear) -> ratios.YearData:
    lines = tuple(ratios.Line(line.code, line.name, line.approved, line.modified, line.accrued, line.cash,
                              line.tag_list) for line in row.lines)
    return ratios.YearData(row.year, lines, {f.name: f.value for f in row.facts})


def scenarios(municipality, published_only: bool = True, full: bool = False) -> list[Scenario]:
    stmt = select(Scenario).where(Scenario.municipality_id == municipality.id).order_by(Scenario.name)
    if full:
        stmt = stmt.options(selectinload(Scenario.lines), selectinload(Scenario.facts))
    if published_only:
        stmt = stmt.where(Scenario.status == PUBLISHED)
    return list(db.session.execute(stmt).scalars())


def get_scenario(municipality, *, name: str | None = None, scenario_id: int | None = None,
                 published_only: bool = True, full: bool = True) -> Scenario | None:
    stmt = select(Scenario).where(Scenario.municipality_id == municipality.id)
    stmt = stmt.where(Scenario.id == scenario_id) if scenario_id is not None else stmt.where(Scenario.name == name)
    if published_only:
        stmt = stmt.where(Scenario.status == PUBLISHED)
    if full:
        stmt = stmt.options(selectinload(Scenario.lines), selectinload(Scenario.facts), selectinload(Scenario.rules))
    return db.session.execute(stmt).scalar_one_or_none()


def scenario_data(scenario: Scenario) -> dict[int, ratios.YearData]:
    """Projected lines per year as year data: one amount stands for every phase."""
    lines, facts = {}, {}
    for line in scenario.lines:
        lines.setdefault(line.year, []).append(
            ratios.Line(line.code, line.name, line.amount, line.amount, line.amount, line.amount, line.tag_list))
    for fact in scenario.facts:
        facts.setdefault(fact.year, {})[fact.name] = fact.value
    return {year: ratios.YearData(year, tuple(lines.get(year, ())), facts.get(year, {}))
            for year in sorted(set(lines) | set(facts))}


@dataclass
class Series:
    """Year data for actual years, overlaid by a scenario's projected years when given."""
    data: dict
    projected: set

    @property
    def years(self):
        return sorted(self.data)


def series(municipality, scenario: Scenario | None = None, published_only: bool = True,
           rows: list | None = None) -> Series:
    rows = budget_years(municipality, published_only) if rows is None else rows
    data = {row.year: year_data(row) for row in rows}
    projected = set()
    if scenario is not None:
        for year, item in scenario_data(scenario).items():
            data[year] = item
            projected.add(year)
    for source in FACT_SOURCES:  # facts other modules derive (loans: portal.finance.debt_services)
        data = source(municipality, data, published_only)
    return Series(data, projected)


# Functions (municipality, {year: YearData}, published_only) -> {year: YearData} that add
# derived facts to actual and projected years; facts entered by hand stay as they are.
FACT_SOURCES: list = []


def indicators(municipality, year: int, *, scenario: Scenario | None = None, published_only: bool = True,
               the_series: Series | None = None, definitions=None) -> list[ratios.Result] | None:
    """Every indicator of the catalog for ``year`` (None when the year has no data)."""
    the_series = the_series or series(municipality, scenario, published_only)
    if year not in the_series.data:
        return None
    cls = classifier_for(municipality)
    current = ratios.variables(cls, the_series.data[year])
    previous = ratios.variables(cls, the_series.data.get(year - 1))
    return ratios.compute(definitions or catalog(municipality), year, current, previous)


def history(municipality, code: str, the_series: Series, definition_: ratios.Definition) -> list[ratios.Result]:
    cls = classifier_for(municipality)
    out = []
    for year in the_series.years:
        current = ratios.variables(cls, the_series.data[year])
        previous = ratios.variables(cls, the_series.data.get(year - 1))
        out.append(ratios.compute([definition_], year, current, previous)[0])
    return out


@dataclass(frozen=True)
class RubroRow:
    code: str
    name: str
    kind: str
    approved: Decimal | None
    modified: Decimal | None
    accrued: Decimal | None
    cash: Decimal | None

    @property
    def execution(self):
        """Accrued over approved (the modified budget when there is one)."""
        return ratios.ratio(self.accrued, self.modified if self.modified is not None else self.approved)

    @property
    def cash_rate(self):
        return ratios.ratio(self.cash, self.accrued)


def _total(rows, kind):
    picked = [r for r in rows if r.kind == kind]
    values = {}
    for attr in ratios.PHASES.values():
        present = [getattr(r, attr) for r in picked if getattr(r, attr) is not None]
        values[attr] = sum(present, Decimal(0)) if present else None
    return RubroRow("", "", kind, **values)


def budget(municipality, row: BudgetYear) -> dict:
    """A year's budget by rubro: income and expenses, phases, totals, execution rates."""
    cls = classifier_for(municipality)
    rubros = []
    for code, totals in ratios.rubro_totals(cls, row.lines).items():
        entry = cls.get(code)
        rubros.append(RubroRow(code, entry.name if entry else code, entry.kind if entry else "", **totals))
    income = [r for r in rubros if r.kind == classifiers.INCOME]
    expense = [r for r in rubros if r.kind == classifiers.EXPENSE]
    return {"income": income, "expense": expense, "income_total": _total(rubros, classifiers.INCOME),
            "expense_total": _total(rubros, classifiers.EXPENSE), "lines": row.lines, "facts": row.facts}


def trend(municipality, rows: list[BudgetYear]) -> list[dict]:
    """Per year: income and expense totals per phase (for the multi-year chart)."""
    cls = classifier_for(municipality)
    out = []
    for row in rows:
        values = ratios.variables(cls, year_data(row))
        out.append({"year": row.year,
                    "income_accrued": values.get("ingresos_totales_devengado"),
                    "income_cash": values.get("ingresos_totales_percibido"),
                    "income_approved": values.get("ingresos_totales_presupuestado"),
                    "expense_accrued": values.get("egresos_totales_devengado"),
                    "expense_approved": values.get("egresos_totales_presupuestado")})
    return out


# --- writing -----------------------------------------------------------------------

def ensure_year(municipality, year: int) -> BudgetYear:
    row = get_year(municipality, year, published_only=False)
    if row is None:
        row = BudgetYear(municipality_id=municipality.id, year=year)
        db.session.add(row)
        db.session.flush()
    return row


def publish_year(municipality, row: BudgetYear) -> None:
    if row.municipality_id != municipality.id:
        raise FinanceError(_l("el año no pertenece a este municipio"))
    if row.status == PUBLISHED:
        return
    row.publish()
    db.session.flush()
    _record_contents(municipality, "BudgetYear", row.id, str(row.year),
                     {f"{line.code}": [None, _line_text(line)] for line in row.lines}
                     | {f"hecho:{f.name}": [None, number_text(f.value)] for f in row.facts})


def withdraw_year(municipality, row: BudgetYear, reason: str) -> None:
    """Take a published year back to draft: it leaves the public pages, and the change
    record keeps who did it, when and why (``reason``)."""
    if row.municipality_id != municipality.id:
        raise FinanceError(_l("El año no pertenece a este municipio."))
    if row.status != PUBLISHED:
        return
    set_note(db.session, reason)
    row.unpublish()
    db.session.flush()


def publish_scenario(municipality, scenario: Scenario) -> None:
    if scenario.municipality_id != municipality.id:
        raise FinanceError(_l("el escenario no pertenece a este municipio"))
    if scenario.status == PUBLISHED:
        return
    scenario.publish()
    db.session.flush()
    _record_contents(municipality, "Scenario", scenario.id, scenario.name,
                     {f"{line.year}:{line.code}": [None, number_text(line.amount)] for line in scenario.lines})


def _line_text(line) -> str:
    return " / ".join("" if v is None else number_text(v) for v in (line.approved, line.modified, line.accrued, line.cash))


def _record_contents(municipality, object_type, object_id, label, changes):
    """Publishing a year or scenario records what it holds (its lines were drafts until now)."""
    append(db.session, municipality_id=municipality.id, action="publish_contents", section="finance",
           object_type=object_type, object_id=object_id, summary=label, changes=changes)


def set_line(municipality, row: BudgetYear, code: str, name: str, amounts: dict, tags=()) -> BudgetLine:
    line = next((l for l in row.lines if l.code == code), None)
    if line is None:
        line = BudgetLine(municipality_id=municipality.id, code=code, budget_year=row)
        db.session.add(line)
    line.name = name
    for attr in ratios.PHASES.values():
        if attr in amounts:
            setattr(line, attr, amounts[attr])
    line.tags = " ".join(dict.fromkeys(tags))
    return line


def set_fact(municipality, row: BudgetYear, name: str, value: Decimal) -> Fact:
    fact = next((f for f in row.facts if f.name == name), None)
    if fact is None:
        fact = Fact(municipality_id=municipality.id, name=name, budget_year=row)
        db.session.add(fact)
    fact.value = value
    return fact


def ensure_scenario(municipality, name: str, base_year: int | None = None, description: str = "") -> Scenario:
    scenario = get_scenario(municipality, name=name, published_only=False)
    if scenario is None:
        scenario = Scenario(municipality_id=municipality.id, name=name, base_year=base_year, description=description)
        db.session.add(scenario)
        db.session.flush()
    elif base_year is not None:
        scenario.base_year = base_year
    return scenario


def ensure_investment_line(municipality, *, year: int, code: str, name: str, approved: Decimal,
                           tags: tuple = (PP_TAG,)) -> BudgetLine:
    """An investment line (rubro 61) for a participatory-budget project; idempotent by
    (municipality, year, code). ``code`` looks like ``61.PP.<n>``."""
    cls = classifier_for(municipality)
    problem = wording.code_problem(cls, code)
    if problem or classifiers.rubro_of(code) != "61":
        raise FinanceError(problem or _l("una línea de inversión va bajo el rubro 61"))
    row = ensure_year(municipality, year)
    line = db.session.execute(select(BudgetLine).where(
        BudgetLine.municipality_id == municipality.id, BudgetLine.budget_year_id == row.id,
        BudgetLine.code == code)).scalar_one_or_none()
    if line is None:
        line = BudgetLine(municipality_id=municipality.id, budget_year=row, code=code)
        db.session.add(line)
    line.name = name[:200]
    line.approved = Decimal(approved)
    line.tags = " ".join(dict.fromkeys([*line.tag_list, *tags]))
    db.session.flush()
    return line


def base_amounts(row: BudgetYear) -> tuple[dict, dict, dict]:
    """The base year's amount per line (accrued, else cash, modified, approved), names and tags."""
    amounts, names, tags = {}, {}, {}
    for line in row.lines:
        value = next((v for v in (line.accrued, line.cash, line.modified, line.approved) if v is not None), None)
        if value is not None:
            amounts[line.code] = value
            names[line.code] = line.name
            tags[line.code] = line.tags
    return amounts, names, tags


def run_projection(municipality, scenario_name: str, base_year: int, rules: list[projections.Rule],
                   publish: bool = False, description: str = "") -> Scenario:
    """Replace the scenario's rules and projected lines with those the rules give."""
    base_row = get_year(municipality, base_year, published_only=False)
    if base_row is None or not base_row.lines:
        raise FinanceError(_l("el año base %(year)s no tiene líneas", year=base_year))
    cls = classifier_for(municipality)
    for rule in rules:
        problem = wording.rule_or_code_problem(cls, rule)
        if problem:
            raise FinanceError(_l("%(code)s: %(problem)s", code=rule.code, problem=problem))
    amounts, names, tags = base_amounts(base_row)
    history = {}
    for row in budget_years(municipality, published_only=False):
        if row.year < base_year:
            history[row.year] = base_amounts(row)[0]
    result = projections.project(amounts, rules, base_year, history=history)
    scenario = ensure_scenario(municipality, scenario_name, base_year, description)
    scenario.rules.clear()
    scenario.lines.clear()
    db.session.flush()
    rule_names = {r.code: r.name for r in rules if r.name}
    for rule in rules:
        scenario.rules.append(ProjectionRule(municipality_id=municipality.id, code=rule.code, name=rule.name,
                                             method=rule.method, rate=rule.rate, from_year=rule.from_year,
                                             to_year=rule.to_year, amount=rule.amount))
    for year, values in result.items():
        for code, amount in values.items():
            scenario.lines.append(ProjectedLine(
                municipality_id=municipality.id, year=year, code=code, amount=amount,
                name=names.get(code) or rule_names.get(code) or _rubro_name(cls, code), tags=tags.get(code, "")))
    db.session.flush()
    if publish:
        publish_scenario(municipality, scenario)
    return scenario


def _rubro_name(cls, code):
    entry = cls.get(classifiers.rubro_of(code))
    return entry.name if entry else code


def set_scenario_line(municipality, scenario: Scenario, year: int, code: str, name: str, amount: Decimal,
                      tags: str = "") -> ProjectedLine:
    line = next((l for l in scenario.lines if l.year == year and l.code == code), None)
    if line is None:
        line = ProjectedLine(municipality_id=municipality.id, year=year, code=code, scenario=scenario)
        db.session.add(line)
    line.name, line.amount, line.tags = name, amount, tags
    return line


def set_scenario_fact(municipality, scenario: Scenario, year: int, name: str, value: Decimal) -> ScenarioFact:
    fact = next((f for f in scenario.facts if f.year == year and f.name == name), None)
    if fact is None:
        fact = ScenarioFact(municipality_id=municipality.id, year=year, name=name, scenario=scenario)
        db.session.add(fact)
    fact.value = value
    return fact


def add_rule(municipality, scenario: Scenario, rule: projections.Rule) -> ProjectionRule:
    cls = classifier_for(municipality)
    problem = wording.rule_or_code_problem(cls, rule)
    if problem:
        raise FinanceError(problem)
    row = ProjectionRule(municipality_id=municipality.id, code=rule.code, name=rule.name, method=rule.method,
                         rate=rule.rate, from_year=rule.from_year, to_year=rule.to_year, amount=rule.amount)
    scenario.rules.append(row)
    db.session.flush()
    return row


def rules_of(scenario: Scenario) -> list[projections.Rule]:
    return [projections.Rule(r.code, r.method, r.from_year, r.to_year, r.rate, r.amount, r.name)
            for r in sorted(scenario.rules, key=lambda r: r.id or 0)]  # the later rule wins


def recompute(municipality, scenario: Scenario) -> Scenario:
    """Recompute a scenario's lines from its (edited) rules and base year."""
    if scenario.base_year is None:
        raise FinanceError(_l("el escenario no tiene año base: se importó con sus importes"))
    return run_projection(municipality, scenario.name, scenario.base_year, rules_of(scenario),
                          publish=scenario.status == PUBLISHED, description=scenario.description)


def delete_rule(municipality, scenario: Scenario, rule_id: int) -> None:
    rule = next((r for r in scenario.rules if r.id == rule_id), None)
    if rule is None:
        raise FinanceError(_l("la regla no existe"))
    scenario.rules.remove(rule)
    db.session.flush()
