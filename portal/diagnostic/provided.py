"""Sources the diagnostic offers to the rest of the portal.

``diagnostic.indicator`` (param: an indicator code) and ``diagnostic.area`` (param: an
area code or name) give the latest *published* score on or before the date asked.
"""
from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.diagnostic import services
from portal.core.registry import Source, SourceValue


def _value(municipality, as_of, param, area):
    if not param:
        return None
    result, node = services.latest_published_score(municipality, param, as_of, area=area)
    if node is None or node.score is None:
        return None
    if area:
        code = next(a.code for a in result.catalog.areas if a.code == node.code)
        path = url_for("diagnostic.area", slug=municipality.slug, code=code, assessment=result.assessment.id,
                       _external=False)
    else:
        path = url_for("diagnostic.indicator", slug=municipality.slug, code=node.code, assessment=result.assessment.id,
                       _external=False)
    return SourceValue(node.score, detail=f"Diagnóstico {result.assessment.date.isoformat()}", url=path)


def indicator_value(municipality, as_of, param=None):
    return _value(municipality, as_of, param, area=False)


def area_value(municipality, as_of, param=None):
    return _value(municipality, as_of, param, area=True)


SOURCES = (
    Source("diagnostic.indicator", _l("Puntaje de un indicador del diagnóstico"), "diagnostic", "score",
           indicator_value, _l("El último puntaje publicado del indicador (parámetro: su código), de 0 a 100.")),
    Source("diagnostic.area", _l("Puntaje de un área del diagnóstico"), "diagnostic", "score", area_value,
           _l("El último puntaje publicado del área (parámetro: su código o nombre), de 0 a 100.")),
)
