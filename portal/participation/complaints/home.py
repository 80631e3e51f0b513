"""What the municipality's home shows of complaints: reporting a problem, and how many
reports were resolved in the last twelve months (one query each)."""
from datetime import datetime, time, timedelta

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from portal.core.sections import Action, Figure
from portal.extensions import db
from portal.participation.complaints.models import RESOLVED_STATUSES, Report
from portal.participation.complaints.services import has_categories


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
