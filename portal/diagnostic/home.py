"""What the staff dashboard shows of the diagnostic: assessments waiting for the
verifier, queries the verifier sent back, and verified assessments to publish (one query)."""
from flask import url_for
from flask_babel import ngettext
from sqlalchemy import func, select

from portal.core.publication import PUBLISHED
from portal.core.sections import WorkItem
from portal.diagnostic.models import Assessment
from portal.extensions import db

STAGES = ("submitted", "queried", "verified")  # in the order of the work


def _label(stage: str, count: int) -> tuple[str, tuple]:
    """What is waiting, and who acts on it."""
    if stage == "submitted":
        return ngettext("%(num)d diagnóstico enviado espera verificación",
                        "%(num)d diagnósticos enviados esperan verificación", count), ("verifier",)
    if stage == "queried":
        return ngettext("%(num)d diagnóstico con consultas del verificador por responder",
                        "%(num)d diagnósticos con consultas del verificador por responder", count), ("editor",)
    return ngettext("%(num)d diagnóstico verificado sin publicar",
                    "%(num)d diagnósticos verificados sin publicar", count), ("publisher",)


def work(municipality) -> list[WorkItem]:
    rows = db.session.execute(
        select(Assessment.stage, func.count(Assessment.id), func.min(Assessment.id))
        .where(Assessment.municipality_id == municipality.id, Assessment.status != PUBLISHED,
               Assessment.stage.in_(STAGES))
        .group_by(Assessment.stage)).all()
    items = []
    for stage, count, first in sorted(rows, key=lambda row: STAGES.index(row[0])):
        label, roles = _label(stage, count)
        items.append(WorkItem(label, count, url_for("diagnostic_staff.assessment", assessment_id=first), roles))
    return items
