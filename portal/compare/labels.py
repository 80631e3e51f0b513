"""Translated names for the comparison's keys (indicators, groupings, inputs, bands)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.i18n import country_name

METRIC_LABELS = {
    "diagnostic.global": _l("Diagnóstico de gestión: media de las áreas"),
    "finance.autonomia_financiera": _l("Autonomía financiera"),
    "finance.gasto_personal": _l("Índice de gasto en personal"),
    "finance.participacion_inversion": _l("Participación de la inversión"),
    "finance.ejecucion_ingresos": _l("Ejecución del presupuesto de ingresos"),
    "finance.ejecucion_egresos": _l("Ejecución del presupuesto de gastos"),
    "complaints.resolved_on_time": _l("Reclamos resueltos dentro del plazo"),
    "surveys.services_satisfaction": _l("Satisfacción con los servicios municipales"),
    "participation.turnout": _l("Participación en el presupuesto participativo (votantes por habitante)"),
}
FAMILY_LABELS = {
    "diagnostic": _l("Diagnóstico"), "finance": _l("Finanzas"), "complaints": _l("Reclamos"),
    "surveys": _l("Encuestas"), "participation": _l("Participación"), "external": _l("Índice nacional"),
}
GROUPING_LABELS = {"capacidad": _l("Capacidad"), "poblacion": _l("Tramo de población"), "pais": _l("País"),
                   "departamento": _l("Departamento")}
ORDER_LABELS = {"mejora": _l("Más mejoró en su grupo"), "valor": _l("Mejor valor"),
                "diferencia": _l("Más por encima de lo esperado"), "nombre": _l("Nombre")}
INPUT_LABELS = {
    "population": _l("Población"), "own_revenue_pc": _l("Ingresos propios por habitante"),
    "budget_pc": _l("Presupuesto por habitante"), "urban_share": _l("Población urbana"),
    "poverty_rate": _l("Pobreza"), "capacity_index": _l("Índice de capacidad"), "intercepto": _l("Intercepto"),
}
BAND_LABELS = {"alto": _l("Alto"), "medio-alto": _l("Medio alto"), "medio": _l("Medio"), "bajo": _l("Bajo")}
POPULATION_LABELS = {
    "0-5000": _l("Menos de 5.000 habitantes"), "5000-20000": _l("De 5.000 a 20.000 habitantes"),
    "20000-100000": _l("De 20.000 a 100.000 habitantes"), "100000+": _l("Más de 100.000 habitantes"),
}
DIRECTION_LABELS = {"higher": _l("más alto es mejor"), "lower": _l("más bajo es mejor")}


def metric(key) -> str:
    """An indicator's name, from its key or the indicator itself (a national index is
    named as its publisher names it, with the publisher)."""
    if not isinstance(key, str):
        if getattr(key, "external", False):
            return _("%(index)s (%(source)s)", index=key.label, source=key.source)
        key = key.key
    return str(METRIC_LABELS.get(key, key))


def group(grouping: str, key) -> str:
    """A group's name: capacity groups by number, population bands, countries."""
    if key is None:
        return _("Sin grupo (faltan datos)")
    if grouping == "poblacion":
        return str(POPULATION_LABELS.get(key, key))
    if grouping == "pais":
        return country_name(key)
    if grouping == "departamento":
        country, _sep, department = str(key).partition("/")
        return _("%(department)s (%(country)s)", department=department, country=country_name(country))
    return _("Grupo de capacidad %(n)s (1 = menor capacidad)", n=key)
