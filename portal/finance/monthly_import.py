"""Importing monthly execution (CSV or XLSX): ``year, month, code, accrued, cash``.

Spanish headers are read too (``año, mes, código, devengado, percibido``; ``pagado``
for expenses). Each row is one budget code in one month: the amount accrued and the
amount collected (income) or paid (expense) *in that month*, not accumulated.
:func:`read` checks every row and returns a :class:`MonthlyPlan` with a preview (totals
per year and month), or raises :class:`TableError` naming every bad row and column;
:func:`apply` writes it (upsert by year, month and code) and flushes only, so the caller
commits once.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit.services import append, number_text
from portal.core.tabular import Problem, TableError, detect_decimal_comma, parse_decimal, read_table, template_csv
from portal.extensions import db
from portal.finance import services, warning_jobs, wording
from portal.finance import classifier as classifiers
from portal.finance.execution_models import ExecutionMonth, ExecutionYear

KIND = "monthly"  # the kind of a file kept for a publisher (portal.finance.pending)
COLUMNS = {"year": ("año", "ano", "anio", "ejercicio"), "month": ("mes",), "code": ("código", "codigo"),
           "accrued": ("devengado",), "cash": ("percibido", "pagado", "percibido_pagado", "percibido/pagado")}
REQUIRED = ("year", "month", "code")
EXAMPLE = [["2014", "1", "12", "13671.24", "12987.68"], ["2014", "1", "61", "20654.74", "20654.74"]]


def template() -> bytes:
    return template_csv(list(COLUMNS), EXAMPLE)


@dataclass
class MonthlyPlan:
    rows: list = field(default_factory=list)  # (year, month, code, accrued, cash)
    preview: dict = field(default_factory=dict)  # year -> {month: {"income": {...}, "expense": {...}, "lines": n}}
    decimal_comma: bool = False
    decimal_comma_detected: bool = False

    @property
    def years(self):
        return sorted(self.preview)


def _whole(value, low, high):
    try:
        number = Decimal(str(value).strip())
    except Exception:  # noqa: BLE001 - any unreadable cell is reported the same way
        return None
    if not number.is_finite() or number != number.to_integral_value() or not low <= number <= high:
        return None
    return int(number)


def _amount(row, column, problems, decimal_comma):
    try:
        return parse_decimal(row.get(column), decimal_comma)
    except ValueError as error:
        problems.append(Problem(row["_row"], column, error.args[0]))
        return None


def read(municipality, data: bytes, filename: str, decimal_comma: bool = False) -> MonthlyPlan:
    """Validate every row; return the plan with its preview or raise TableError."""
    rows = read_table(data, filename, COLUMNS, REQUIRED)
    if not rows:
        raise TableError([Problem(None, None, _l("el archivo no tiene filas de datos"))])
    detected = not decimal_comma and detect_decimal_comma(rows, ("accrued", "cash")) is True
    decimal_comma = decimal_comma or detected
    cls = services.classifier_for(municipality)
    problems, seen = [], {}
    plan = MonthlyPlan(decimal_comma=decimal_comma, decimal_comma_detected=detected)
    for row in rows:
        number = row["_row"]
        year = _whole(row.get("year"), 1900, 2200)
        if year is None:
            problems.append(Problem(number, "year", _l("«%(value)s» no es un año (use p. ej. 2013)",
                                                       value=row.get("year"))))
        month = _whole(row.get("month"), 1, 12)
        if month is None:
            problems.append(Problem(number, "month", _l("«%(value)s» no es un mes: use un número del 1 (enero) "
                                                        "al 12 (diciembre)", value=row.get("month"))))
        code = str(row.get("code") or "").strip()
        if isinstance(row.get("code"), float) or re.fullmatch(r"\d+\.0", code):
            code = code.removesuffix(".0")
        problem = wording.code_problem(cls, code)
        if problem:
            problems.append(Problem(number, "code", problem))
        accrued = _amount(row, "accrued", problems, decimal_comma)
        cash = _amount(row, "cash", problems, decimal_comma)
        if accrued is None and cash is None and not any(p.row == number for p in problems):
            problems.append(Problem(number, "accrued", _l("la fila no tiene importe: escriba el devengado, el "
                                                          "percibido o pagado, o ambos")))
        key = (year, month, code)
        if None not in key and key in seen:
            problems.append(Problem(number, "code", _l("repetido: el código %(code)s del mes %(month)s de "
                                                       "%(year)s ya está en la fila %(row)s",
                                                       code=code, month=month, year=year, row=seen[key])))
        seen.setdefault(key, number)
        plan.rows.append((year, month, code, accrued, cash))
    if problems:
        raise TableError(problems, rows.headers)
    _preview(plan, cls)
    return plan


def _preview(plan: MonthlyPlan, cls) -> None:
    for year, month, code, accrued, cash in plan.rows:
        entry = cls.get(classifiers.rubro_of(code))
        item = plan.preview.setdefault(year, {}).setdefault(month, {
            "lines": 0, classifiers.INCOME: {"accrued": Decimal(0), "cash": Decimal(0)},
            classifiers.EXPENSE: {"accrued": Decimal(0), "cash": Decimal(0)}})
        item["lines"] += 1
        item[entry.kind]["accrued"] += accrued or 0
        item[entry.kind]["cash"] += cash or 0
    plan.preview = {year: dict(sorted(months.items())) for year, months in sorted(plan.preview.items())}


def get_year(municipality, year: int, published_only: bool = False) -> ExecutionYear | None:
    stmt = select(ExecutionYear).where(ExecutionYear.municipality_id == municipality.id,
                                          ExecutionYear.year == year)
    if published_only:
        stmt = stmt.where(ExecutionYear.status == "published")
    return db.session.execute(stmt).scalar_one_or_none()


def publish_year(municipality, row: ExecutionYear, tell: bool = True) -> None:
    """Publish an execution year and record what it holds (its months were drafts); with
    ``tell``, ask for the early-warning job (the semáforo's light and the council's
    e-mail, :mod:`portal.finance.warning_jobs`). Flushes only."""
    if row.municipality_id != municipality.id or row.is_published:
        return
    row.publish()
    if tell:
        warning_jobs.ask(municipality, row.year)
    db.session.flush()
    append(db.session, municipality_id=municipality.id, action="publish_contents", section="finance",
           object_type="ExecutionYear", object_id=row.id, summary=str(row.year),
           changes={f"{m.month:02d}:{m.code}": [None, " / ".join("" if v is None else number_text(v)
                                                                 for v in (m.accrued, m.cash))] for m in row.months})


def published_years(municipality, plan: MonthlyPlan) -> list[int]:
    """The plan's years whose execution is already published (changing them needs a publisher)."""
    return [year for year in plan.years if (row := get_year(municipality, year)) is not None and row.is_published]


def apply(municipality, plan: MonthlyPlan, *, publish: bool = False, tell: bool = True) -> list[ExecutionYear]:
    """Write the plan (upsert by year, month and code); publish its years if asked (and,
    with ``tell``, ask for their early-warning jobs, also for years already published
    whose months changed). Flushes only."""
    years, existing = {}, {}
    for year in plan.years:
        row = get_year(municipality, year)
        if row is None:
            row = ExecutionYear(municipality_id=municipality.id, year=year)
            db.session.add(row)
            db.session.flush()
        years[year] = row
        existing[year] = {(m.month, m.code): m for m in row.months}
    for year, month, code, accrued, cash in plan.rows:
        found = existing[year].get((month, code))
        if found is None:
            found = ExecutionMonth(municipality_id=municipality.id, execution_year=years[year], month=month,
                                   code=code)
            db.session.add(found)
            existing[year][(month, code)] = found
        found.accrued, found.cash = accrued, cash
    db.session.flush()
    if publish:
        for row in years.values():
            if row.is_published and tell:  # published months changed: their warnings may have too
                warning_jobs.ask(municipality, row.year)
            publish_year(municipality, row, tell)
    return list(years.values())
