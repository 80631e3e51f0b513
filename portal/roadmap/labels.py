"""Translatable names of the roadmap's states and kinds (Spanish message ids)."""
import re

from flask_babel import gettext as _
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


# The reference of a work that a voted participatory-budget project became: process and project.
PARTICIPATORY_REF = re.compile(r"pp-(?P<process>\d+)-(?P<project>.+)")


def participatory_ref(process_id: int, project_ref: str) -> str:
    """The ``source_ref`` of the roadmap work made from a participatory-budget project."""
    return f"pp-{process_id}-{project_ref}"


def source_ref_text(value) -> str:
    """A work's reference as people read it: a participatory-budget work names its project
    ("proyecto 3 del presupuesto participativo"); a matrix's own reference is shown as written."""
    found = PARTICIPATORY_REF.fullmatch(str(value))
    return _("proyecto %(ref)s del presupuesto participativo", ref=found["project"]) if found else str(value)
