"""Translated names for the comparison's keys (indicators, groupings, inputs, bands)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.compare import metrics
from portal.core.i18n import country_name

EXTERNAL_FAMILY = _l("Índice nacional")
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
    """An indicator's name, from its key or the indicator itself, as its domain declares
    it (a national index is named as its publisher names it, with the publisher)."""
    found = metrics.get(key) if isinstance(key, str) else key
    if found is None:
        return key
    if found.external:
        return _("%(index)s (%(source)s)", index=found.label, source=found.source)
    return str(found.title or _(found.label))


def family(metric_) -> str:
    """The name of an indicator's family (Finanzas, Diagnóstico, ...; national indices)."""
    if metric_.external:
        return str(EXTERNAL_FAMILY)
    return str(metric_.family_title or metric_.family)


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
