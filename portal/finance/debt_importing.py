"""Reading loans and supplier payment plans from CSV or XLSX (Spanish or English headers).

:func:`read` validates every row and returns the rows with their preview (each loan's
balance and service by year; each supplier's total, paid and pending) or raises
:class:`TableError` naming every bad row and column as the file wrote it, with the fix.
Nothing is written here; :mod:`portal.finance.debt_services` writes a read file.
"""
import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.core.tabular import Problem, TableError, detect_decimal_comma, parse_decimal, read_table, template_csv
from portal.finance import debt

LOANS, SUPPLIERS = "loans", "suppliers"
COLUMNS = {
    LOANS: {"name": ("nombre", "préstamo", "prestamo"), "lender": ("acreedor", "prestamista"),
            "principal": ("monto", "capital", "importe"), "rate": ("tasa", "tasa_anual", "interés", "interes"),
            "years": ("plazo", "años", "anos", "plazo_años"), "start": ("inicio", "desembolso", "fecha"),
            "method": ("método", "metodo", "sistema"),
            "periods_per_year": ("cuotas_por_año", "cuotas_por_ano", "cuotas_año", "periodicidad"),
            "grace": ("gracia", "cuotas_de_gracia")},
    SUPPLIERS: {"supplier": ("proveedor",), "due": ("vencimiento", "fecha_cuota"), "amount": ("monto", "cuota", "importe"),
                "paid": ("pagado",), "paid_year": ("año_pago", "ano_pago", "pagado_en")},
}
REQUIRED = {LOANS: ("name", "principal", "rate", "years", "start"), SUPPLIERS: ("supplier", "due", "amount")}
EXAMPLES = {
    LOANS: [["Refinanciamiento 2010", "Banco", "700000.00", "5.34567%", "5", "2010-12", "french", "2", "0"]],
    SUPPLIERS: [["Ferretería El Progreso", "2014-03", "2500.00", "2500.00", "2014"],
                ["Ferretería El Progreso", "2014-09", "2500.00", "", ""]],
}
METHOD_WORDS = {"french": debt.FRENCH, "frances": debt.FRENCH, "francés": debt.FRENCH, "cuota_fija": debt.FRENCH,
                "constant": debt.CONSTANT, "constante": debt.CONSTANT, "aleman": debt.CONSTANT,
                "alemán": debt.CONSTANT, "amortizacion_constante": debt.CONSTANT}
MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2})?$")


@dataclass
class DebtPlan:
    kind: str
    rows: list = field(default_factory=list)  # LOANS: (name, lender, debt.Loan); SUPPLIERS: tuples
    preview: list = field(default_factory=list)


def template(kind: str) -> bytes:
    return template_csv(list(COLUMNS[kind]), EXAMPLES[kind])


def parse_rate(value, decimal_comma=False) -> Decimal | None:
    """An annual rate: a fraction (``0.06``) or a percentage (``6%``, ``6 %``). Raises ValueError."""
    text = str(value).strip()
    percent = text.endswith("%")
    number = parse_decimal(text.rstrip("%").strip(), decimal_comma)
    return None if number is None else (number / 100 if percent else number)


def parse_month(value) -> tuple[int, int] | None:
    """``2010-12``, ``2010/12``, ``2010-12-15`` or an XLSX date -> (2010, 12); None if unreadable."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return value.year, value.month
    match = MONTH.match(str(value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if 1900 <= year <= 2200 and 1 <= month <= 12 else None


def _int(row, column, problems, default, low, high):
    value = row.get(column)
    if value in (None, ""):
        return default
    try:
        number = Decimal(str(value).strip())
        if number == int(number) and low <= int(number) <= high:
            return int(number)
    except Exception:  # noqa: BLE001 - any unreadable cell is reported the same way
        pass
    problems.append(Problem(row["_row"], column, _l("«%(value)s» no es válido: escriba un número entero entre "
                                                    "%(low)s y %(high)s", value=value, low=low, high=high)))
    return default


def _money(row, column, problems, decimal_comma, required):
    try:
        value = parse_decimal(row.get(column), decimal_comma)
    except ValueError as error:
        problems.append(Problem(row["_row"], column, error.args[0]))
        return None
    if value is None and required:
        problems.append(Problem(row["_row"], column, _l("falta el importe")))
    elif value is not None and value < 0:
        problems.append(Problem(row["_row"], column, _l("el importe no puede ser negativo")))
        return None
    return value


LOAN_PROBLEMS = {
    "principal": ("principal", _l("el monto debe ser mayor que cero")),
    "rate": ("rate", _l("la tasa anual va de 0 a 100 % (p. ej. 6% o 0.06)")),
    "years": ("years", _l("el plazo va de 1 a 50 años")),
    "periods": ("periods_per_year", _l("las cuotas por año son 1, 2, 4 o 12")),
    "method": ("method", _l("el método es «french» (cuota fija) o «constant» (amortización constante)")),
    "month": ("start", _l("el mes va de 1 a 12")),
    "grace": ("grace", _l("las cuotas de gracia deben ser menos que las cuotas del préstamo")),
}


def _loan(row, problems, decimal_comma):
    number = row["_row"]
    name = str(row.get("name") or "").strip()[:200]
    if not name:
        problems.append(Problem(number, "name", _l("falta el nombre del préstamo")))
    principal = _money(row, "principal", problems, decimal_comma, True)
    try:
        rate = parse_rate(row.get("rate"), decimal_comma)
    except ValueError:
        problems.append(Problem(number, "rate", _l("«%(value)s» no es una tasa (escriba 6%% o 0.06)",
                                                   value=row.get("rate"))))
        rate = None
    if rate is None and not any(p.row == number and p.column == "rate" for p in problems):
        problems.append(Problem(number, "rate", _l("falta la tasa anual (escriba 0 si no cobra interés)")))
    years = _int(row, "years", problems, None, 1, 50)
    if years is None and not any(p.row == number and p.column == "years" for p in problems):
        problems.append(Problem(number, "years", _l("falta el plazo en años (un número entero entre 1 y 50)")))
    start = parse_month(row.get("start"))
    if start is None:
        problems.append(Problem(number, "start", _l("«%(value)s» no es un mes (escriba año-mes, p. ej. 2010-12)",
                                                    value=row.get("start"))))
    method_text = str(row.get("method") or "french").strip().lower().replace(" ", "_")
    method = METHOD_WORDS.get(method_text)
    if method is None:
        problems.append(Problem(number, "method", LOAN_PROBLEMS["method"][1]))
    periods = _int(row, "periods_per_year", problems, 12, 1, 12)
    if periods not in debt.PERIODS_PER_YEAR and not any(p.column == "periods_per_year" and p.row == number
                                                        for p in problems):
        problems.append(Problem(number, "periods_per_year", LOAN_PROBLEMS["periods"][1]))
    grace = _int(row, "grace", problems, 0, 0, 600)
    if any(p.row == number for p in problems):
        return None
    loan = debt.Loan(principal, rate, years, start[0], start[1], method, periods, grace)
    try:
        debt.check(loan)
    except debt.LoanError as error:
        column, message = LOAN_PROBLEMS[error.code]
        problems.append(Problem(number, column, message))
        return None
    return name, str(row.get("lender") or "").strip()[:200], loan


def _instalment(row, problems, decimal_comma):
    number = row["_row"]
    supplier = str(row.get("supplier") or "").strip()[:200]
    if not supplier:
        problems.append(Problem(number, "supplier", _l("falta el nombre del proveedor")))
    due = parse_month(row.get("due"))
    if due is None:
        problems.append(Problem(number, "due", _l("«%(value)s» no es un mes (escriba año-mes, p. ej. 2014-03)",
                                                  value=row.get("due"))))
    amount = _money(row, "amount", problems, decimal_comma, True)
    paid = _money(row, "paid", problems, decimal_comma, False) or Decimal(0)
    paid_year = _int(row, "paid_year", problems, None, 1900, 2200)
    if amount is not None and paid > amount:
        problems.append(Problem(number, "paid", _l("lo pagado no puede superar la cuota")))
    if paid and paid_year is None:
        problems.append(Problem(number, "paid_year", _l("indique el año en que se pagó")))
    return supplier, due, amount, paid, paid_year


def read(data: bytes, filename: str, kind: str = LOANS, decimal_comma: bool = False) -> DebtPlan:
    """Validate every row; return the plan with its preview or raise TableError."""
    rows = read_table(data, filename, COLUMNS[kind], REQUIRED[kind])
    if not rows:
        raise TableError([Problem(None, None, _l("el archivo no tiene filas de datos"))])
    numbers = ("principal", "rate") if kind == LOANS else ("amount", "paid")
    decimal_comma = decimal_comma or detect_decimal_comma(rows, numbers) is True
    problems: list[Problem] = []
    plan = DebtPlan(kind)
    seen = {}
    for row in rows:
        item = _loan(row, problems, decimal_comma) if kind == LOANS else _instalment(row, problems, decimal_comma)
        key = item[0] if kind == LOANS and item else (item[:2] if kind == SUPPLIERS else None)
        if key is not None and key in seen:
            column = "name" if kind == LOANS else "due"
            problems.append(Problem(row["_row"], column, _l("repetido: ya está en la fila %(row)s", row=seen[key])))
        elif key is not None:
            seen[key] = row["_row"]
        plan.rows.append(item)
    if problems:
        raise TableError(problems, rows.headers)
    plan.preview = preview(plan)
    return plan


def preview(plan: DebtPlan) -> list:
    """LOANS: (name, {year: debt.YearDebt}); SUPPLIERS: (supplier, total, paid, pending)."""
    if plan.kind == LOANS:
        return [(name, debt.by_year(loan)) for name, _lender, loan in plan.rows]
    totals = {}
    for supplier, _due, amount, paid, _year in plan.rows:
        total, done = totals.get(supplier, (Decimal(0), Decimal(0)))
        totals[supplier] = (total + amount, done + paid)
    return [(name, total, done, total - done) for name, (total, done) in totals.items()]
