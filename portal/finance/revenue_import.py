"""Reading a revenue-potential file (CSV or XLSX, Spanish or English headers).

Columns: ``group, code, name, collected, accrued, payers, monthly_payment,
arrears_balance, recovery_rate, rate`` (:mod:`portal.finance.revenue` says what each
group uses). Rates are fractions (``0.10``) or percentages with their sign (``10%``).
:func:`read` checks every row and returns a :class:`Plan` (the rows and the computed
table, for the preview) or raises :class:`TableError` naming every bad row and column
as the file wrote it, with the fix; nothing is written here.
"""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.core.tabular import Problem, TableError, detect_decimal_comma, parse_decimal, read_table, template_csv
from portal.finance import revenue, services, wording

COLUMNS = {
    "group": ("grupo",),
    "code": ("código", "codigo"),
    "name": ("nombre", "servicio", "concepto"),
    "collected": ("percibido", "recaudado"),
    "accrued": ("devengado",),
    "payers": ("contribuyentes", "pagadores", "usuarios"),
    "monthly_payment": ("pago_mensual", "cuota_mensual", "tarifa_mensual"),
    "arrears_balance": ("saldo_mora", "mora"),
    "recovery_rate": ("tasa_recuperacion", "tasa_de_recuperacion"),
    "rate": ("tasa", "porcentaje"),
}
REQUIRED = ("group", "code", "name")
GROUP_ALIASES = {"potencial": revenue.POTENTIAL, "potential": revenue.POTENTIAL,
                 "reforma": revenue.REFORM, "reform": revenue.REFORM,
                 "medida": revenue.MEASURE, "measure": revenue.MEASURE}
RATES = ("recovery_rate", "rate")
MONEY = ("collected", "accrued", "monthly_payment", "arrears_balance")
EXAMPLE = [
    ["potencial", "12.AP", "Alumbrado público", "9826.32", "15000.00", "183", "1.31", "", "", ""],
    ["potencial", "12.MORA", "Tasas (recuperación de mora)", "", "", "", "", "50834.36", "10%", ""],
    ["reforma", "12.AP.R", "Reforma en la tarifa del alumbrado público", "", "", "675", "1.31", "", "", ""],
    ["medida", "12.COBRO", "Mejoras en el cobro y la facturación", "", "", "", "", "", "", "0.10"],
]


def template() -> bytes:
    return template_csv(list(COLUMNS), EXAMPLE)


@dataclass
class Plan:
    year: int
    rows: list  # revenue.Row, in the file's order
    table: revenue.Table
    decimal_comma: bool = False
    decimal_comma_detected: bool = False


def problem_text(column: str, code: str, row: revenue.Row, headers: dict | None = None):
    """The sentence for a :func:`revenue.check` code, naming the fix; ``headers`` (canonical
    -> as the file wrote it) names the other column of a pair the person's way."""
    if code == "group":
        return _l("grupo desconocido «%(value)s»: use potencial, reforma o medida", value=row.group)
    if code == "unused":
        return _l("el grupo «%(group)s» no usa esta columna: déjela vacía o cambie el grupo", group=row.group)
    if code == "pair":
        return _l("falta este dato: %(pair)s van juntos (o deje vacíos los dos)", pair=_pair(column, headers or {}))
    if code == "empty":
        return _l("la fila no calcula nada: indique percibido y devengado, contribuyentes y pago mensual, "
                  "o saldo de mora y tasa de recuperación")
    if code == "required":
        return _l("falta este dato, que el grupo «%(group)s» necesita", group=row.group)
    if code == "negative":
        return _l("no puede ser negativo")
    if code == "payers":
        return _l("escriba un número entero de contribuyentes (entre 0 y 10.000.000)")
    if code == "rate":
        return _l("una tasa va entre 0 y 1 (%(fraction)s) o entre 0 %% y 100 %% (%(percent)s)", fraction="0.10",
                  percent="10%")
    return code


def _pair(column, headers):
    for first, second in revenue.PAIRS:
        if column in (first, second):
            return f"«{headers.get(first, first)}» / «{headers.get(second, second)}»"
    return column


def parse_rate(value, decimal_comma):
    """A rate as a fraction: ``0.10``, ``10%`` or ``10 %``; ValueError with the fix."""
    text = value
    percent = isinstance(value, str) and value.strip().endswith("%")
    if percent:
        text = value.strip().rstrip("%").strip()
    try:
        number = parse_decimal(text, decimal_comma)
    except ValueError:
        raise ValueError(_l("«%(value)s» no es una tasa: escriba 0.10 o 10%%", value=value)) from None
    if number is None:
        return None
    if percent:
        return number / 100
    if number > 1:
        raise ValueError(_l("«%(value)s» no es una tasa: una fracción va entre 0 y 1 (0.10); para un porcentaje "
                            "escriba el signo (10%%)", value=value))
    return number


def parse_count(value, decimal_comma):
    number = parse_decimal(value, decimal_comma)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(_l("escriba un número entero de contribuyentes (entre 0 y 10.000.000)"))
    return int(number)


def read(municipality, data: bytes, filename: str, year: int, decimal_comma: bool = False) -> Plan:
    """Validate every row; return the plan (with the computed table) or raise TableError."""
    rows = read_table(data, filename, COLUMNS, REQUIRED)
    if not rows:
        raise TableError([Problem(None, None, _l("el archivo no tiene filas de datos"))])
    detected = not decimal_comma and detect_decimal_comma(rows, (*MONEY, *RATES)) is True
    decimal_comma = decimal_comma or detected
    cls = services.classifier_for(municipality)
    problems: list[Problem] = []
    out, seen = [], {}
    for raw in rows:
        number = raw["_row"]
        group_text = str(raw.get("group") or "").strip().lower()
        group = GROUP_ALIASES.get(group_text, group_text)
        code = str(raw.get("code") or "").strip()
        if isinstance(raw.get("code"), float) or re.fullmatch(r"\d+\.0", code):
            code = code.removesuffix(".0")
        problem = wording.code_problem(cls, code)
        if problem:
            problems.append(Problem(number, "code", problem))
        name = str(raw.get("name") or "").strip()[:200]
        if not name:
            problems.append(Problem(number, "name", _l("falta el nombre del servicio, impuesto o medida")))
        values = {}
        for column in (*MONEY, "payers", *RATES):
            try:
                if column in RATES:
                    values[column] = parse_rate(raw.get(column), decimal_comma)
                elif column == "payers":
                    values[column] = parse_count(raw.get(column), decimal_comma)
                else:
                    values[column] = parse_decimal(raw.get(column), decimal_comma)
            except ValueError as error:
                problems.append(Problem(number, column, error.args[0]))
                values[column] = None
        row = revenue.Row(group, code, name, **values)
        for column, code_ in revenue.check(row):
            if not any(p.row == number and p.column == column for p in problems):
                problems.append(Problem(number, column, problem_text(column, code_, row, rows.headers)))
        key = (group, code)
        if key in seen:
            problems.append(Problem(number, "code", _l("repetido: el código %(code)s del grupo %(group)s ya está en "
                                                       "la fila %(row)s", code=code, group=group, row=seen[key])))
        seen[key] = number
        out.append((number, row))
    measures = [n for n, r in out if r.group == revenue.MEASURE]
    if measures and not revenue.collected_base(r for _, r in out):
        for number in measures:
            problems.append(Problem(number, "rate", _l("una medida se aplica a lo percibido de las filas "
                                                       "«potencial»: añada esas filas con su percibido")))
    if problems:
        raise TableError(problems, rows.headers)
    plain = [r for _, r in out]
    return Plan(year, plain, revenue.compute(plain), decimal_comma, detected)
