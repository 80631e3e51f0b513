"""How the change record names the finance domain's objects and fields (see portal.audit.labels)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register
from portal.finance.variables import variable_label

METHOD_LABELS = {"percentage": _l("Porcentaje (tasa anual)"), "average": _l("Promedio de años anteriores"),
                 "direct": _l("Evaluación directa (importe)"), "oneoff": _l("Medida única en un año (importe)")}
DISPLAY_LABELS = {"percent": _l("porcentaje"), "times": _l("veces"), "money": _l("dinero")}
UNIT_LABELS = {"ratio": _l("proporción (0 a 1)"), "money": _l("dinero")}
DIRECTION_LABELS = {">=": _l("al menos (≥)"), "<=": _l("como máximo (≤)"), "higher": _l("cuanto mayor, mejor"),
                    "lower": _l("cuanto menor, mejor"), "": _l("participación (sin umbral)")}


def content_label(key: str) -> str:
    """A key of a published year's or scenario's contents: ``11.01``, ``2014:11``, ``hecho:saldo_deuda``."""
    if key.startswith("hecho:"):
        return variable_label(key[len("hecho:"):])
    year, _sep, code = key.rpartition(":")
    if year:
        return _("%(year)s, línea %(code)s", year=year, code=code)
    return _("línea %(code)s", code=code)


def register_all():
    register("BudgetYear", _l("Presupuesto anual"), other_fields=content_label)
    register("BudgetLine", _l("Línea del presupuesto"),
             fields={"approved": _l("presupuestado"), "modified": _l("modificado"), "accrued": _l("devengado"),
                     "cash": _l("percibido o pagado")},
             values={"approved": "money", "modified": "money", "accrued": "money", "cash": "money"})
    register("Fact", _l("Dato financiero"), fields={"name": _l("dato")},
             values={"name": variable_label, "value": "money"}, summary=variable_label)
    register("Scenario", _l("Escenario"), fields={"base_year": _l("año base")}, other_fields=content_label)
    register("ProjectedLine", _l("Línea proyectada"), values={"amount": "money"})
    register("ScenarioFact", _l("Dato proyectado"), fields={"name": _l("dato")},
             values={"name": variable_label, "value": "money"}, summary=variable_label)
    register("ProjectionRule", _l("Regla de proyección"),
             fields={"method": _l("método"), "rate": _l("tasa"), "from_year": _l("desde el año"),
                     "to_year": _l("hasta el año")},
             values={"method": METHOD_LABELS, "rate": "percent", "amount": "money"})
    register("IndicatorDefinition", _l("Indicador financiero"),
             fields={"formula": _l("fórmula"), "display": _l("se muestra como"), "threshold": _l("umbral"),
                     "ideal": _l("valor ideal")},
             values={"display": DISPLAY_LABELS, "unit": UNIT_LABELS, "direction": DIRECTION_LABELS})
