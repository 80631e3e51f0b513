"""Translatable names of the roadmap's states and kinds (Spanish message ids)."""
from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "not_started": _l("Sin iniciar"),
    "in_progress": _l("En curso"),
    "done": _l("Realizada"),
    "delayed": _l("Retrasada"),
    "cancelled": _l("Cancelada"),
}
# Status display: a band key (shape + colour) for each follow-up state.
STATE_BANDS = {"done": "alto", "in_progress": "medio-alto", "delayed": "bajo", "not_started": "none",
               "cancelled": "none"}
TIMELINESS_LABELS = {
    "done": _l("Realizada"),
    "on_time": _l("A tiempo"),
    "late": _l("Atrasada"),
    "upcoming": _l("Por iniciar"),
    "cancelled": _l("Cancelada"),
}
TIMELINESS_BANDS = {"done": "alto", "on_time": "medio-alto", "late": "bajo", "upcoming": "none", "cancelled": "none"}
GOAL_LABELS = {
    "met": _l("Cumplida"),
    "on_track": _l("En camino"),
    "missed": _l("No cumplida"),
    "no_data": _l("Sin datos"),
}
GOAL_BANDS = {"met": "alto", "on_track": "medio", "missed": "bajo", "no_data": "none"}
MARKER_LABELS = {"milestone": _l("Hito"), "evaluation": _l("Punto de evaluación")}
