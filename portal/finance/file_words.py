"""The finance pages' downloads as people open them in a spreadsheet: headers and coded
values in the language of the page they came from (the same words the page shows), numbers
still numbers. The JSON API and the open-data dataset files keep their documented columns
and codes."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.finance.variables import formula_words, variable_label

LINE_HEADERS = {"year": _l("Año"), "code": _l("Código"), "name": _l("Nombre"), "rubro": _l("Rubro"),
                "kind": _l("Tipo"), "approved": _l("Presupuestado"), "modified": _l("Modificado"),
                "accrued": _l("Devengado"), "cash": _l("Percibido / pagado"), "tags": _l("Etiquetas")}
KINDS = {"income": _l("Ingreso"), "expense": _l("Egreso")}

INDICATOR_HEADERS = {"year": _l("Año"), "code": _l("Código"), "name": _l("Nombre"), "value": _l("Valor"),
                     "unit": _l("Unidad"), "threshold": _l("Umbral"), "direction": _l("Comparación"),
                     "status": _l("Estado"), "reason": _l("Motivo"), "formula": _l("Fórmula"),
                     "formula_with_values": _l("Fórmula con los valores")}
UNITS = {"ratio": _l("Razón"), "money": _l("Dinero")}
DIRECTIONS = {">=": "≥", "<=": "≤", "higher": _l("cuanto mayor, mejor"), "lower": _l("cuanto menor, mejor")}
STATUSES = {"meets": _l("Cumple"), "fails": _l("No cumple"), "no_threshold": _l("Sin umbral"),
            "not_computable": _l("No calculable")}
MISSING, ZERO = "missing: ", "zero denominator: "


def reason_words(reason: str | None) -> str:
    """Why an indicator has no value, in words: "Falta el dato: Saldo de la deuda; ..."."""
    if not reason:
        return ""
    if reason.startswith(MISSING):
        return _("Falta el dato: %(names)s", names="; ".join(variable_label(n) for n in reason[len(MISSING):].split(", ")))
    if reason.startswith(ZERO):
        return _("El denominador es cero: %(term)s", term=formula_words(reason[len(ZERO):]))
    return reason


def _word(words: dict, value):
    return str(words[value]) if value in words else value


def line_table(rows: list[dict]) -> tuple[list[str], list[list]]:
    """Budget lines (:func:`portal.finance.reports.line_rows`) as headers and rows."""
    return ([str(h) for h in LINE_HEADERS.values()],
            [[_word(KINDS, row[key]) if key == "kind" else row[key] for key in LINE_HEADERS] for row in rows])


def indicator_table(rows: list[dict]) -> tuple[list[str], list[list]]:
    """Indicator rows (:func:`portal.finance.reports.indicator_file_row`) as headers and rows."""
    said = {"unit": lambda v: _word(UNITS, v), "direction": lambda v: _word(DIRECTIONS, v),
            "status": lambda v: _word(STATUSES, v), "reason": reason_words, "name": str}
    return ([str(h) for h in INDICATOR_HEADERS.values()],
            [[said[key](row[key]) if key in said else row[key] for key in INDICATOR_HEADERS] for row in rows])
