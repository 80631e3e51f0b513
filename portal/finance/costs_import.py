"""Reading a cost study of the services (CSV or XLSX, Spanish or English headers).

Columns: ``code, name, households, staff, supplies, fuel, disposal, other, accrued,
collected, share`` (:mod:`portal.finance.costs`). The indirect-cost pool and its
allocation key are given with the file (command options or form fields). :func:`read`
checks every row and returns a :class:`Plan` with the computed study, or raises
:class:`TableError` naming every bad row and column as the file wrote it; nothing is
written here.
"""
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.core.tabular import Problem, TableError, detect_decimal_comma, parse_decimal, read_table, template_csv
from portal.finance import costs, services, wording
from portal.finance.revenue_import import parse_count, parse_rate

COLUMNS = {
    "code": ("código", "codigo"),
    "name": ("nombre", "servicio"),
    "households": ("hogares", "usuarios", "viviendas"),
    "staff": ("personal", "remuneraciones"),
    "supplies": ("insumos", "materiales"),
    "fuel": ("combustible",),
    "disposal": ("disposicion_final", "contrato_disposicion", "disposición_final"),
    "other": ("otros", "otros_directos"),
    "accrued": ("devengado",),
    "collected": ("percibido", "recaudado"),
    "share": ("proporcion_indirectos", "proporción_indirectos", "participacion_indirectos"),
}
REQUIRED = ("code", "name", "households")
MONEY = ("staff", "supplies", "fuel", "disposal", "other", "accrued", "collected")
EXAMPLE = [["12.DS", "Recolección y disposición de desechos sólidos", "687", "30000", "4000", "6000", "12000", "",
            "36000", "24000", ""],
           ["12.AP", "Alumbrado público", "675", "", "9000", "", "", "3000", "15000", "9826.32", ""]]


def template() -> bytes:
    return template_csv(list(COLUMNS), EXAMPLE)


@dataclass
class Plan:
    year: int
    services: list  # costs.Service
    indirect: Decimal
    key: str
    study: costs.Study
    decimal_comma: bool = False


def problem_text(code: str):
    """The sentence for a :func:`costs.check` code, naming the fix."""
    return {
        "key": _l("clave de reparto desconocida: use direct (costos directos), households (hogares) o share "
                  "(proporción de cada servicio)"),
        "negative": _l("no puede ser negativo"),
        "households": _l("escriba el número de hogares servidos, un entero mayor que cero"),
        "shares": _l("con la clave «share» cada servicio lleva su proporción de los costos indirectos, y entre "
                     "todas no pasan de 1 (%(percent)s)", percent="100 %"),
        "unused": _l("la proporción solo se usa con la clave «share»: déjela vacía o cambie la clave"),
        "nothing": _l("el servicio no tiene ningún costo directo (personal, insumos, combustible, disposición "
                      "final u otros)"),
        "base": _l("no hay con qué repartir los costos indirectos: los servicios no tienen costos directos"),
    }.get(code, code)


def read(municipality, data: bytes, filename: str, year: int, indirect: Decimal = Decimal(0), key: str = "direct",
         decimal_comma: bool = False) -> Plan:
    """Validate every row and the pool; return the plan (with the computed study) or raise TableError."""
    rows = read_table(data, filename, COLUMNS, REQUIRED)
    if not rows:
        raise TableError([Problem(None, None, _l("el archivo no tiene filas de datos"))])
    decimal_comma = decimal_comma or detect_decimal_comma(rows, (*MONEY, "share")) is True
    cls = services.classifier_for(municipality)
    problems: list[Problem] = []
    out, numbers, seen = [], [], {}
    for raw in rows:
        number = raw["_row"]
        code = str(raw.get("code") or "").strip()
        problem = wording.code_problem(cls, code)
        if problem:
            problems.append(Problem(number, "code", problem))
        if code in seen:
            problems.append(Problem(number, "code", _l("repetido: el código %(code)s ya está en la fila %(row)s",
                                                       code=code, row=seen[code])))
        seen[code] = number
        name = str(raw.get("name") or "").strip()[:200]
        if not name:
            problems.append(Problem(number, "name", _l("falta el nombre del servicio")))
        values = {}
        for column in (*MONEY, "households", "share"):
            try:
                if column == "households":
                    values[column] = parse_count(raw.get(column), decimal_comma)
                elif column == "share":
                    values[column] = parse_rate(raw.get(column), decimal_comma)
                else:
                    values[column] = parse_decimal(raw.get(column), decimal_comma)
            except ValueError as error:
                problems.append(Problem(number, column, error.args[0]))
                values[column] = None
        out.append(costs.Service(code, name, **values))
        numbers.append(number)
    for index, column, code in costs.check(out, indirect, key):
        row = numbers[index] if index is not None else None
        if not any(p.row == row and p.column == column for p in problems if row is not None):
            problems.append(Problem(row, column if index is not None else None, problem_text(code)))
    if problems:
        raise TableError(problems, rows.headers)
    return Plan(year, out, indirect, key, costs.study(out, indirect, key), decimal_comma)
