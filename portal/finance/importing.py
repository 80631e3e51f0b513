"""Importing budget lines, facts, scenario lines and projection rules (CSV or XLSX).

:func:`read` validates the whole file and returns a :class:`Plan` with a preview
(totals per rubro and aggregates per year, so a person catches a missing digit);
it raises :class:`TableError` naming every bad row and column, before anything is
written. :func:`apply` writes a plan; the caller commits once (one transaction).
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.core.tabular import Problem, TableError, detect_decimal_comma, parse_decimal, read_table, template_csv
from portal.finance import classifier as classifiers
from portal.finance import projections, ratios, services, wording

LINES, FACTS, SCENARIO, RULES = "lines", "facts", "scenario", "rules"
KINDS = (LINES, FACTS, SCENARIO, RULES)

COLUMNS = {
    LINES: {"year": ("año", "ano", "anio", "ejercicio"), "code": ("código", "codigo"), "name": ("nombre",),
            "approved": ("presupuestado", "aprobado"), "modified": ("modificado",), "accrued": ("devengado",),
            "cash": ("percibido", "pagado", "percibido_pagado", "percibido/pagado"), "tags": ("etiquetas",)},
    FACTS: {"year": ("año", "ano", "anio", "ejercicio"), "fact": ("hecho", "dato"), "value": ("valor",)},
    SCENARIO: {"year": ("año", "ano", "anio"), "code": ("código", "codigo"), "name": ("nombre",),
               "amount": ("importe", "monto"), "tags": ("etiquetas",)},
    RULES: {"code": ("código", "codigo"), "method": ("método", "metodo"), "rate": ("tasa",),
            "from_year": ("desde", "año_inicial", "desde_año"), "to_year": ("hasta", "año_final", "hasta_año"),
            "amount": ("importe", "monto"), "name": ("nombre",)},
}
NUMBER_COLUMNS = {LINES: tuple(ratios.PHASES.values()), FACTS: ("value",), SCENARIO: ("amount",),
                  RULES: ("rate", "amount")}
REQUIRED = {LINES: ("year", "code"), FACTS: ("year", "fact", "value"), SCENARIO: ("year", "code", "amount"),
            RULES: ("code", "method", "from_year")}
EXAMPLES = {
    LINES: [["2013", "11", "Impuestos", "12000.00", "", "10744.10", "10744.10", ""],
            ["2013", "61", "Inversiones en activos fijos", "600000.00", "", "495693.74", "495693.74", "infraestructura"]],
    FACTS: [["2012", "saldo_deuda", "441931.81"], ["2012", "mora_impuestos", "5748.06"]],
    SCENARIO: [["2014", "11", "Impuestos", "11281.31", ""]],
    RULES: [["11", "percentage", "0.05", "2014", "2018", "", "Impuestos"],
            ["12.RO", "oneoff", "", "2015", "", "130784.38", "Reforma a la ordenanza de tasas"]],
}
FACT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
PREVIEW_AGGREGATES = ("ingresos_propios", "ingresos_corrientes", "ingresos_totales", "gastos_corrientes",
                      "inversion", "servicio_deuda", "egresos_totales")


def template(kind: str) -> bytes:
    return template_csv(list(COLUMNS[kind]), EXAMPLES[kind])


@dataclass
class Plan:
    kind: str
    rows: list = field(default_factory=list)
    preview: dict = field(default_factory=dict)  # year -> {"rubros": {...}, "aggregates": {...}, "facts": {...}}
    decimal_comma: bool = False  # the numbers were read with a decimal comma
    decimal_comma_detected: bool = False  # ... because the file's numbers showed it

    @property
    def years(self):
        return sorted(self.preview)


def _year(value, row, problems, column="year"):
    try:
        year = int(Decimal(str(value).strip()))
        if 1900 <= year <= 2200 and Decimal(str(value).strip()) == year:
            return year
    except Exception:  # noqa: BLE001 - any unreadable cell is reported the same way
        pass
    problems.append(Problem(row, column, _l("«%(value)s» no es un año (use p. ej. 2013)", value=value)))
    return None


def _amount(row, column, problems, decimal_comma, required=False):
    try:
        value = parse_decimal(row.get(column), decimal_comma)
    except ValueError as error:
        problems.append(Problem(row["_row"], column, error.args[0]))
        return None
    if value is None and required:
        problems.append(Problem(row["_row"], column, _l("falta el importe")))
    return value


def _tags(text) -> tuple[str, ...]:
    return tuple(t for t in re.split(r"[,;\s]+", str(text or "").strip().lower()) if t)


def read(municipality, data: bytes, filename: str, kind: str = LINES, decimal_comma: bool = False) -> Plan:
    """Validate every row; return the plan with its preview or raise TableError.

    Numbers use a decimal point unless ``decimal_comma`` says otherwise or the file's own
    numbers show a decimal comma (``1.234,56``, ``12,5``): then the plan says it was detected."""
    rows = read_table(data, filename, COLUMNS[kind], REQUIRED[kind])
    if not rows:
        raise TableError([Problem(None, None, _l("el archivo no tiene filas de datos"))])
    detected = not decimal_comma and detect_decimal_comma(rows, NUMBER_COLUMNS[kind]) is True
    decimal_comma = decimal_comma or detected
    cls = services.classifier_for(municipality)
    problems: list[Problem] = []
    plan = Plan(kind, decimal_comma=decimal_comma, decimal_comma_detected=detected)
    seen = {}
    for row in rows:
        number = row["_row"]
        if kind == RULES:
            item = _rule(row, cls, problems, decimal_comma)
            if item:
                plan.rows.append(item)
            continue
        year = _year(row.get("year"), number, problems)
        if kind == FACTS:
            name = str(row.get("fact") or "").strip().lower()
            if not FACT_NAME.match(name):
                problems.append(Problem(number, "fact", _l("«%(value)s» no es un nombre de hecho (minúsculas y "
                                                           "guiones bajos, p. ej. saldo_deuda)", value=row.get("fact"))))
            value = _amount(row, "value", problems, decimal_comma, required=True)
            key = (year, name)
            if key in seen:
                problems.append(Problem(number, "fact", _l("repetido: ya está en la fila %(row)s", row=seen[key])))
            seen[key] = number
            plan.rows.append((year, name, value))
            continue
        code = str(row.get("code") or "").strip()
        if isinstance(row.get("code"), float) or re.fullmatch(r"\d+\.0", code):
            code = code.removesuffix(".0")
        problem = wording.code_problem(cls, code)
        if problem:
            problems.append(Problem(number, "code", problem))
        key = (year, code)
        if key in seen:
            problems.append(Problem(number, "code", _l("repetido: el código %(code)s del año %(year)s ya está en la "
                                                       "fila %(row)s", code=code, year=year, row=seen[key])))
        seen[key] = number
        name = str(row.get("name") or "").strip()[:200]
        if not name and not problem:
            entry = cls.get(classifiers.rubro_of(code))
            name = entry.name if entry and code == entry.code else ""
        if not name:
            problems.append(Problem(number, "name", _l("falta el nombre de la línea")))
        if kind == SCENARIO:
            amount = _amount(row, "amount", problems, decimal_comma, required=True)
            plan.rows.append((year, code, name, amount, _tags(row.get("tags"))))
            continue
        amounts = {attr: _amount(row, attr, problems, decimal_comma) for attr in ratios.PHASES.values()}
        if all(v is None for v in amounts.values()) and not any(p.row == number for p in problems):
            problems.append(Problem(number, "approved", _l("la línea no tiene ningún importe "
                                                           "(presupuestado, modificado, devengado o percibido)")))
        plan.rows.append((year, code, name, amounts, _tags(row.get("tags"))))
    if problems:
        raise TableError(problems, rows.headers)
    _preview(plan, cls)
    return plan


def _rule(row, cls, problems, decimal_comma):
    number = row["_row"]
    code = str(row.get("code") or "").strip()
    problem = wording.code_problem(cls, code)
    if problem:
        problems.append(Problem(number, "code", problem))
    method = str(row.get("method") or "").strip().lower()
    start = _year(row.get("from_year"), number, problems, "from_year")
    end = _year(row.get("to_year"), number, problems, "to_year") if row.get("to_year") not in (None, "") else None
    rule = projections.Rule(code, method, start or 0, end, _amount(row, "rate", problems, decimal_comma),
                            _amount(row, "amount", problems, decimal_comma), str(row.get("name") or "").strip()[:200])
    message = wording.rule_problem(rule)
    if message:
        problems.append(Problem(number, "method", message))
    return rule


def _preview(plan: Plan, cls) -> None:
    if plan.kind == RULES:
        plan.preview = {}
        return
    by_year = {}
    for item in plan.rows:
        by_year.setdefault(item[0], []).append(item)
    for year, items in sorted(by_year.items()):
        if plan.kind == FACTS:
            plan.preview[year] = {"facts": {name: value for _, name, value in items}}
            continue
        if plan.kind == SCENARIO:
            lines = [ratios.Line(code, name, amount, amount, amount, amount, tags)
                     for _, code, name, amount, tags in items]
        else:
            lines = [ratios.Line(code, name, tags=tags, **amounts) for _, code, name, amounts, tags in items]
        values = ratios.variables(cls, ratios.YearData(year, tuple(lines)))
        rubros = []
        for code, totals in ratios.rubro_totals(cls, lines).items():
            entry = cls.get(code)
            rubros.append((code, entry.name if entry else code, totals))
        aggregates = {name: {phase: values.get(f"{name}_{phase}") for phase in ratios.PHASES}
                      for name in PREVIEW_AGGREGATES}
        plan.preview[year] = {"rubros": rubros, "aggregates": aggregates, "count": len(items)}


def apply(municipality, plan: Plan, *, scenario_name: str | None = None, publish: bool = False,
          base_year: int | None = None):
    """Write the plan (upsert by year and code or fact name); flushes only."""
    if plan.kind == RULES:
        if not scenario_name or base_year is None:
            raise services.FinanceError(_l("las reglas necesitan un escenario y un año base"))
        return services.run_projection(municipality, scenario_name, base_year, plan.rows, publish=publish)
    if plan.kind == SCENARIO or (scenario_name and plan.kind == FACTS):
        if not scenario_name:
            raise services.FinanceError(_l("indique el nombre del escenario"))
        scenario = services.ensure_scenario(municipality, scenario_name)
        for item in plan.rows:
            if plan.kind == SCENARIO:
                year, code, name, amount, tags = item
                services.set_scenario_line(municipality, scenario, year, code, name, amount, " ".join(tags))
            else:
                year, name, value = item
                services.set_scenario_fact(municipality, scenario, year, name, value)
        services.db.session.flush()
        if publish:
            services.publish_scenario(municipality, scenario)
        return scenario
    years = {}
    for item in plan.rows:
        year = item[0]
        if year not in years:
            years[year] = services.ensure_year(municipality, year)
        if plan.kind == LINES:
            _, code, name, amounts, tags = item
            services.set_line(municipality, years[year], code, name, amounts, tags)
        else:
            _, name, value = item
            services.set_fact(municipality, years[year], name, value)
    services.db.session.flush()
    if publish:
        for row in years.values():
            services.publish_year(municipality, row)
    return list(years.values())
