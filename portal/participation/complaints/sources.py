"""Complaint statistics from the database, and the diagnostic sources they feed.

Sources (``param`` = an optional category code), over reports received in the 12
months before ``as_of``:
- ``complaints.resolved_on_time``: share resolved within the service level (ratio 0-1);
- ``complaints.median_days``: median days to resolve;
- ``complaints.confirmed_fixed``: share of residents' answers saying "fixed" (ratio);
- ``complaints.reopen_rate``: share of fixed reports reopened (ratio).
"""
from datetime import date, datetime, time, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.audit import services as audit
from portal.core.registry import Source, SourceValue
from portal.extensions import db
from portal.participation.complaints import stats
from portal.participation.complaints.models import Category, Report

WINDOW_DAYS = 365


def facts(municipality, since: datetime | None = None, until: datetime | None = None,
          category_code: str | None = None) -> list[stats.ReportFacts]:
    """Plain facts about the municipality's visible reports, in one query."""
    stmt = select(Category.code, Report.created_at, Report.status, Report.closed_at, Category.service_days,
                  Report.reopen_count, Report.confirmation) \
        .join(Category, Report.category_id == Category.id) \
        .where(Report.municipality_id == municipality.id, Report.hidden.is_(False))
    if since is not None:
        stmt = stmt.where(Report.created_at >= since)
    if until is not None:
        stmt = stmt.where(Report.created_at <= until)
    if category_code:
        stmt = stmt.where(Category.code == category_code)
    return [stats.ReportFacts(category=row[0], created=row[1], status=row[2], closed=row[3],
                              service_days=row[4], reopened=row[5] > 0, confirmation=row[6])
            for row in db.session.execute(stmt)]


def _version(municipality) -> str:
    """What the statistics of a municipality depend on, in one query of index lookups: its
    newest report, its newest report update (every status change, confirmation, reopening
    and moderation writes one) and its change-record head (service levels of categories)."""
    from portal.participation.complaints.models import ReportUpdate

    newest_report = select(func.max(Report.id)).where(Report.municipality_id == municipality.id).scalar_subquery()
    of_municipality = ReportUpdate.municipality_id == municipality.id
    newest_update = select(func.max(ReportUpdate.id)).where(of_municipality).scalar_subquery()
    # and how many updates: ids may be committed out of order on PostgreSQL, the count moves anyway
    updates = select(func.count(ReportUpdate.id)).where(of_municipality).scalar_subquery()
    head = audit.heads(str(municipality.id)).scalar_subquery()
    return ":".join(str(v or 0) for v in db.session.execute(
        select(newest_report, newest_update, updates, head)).one())


def window_statistics(municipality, as_of: date) -> tuple[stats.Summary, dict]:
    """(overall, {category code: Summary}) for the 12 months before ``as_of``. Computed from
    every report of the window (about 5 µs a report), then kept in the cache until a report
    or an update is added or the day changes: a statistics page of a municipality with
    hundreds of thousands of complaints answers from it in milliseconds."""
    from portal.core.caching import cache

    key = f"complaint-stats:{municipality.id}:{as_of.isoformat()}:{_version(municipality)}"
    found = cache.get(key)
    if found is not None:
        return found
    since, until = window(as_of)
    reports = facts(municipality, since, until)
    result = (stats.summarize(reports, until), stats.by_category(reports, until))
    cache.set(key, result, timeout=86400)
    return result


def window(as_of: date) -> tuple[datetime, datetime]:
    end = datetime.combine(as_of, time.max) if not isinstance(as_of, datetime) else as_of
    return end - timedelta(days=WINDOW_DAYS), end


def summary(municipality, as_of: date, category_code: str | None = None) -> stats.Summary:
    since, until = window(as_of)
    return stats.summarize(facts(municipality, since, until, category_code), until)


def _source(attribute: str, count_attribute: str):
    def value(municipality, as_of, param=None):
        result = summary(municipality, as_of, param or None)
        figure = getattr(result, attribute)
        if figure is None:
            return None
        return SourceValue(value=figure, detail=f"n={getattr(result, count_attribute)}",
                           url=url_for("complaints.statistics", slug=municipality.slug, _external=False))
    return value


resolved_on_time = _source("on_time", "on_time_n")

SOURCES = (
    Source(
        key="complaints.resolved_on_time", label=_l("Reclamos resueltos dentro del plazo"), domain="complaints",
        unit="ratio", value=resolved_on_time,
        description=_l("Proporción de reclamos de los últimos 12 meses resueltos dentro del plazo de su "
                       "servicio (los abiertos ya vencidos cuentan como fuera de plazo).")),
    Source(
        key="complaints.median_days", label=_l("Mediana de días para resolver un reclamo"), domain="complaints",
        unit="days", value=_source("median_days", "resolved"),
        description=_l("Mediana de días entre la recepción y la resolución, últimos 12 meses.")),
    Source(
        key="complaints.confirmed_fixed", label=_l("Reclamos confirmados como resueltos por los vecinos"),
        domain="complaints", unit="ratio", value=_source("confirmed_fixed", "confirmed_n"),
        description=_l("Proporción de respuestas «sí, quedó resuelto» entre las respuestas de los vecinos.")),
    Source(
        key="complaints.reopen_rate", label=_l("Reclamos reabiertos"), domain="complaints", unit="ratio",
        value=_source("reopen_rate", "reopen_n"),
        description=_l("Proporción de reclamos marcados como resueltos que el vecino reabrió.")),
)
