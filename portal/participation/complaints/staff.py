"""Staff use cases: the inbox, assigning, status changes, updates, moderation, export,
API keys. Every change first *claims* the report at the version the person saw, so of
two people changing the same report at once exactly one wins (:class:`Conflict`)."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, or_, select, update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.core import bounds
from portal.core.clock import utcnow
from portal.core import uploads
from portal.extensions import db
from portal.participation.complaints import notify
from portal.participation.complaints.models import (
    CLOSED_STATUSES, DUPLICATE, NOT_OURS, OPEN_STATUSES, STATUSES, WONT_FIX, ApiKey, Category, Confirmation,
    Moderation, Report, ReportUpdate, Unit)
from portal.participation.complaints.services import ReportError, categories, normalize_code


class Conflict(Exception):
    """Someone else changed the report after this person opened it."""


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    category_id: int | None = None
    district_id: int | None = None
    unit_id: int | None = None
    overdue: bool = False


def units(municipality) -> list[Unit]:
    return list(db.session.execute(select(Unit).where(Unit.municipality_id == municipality.id)
                                   .order_by(Unit.name)).scalars())


# The inbox is paged newest first by (created_at, id): keyset paging, see portal.core.pagination.
INBOX_KEY = (Report.created_at, Report.id)


def inbox_statement(municipality, filters: InboxFilters, now=None):
    """Reports of the municipality, newest first, with what the inbox shows in one query."""
    now = now or utcnow()
    stmt = select(Report).where(Report.municipality_id == municipality.id) \
        .options(joinedload(Report.category), joinedload(Report.unit), joinedload(Report.district))
    if filters.status == "open":
        stmt = stmt.where(Report.status.in_(OPEN_STATUSES))
    elif filters.status == "hidden":
        stmt = stmt.where(Report.hidden.is_(True))
    elif filters.status in STATUSES:
        stmt = stmt.where(Report.status == filters.status)
    if filters.category_id:
        stmt = stmt.where(Report.category_id == filters.category_id)
    if filters.district_id:
        stmt = stmt.where(Report.district_id == filters.district_id)
    if filters.unit_id:
        stmt = stmt.where(Report.unit_id == filters.unit_id)
    if filters.overdue:
        # Portable date arithmetic: one cut-off per category instead of SQL interval maths.
        cutoffs = [and_(Report.category_id == c.id, Report.created_at < now - timedelta(days=c.service_days))
                   for c in categories(municipality, active_only=False)]
        stmt = stmt.where(Report.status.in_(OPEN_STATUSES), or_(*cutoffs) if cutoffs else false())
    return stmt.order_by(Report.created_at.desc(), Report.id.desc())


def load_for_staff(municipality, report_id: int) -> Report | None:
    return db.session.execute(
        select(Report).where(Report.municipality_id == municipality.id, Report.id == report_id)
        .options(joinedload(Report.category), joinedload(Report.unit), joinedload(Report.district),
                 joinedload(Report.neighbourhood), joinedload(Report.duplicate_of),
                 selectinload(Report.updates), joinedload(Report.category).selectinload(Category.attributes))
    ).unique().scalar_one_or_none()


def moderations(report: Report) -> list[Moderation]:
    return list(db.session.execute(select(Moderation).where(Moderation.report_id == report.id)
                                   .order_by(Moderation.id)).scalars())


def confirmations(report: Report) -> list[Confirmation]:
    return list(db.session.execute(select(Confirmation).where(Confirmation.report_id == report.id)
                                   .order_by(Confirmation.id)).scalars())


def claim(report: Report, expected_version: int) -> None:
    """Atomically move the report from the version the person saw to the next one."""
    result = db.session.execute(
        update(Report).where(Report.id == report.id, Report.version == expected_version)
        .values(version=Report.version + 1, updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict()
    set_committed_value(report, "version", expected_version + 1)


def _update(report, kind, author, **values) -> ReportUpdate:
    entry = ReportUpdate(municipality_id=report.municipality_id, kind=kind,
                         author_id=author.id if author is not None else None, **values)
    report.updates.append(entry)
    return entry


def change_status(municipality, report: Report, expected_version: int, new_status: str, *, reason: str = "",
                  duplicate_of_code: str = "", note: str = "", author=None) -> ReportUpdate:
    """Change the status; "not ours" needs where to go, "won't fix" a reason, "duplicate" the original."""
    if report.municipality_id != municipality.id:
        raise ReportError("report", _l("Reporte desconocido."))
    if new_status not in STATUSES:
        raise ReportError("status", _l("Estado desconocido."))
    reason = (reason or "").strip()
    if new_status in (NOT_OURS, WONT_FIX) and not reason:
        raise ReportError("reason", _l("Indique adónde acudir (no es competencia municipal) o por qué no se "
                                       "atenderá."))
    original = None
    if new_status == DUPLICATE:
        code = (duplicate_of_code or "").strip().lstrip("#")
        if bounds.is_id(code):
            original = db.session.execute(select(Report).where(
                Report.municipality_id == municipality.id, Report.id == int(code))).scalar_one_or_none()
        else:
            original = db.session.execute(select(Report).where(
                Report.municipality_id == municipality.id, Report.code == normalize_code(code))).scalar_one_or_none()
        if original is None or original.id == report.id:
            raise ReportError("duplicate_of", _l("Indique el número del reporte original."))
    if new_status == report.status and original is None:
        raise ReportError("status", _l("El reporte ya tiene ese estado."))
    claim(report, expected_version)
    entry = _update(report, "status", author, old_status=report.status, new_status=new_status,
                    body=(note or reason or "").strip())
    report.status = new_status
    report.status_reason = reason if new_status in (NOT_OURS, WONT_FIX) else ""
    report.duplicate_of_id = original.id if original is not None else None
    if new_status in CLOSED_STATUSES:
        report.closed_at = utcnow()
    else:
        report.closed_at = None
    if note or reason:
        report.status_notes = (note or reason).strip()
    report.updated_at = utcnow()
    db.session.flush()
    notify.status_changed(report, (note or reason or "").strip())
    return entry


def assign(municipality, report: Report, expected_version: int, unit_id: int | None, author=None) -> None:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit_id and (unit is None or unit.municipality_id != municipality.id):
        raise ReportError("unit", _l("Unidad desconocida."))
    claim(report, expected_version)
    report.unit = unit
    _update(report, "assignment", author, body=unit.name if unit else "")
    db.session.flush()


def add_update(municipality, report: Report, expected_version: int, body: str, public: bool,
               author=None) -> ReportUpdate:
    """A public update (shown on the tracking page and e-mailed) or an internal note."""
    body = (body or "").strip()
    if not body:
        raise ReportError("body", _l("Escriba la actualización."))
    claim(report, expected_version)
    entry = _update(report, "public" if public else "note", author, body=body[:4000])
    if public:
        report.status_notes = body[:4000]
    db.session.flush()
    if public:
        notify.public_update(report, body)
    return entry


def set_hidden(municipality, report: Report, expected_version: int, hidden: bool, reason: str = "",
               author=None) -> None:
    """Hide an abusive report from every public page and the API (or show it again)."""
    claim(report, expected_version)
    if hidden != report.hidden and report.photo:  # a hidden report's photo is not served either
        (uploads.withdraw if hidden else uploads.restore)(municipality.id, report.photo)
    report.hidden = hidden
    _update(report, "moderation", author, body=("hidden: " if hidden else "shown: ") + (reason or "").strip())
    db.session.flush()


def moderate(municipality, report: Report, expected_version: int, *, description: str | None = None,
             remove_photo: bool = False, reason: str = "", author=None) -> list[Moderation]:
    """Edit the public text or remove the photo; the original stays in :class:`Moderation`."""
    changes = []
    if description is not None and description.strip() != report.description:
        changes.append(Moderation(report_id=report.id, field="description", original=report.description,
                                  replacement=description.strip(), reason=reason,
                                  moderator_id=author.id if author else None))
    if remove_photo and report.photo:
        changes.append(Moderation(report_id=report.id, field="photo", original=report.photo, replacement="",
                                  reason=reason, moderator_id=author.id if author else None))
    if not changes:
        raise ReportError("description", _l("No hay nada que cambiar."))
    claim(report, expected_version)  # before touching the report, so a lost race writes nothing
    for change in changes:
        if change.field == "description":
            report.description = change.replacement
        else:
            uploads.withdraw(municipality.id, report.photo)  # unreachable once this commits
            report.photo = None
    db.session.add_all(changes)
    _update(report, "moderation", author, body=", ".join(c.field for c in changes) + ": " + (reason or ""))
    db.session.flush()
    return changes


EXPORT_COLUMNS = ["id", "created_at", "category_code", "category", "district", "neighbourhood", "address",
                  "description", "status", "unit", "closed_at", "days_to_resolve", "service_days", "overdue",
                  "supports", "reopen_count", "confirmation", "channel", "hidden"]


EXPORT_BATCH = 500


def export_rows(municipality, filters: InboxFilters, *, visible_only: bool = False, offset: int = 0):
    """Anonymized rows: no name, e-mail, phone, tracking code or coordinates. Read
    ``EXPORT_BATCH`` reports at a time (memory stays flat however many there are); with
    ``visible_only`` hidden reports are left out, and ``offset`` skips rows in the database."""
    from portal.participation.complaints.stats import days_between

    now = utcnow()
    stmt = inbox_statement(municipality, filters, now).options(joinedload(Report.neighbourhood))
    if visible_only:
        stmt = stmt.where(Report.hidden.is_(False))
    if offset:
        stmt = stmt.offset(offset)
    result = db.session.execute(stmt.execution_options(yield_per=EXPORT_BATCH))
    try:
        yield from (_export_row(report, now, days_between) for report in result.scalars())
    finally:
        result.close()  # also when the reader stops early (a page of the API)


def _export_row(report, now, days_between) -> dict:
    return {
        "id": report.id, "created_at": report.created_at.replace(microsecond=0),
        "category_code": report.category.code, "category": report.category.name,
        "district": report.district.name if report.district else "",
        "neighbourhood": report.neighbourhood.name if report.neighbourhood else "",
        "address": report.address, "description": "" if report.hidden else report.description,
        "status": report.status, "unit": report.unit.name if report.unit else "",
        "closed_at": report.closed_at and report.closed_at.replace(microsecond=0),
        "days_to_resolve": (round(days_between(report.created_at, report.closed_at), 2)
                            if report.closed_at else None),
        "service_days": report.category.service_days, "overdue": report.is_overdue(now),
        "supports": report.supports_count, "reopen_count": report.reopen_count,
        "confirmation": report.confirmation or "", "channel": report.channel, "hidden": report.hidden,
    }


def hash_key(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def create_api_key(municipality, app_name: str) -> tuple[ApiKey, str]:
    """A new key for a client application; the plain key is returned once and never stored."""
    app_name = (app_name or "").strip()
    if not app_name:
        raise ReportError("app_name", _l("Indique el nombre de la aplicación."))
    plain = "o311_" + secrets.token_urlsafe(30)
    key = ApiKey(municipality_id=municipality.id, app_name=app_name[:120], key_hash=hash_key(plain),
                 prefix=plain[:10])
    db.session.add(key)
    db.session.flush()
    return key, plain


def api_keys(municipality) -> list[ApiKey]:
    return list(db.session.execute(select(ApiKey).where(ApiKey.municipality_id == municipality.id)
                                   .order_by(ApiKey.created_at.desc())).scalars())


def revoke_api_key(municipality, key_id: int) -> None:
    key = db.session.get(ApiKey, key_id)
    if key is None or key.municipality_id != municipality.id:
        raise ReportError("key", _l("Clave desconocida."))
    key.revoked_at = key.revoked_at or utcnow()
    db.session.flush()


def check_api_key(municipality, plain: str | None) -> ApiKey | None:
    if not plain:
        return None
    key = db.session.execute(select(ApiKey).where(ApiKey.key_hash == hash_key(plain))).scalar_one_or_none()
    if key is None or key.municipality_id != municipality.id or key.revoked_at is not None:
        return None
    return key


def category_by_id(municipality, category_id) -> Category | None:
    category = db.session.get(Category, category_id) if category_id else None
    return category if category is not None and category.municipality_id == municipality.id else None
