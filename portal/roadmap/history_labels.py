"""How the change record names the roadmap's objects and fields (see portal.audit.labels)."""
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register
from portal.core.registry import source as get_source
from portal.roadmap.labels import MARKER_LABELS, STATE_LABELS, source_ref_text

UNIT_LABELS = {"month": _l("mes"), "week": _l("semana"), "day": _l("día")}
GOAL_UNITS = {"ratio": _l("proporción (0 a 1)"), "percent": _l("porcentaje"), "money": _l("dinero"),
              "number": _l("número")}
GOAL_DIRECTIONS = {">=": _l("al menos (≥)"), "<=": _l("como máximo (≤)"), ">": _l("más de (>)"),
                   "<": _l("menos de (<)"), "=": _l("exactamente (=)")}


def source_label(key):
    """The indicator a goal reads, by its name (the key if it is no longer registered)."""
    source = get_source(key)
    return source.label if source is not None else key


def register_all():
    register("Plan", _l("Plan de acción"),
             fields={"approved_on": _l("aprobado el"), "council_act": _l("acta del concejo"),
                     "time_unit": _l("unidad del cronograma")},
             values={"approved_on": "date", "time_unit": UNIT_LABELS})
    register("Horizon", _l("Horizonte"), fields={"starts_on": _l("inicio"), "ends_on": _l("fin")},
             values={"starts_on": "date", "ends_on": "date"})
    register("CorrectiveAction", _l("Acción correctiva"))
    register("Activity", _l("Actividad"),
             fields={"number": _l("número"), "area": _l("área"), "starts_on": _l("inicio"), "ends_on": _l("fin"),
                     "period_unit": _l("período dado en"), "permanent": _l("permanente"),
                     "responsible": _l("responsable"), "cost": _l("costo estimado"), "currency": _l("moneda"),
                     "target_codes": _l("indicadores que busca mejorar"),
                     "budget_lines": _l("partidas presupuestarias"), "state": _l("estado"), "done": _l("realizada"),
                     "verification_url": _l("enlace de verificación"),
                     "verification_file": _l("documento de verificación"),
                     "verification_text": _l("verificación"), "limitation": _l("limitación"),
                     "observations": _l("observaciones"), "progress": _l("avance (%)"), "weight": _l("peso"),
                     "actual_cost": _l("costo real"), "source_ref": _l("referencia en la matriz")},
             values={"starts_on": "date", "ends_on": "date", "period_unit": UNIT_LABELS, "cost": "money",
                     "actual_cost": "money", "state": STATE_LABELS, "verification_file": "file",
                     "source_ref": source_ref_text})
    register("Milestone", _l("Hito"), fields={"due_on": _l("fecha"), "reached": _l("alcanzado")},
             values={"kind": MARKER_LABELS, "due_on": "date"})
    register("Goal", _l("Meta"),
             fields={"source_key": _l("indicador que la mide"), "source_param": _l("parámetro del indicador"),
                     "target": _l("valor de la meta"), "baseline": _l("línea de base"),
                     "baseline_year": _l("año de la línea de base")},
             values={"direction": GOAL_DIRECTIONS, "unit": GOAL_UNITS, "source_key": source_label})
    register("Review", _l("Revisión del plan"),
             fields={"held_on": _l("fecha"), "approved_changes": _l("cambios aprobados"),
                     "council_act": _l("acta del concejo")},
             values={"held_on": "date"})
