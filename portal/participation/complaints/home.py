"""What the municipality's home shows of complaints: reporting a problem, and how many
reports were resolved in the last twelve months (one query each)."""
from datetime import datetime, time, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select

from portal.core.clock import utcnow
from portal.core.sections import Action, Figure, WorkItem
from portal.extensions import db
from portal.participation.complaints.models import (
    OPEN_STATUSES,
    RECEIVED,
    RESOLVED_STATUSES,
    Report,
)
from portal.participation.complaints.services import categories, has_categories


def actions(municipality, today) -> list[Action]:
    if not has_categories(municipality):
        return []
    return [Action(_("Reportar un problema (calles, alumbrado, basura, agua…)"), url_for("complaints.new"))]


def figure(municipality, today=None):
    today = today or datetime.now().date()
    since = datetime.combine(today - timedelta(days=365), time.min)
    resolved = db.session.execute(select(func.count(Report.id)).where(
        Report.municipality_id == municipality.id, Report.hidden.is_(False),
        Report.status.in_(RESOLVED_STATUSES), Report.closed_at >= since)).scalar_one()
    if not resolved:
        return None
    return Figure(resolved, "count", ngettext("reporte resuelto en los últimos 12 meses",
                                              "reportes resueltos en los últimos 12 meses", resolved),
                  url_for("complaints.statistics"))


def work(municipality, now=None) -> list[WorkItem]:
    """Reports received and not yet looked at, and open reports past their service's
    deadline (two queries)."""
    now = now or utcnow()
    cutoffs = [and_(Report.category_id == c.id, Report.created_at < now - timedelta(days=c.service_days))
               for c in categories(municipality, active_only=False)]
    received, overdue = db.session.execute(select(
        func.count(Report.id).filter(Report.status == RECEIVED),
        func.count(Report.id).filter(Report.status.in_(OPEN_STATUSES), or_(*cutoffs)) if cutoffs else func.count(None)
    ).where(Report.municipality_id == municipality.id)).one()
    return [WorkItem(ngettext("%(num)d reporte vencido (fuera del plazo del servicio)",
                              "%(num)d reportes vencidos (fuera del plazo del servicio)", overdue),
                     overdue, url_for("complaints_staff.inbox", vencidos=1), ("moderator",)),
            WorkItem(ngettext("%(num)d reporte recibido sin atender", "%(num)d reportes recibidos sin atender",
                              received), received, url_for("complaints_staff.inbox", estado=RECEIVED), ("moderator",))]
