"""Residents' use cases: report, find similar reports, support, track, confirm a fix.

Every function takes the municipality first and only flushes; the web form and the
Open311 API both create reports through :func:`create_report`, so a request posted by
an application is the same report the web form creates.
"""
import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.core import bounds
from portal.core.clock import utcnow
from portal.extensions import db
from portal.municipalities.models import District
from portal.participation.complaints import notify
from portal.participation.complaints.models import (
    FIXED,
    IN_PROGRESS,
    OPEN_STATUSES,
    RECEIVED,
    Category,
    Confirmation,
    Neighbourhood,
    Report,
    ReportUpdate,
    Support,
)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read aloud
CODE_LENGTH = 8  # 31**8 ~ 8.5e11 codes: not guessable at the rate limits we allow
MAX_DESCRIPTION = 4000
SIMILAR_DAYS = 30


class ReportError(ValueError):
    """A field of a report is wrong; ``field`` names it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class ReportInput:
    category: Category
    description: str = ""
    district_id: int | None = None
    neighbourhood_id: int | None = None
    address: str = ""
    address_id: str = ""
    lat: Decimal | None = None
    long: Decimal | None = None
    photo: str | None = None
    media_url: str = ""
    answers: dict = field(default_factory=dict)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    idempotency_key: str | None = None
    channel: str = "web"
    api_key_id: int | None = None
    device_id: str = ""
    account_id: str = ""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:CODE_LENGTH]


def categories(municipality, active_only: bool = True) -> list[Category]:
    stmt = select(Category).where(Category.municipality_id == municipality.id) \
        .options(selectinload(Category.attributes), joinedload(Category.default_unit)) \
        .order_by(Category.position, Category.name)
    if active_only:
        stmt = stmt.where(Category.active.is_(True))
    return list(db.session.execute(stmt).unique().scalars())


def get_category(municipality, code: str) -> Category | None:
    return db.session.execute(
        select(Category).where(Category.municipality_id == municipality.id, Category.code == code)
        .options(selectinload(Category.attributes))).scalar_one_or_none()


def has_categories(municipality) -> bool:
    return bool(db.session.execute(select(exists().where(
        Category.municipality_id == municipality.id, Category.active.is_(True)))).scalar())


def neighbourhoods(municipality) -> list[Neighbourhood]:
    return list(db.session.execute(
        select(Neighbourhood).where(Neighbourhood.municipality_id == municipality.id)
        .options(joinedload(Neighbourhood.district)).order_by(Neighbourhood.name)).scalars())


def parse_coordinate(text, low: int, high: int, name: str) -> Decimal | None:
    """A latitude or longitude within ``low``..``high``, rounded to 8 decimals (about a
    millimetre: what the column keeps)."""
    try:
        value = bounds.decimal_value(text, name, digits=3, places=60, minimum=low, maximum=high)
    except bounds.OutOfBounds as error:
        raise ReportError(name, error.detail) from None
    return None if value is None else value.quantize(Decimal("0.00000001"), rounding=ROUND_HALF_UP)


def check_answers(category: Category, raw: dict[str, list[str]]) -> dict:
    """Validate answers to the category's extra questions. ``raw`` maps code -> values."""
    answers = {}
    for attribute in category.attributes:
        if not attribute.variable:
            continue
        values = [v.strip() for v in raw.get(attribute.code, []) if v is not None and v.strip()]
        if not values:
            if attribute.required:
                raise ReportError(attribute.code, _l("Falta responder «%(question)s».",
                                                     question=attribute.description or attribute.code))
            continue
        keys = {k for k, _ in attribute.values}
        if attribute.datatype == "singlevaluelist":
            if values[0] not in keys:
                raise ReportError(attribute.code, _l("«%(value)s» no es una de las opciones.", value=values[0]))
            answers[attribute.code] = values[0]
        elif attribute.datatype == "multivaluelist":
            wrong = [v for v in values if v not in keys]
            if wrong:
                raise ReportError(attribute.code, _l("«%(value)s» no es una de las opciones.", value=wrong[0]))
            answers[attribute.code] = values
        elif attribute.datatype == "number":
            try:
                number = Decimal(values[0])
            except InvalidOperation:
                raise ReportError(attribute.code, _l("«%(value)s» no es un número.", value=values[0])) from None
            if not number.is_finite():
                raise ReportError(attribute.code, _l("«%(value)s» no es un número.", value=values[0]))
            answers[attribute.code] = values[0]
        else:
            answers[attribute.code] = values[0][:2000]
    return answers


def find_by_idempotency(municipality, key: str | None) -> Report | None:
    if not key:
        return None
    return db.session.execute(select(Report).where(
        Report.municipality_id == municipality.id, Report.idempotency_key == key)).scalar_one_or_none()


def _check_place(municipality, data: ReportInput):
    if data.district_id is not None:
        district = db.session.get(District, data.district_id)
        if district is None or district.municipality_id != municipality.id:
            raise ReportError("district", _l("Distrito desconocido."))
    if data.neighbourhood_id is not None:
        place = db.session.get(Neighbourhood, data.neighbourhood_id)
        if place is None or place.municipality_id != municipality.id:
            raise ReportError("neighbourhood", _l("Barrio desconocido."))
        if data.district_id is None:
            data.district_id = place.district_id
        elif place.district_id != data.district_id:
            raise ReportError("neighbourhood", _l("El barrio no está en ese distrito."))


def create_report(municipality, data: ReportInput) -> tuple[Report, bool]:
    """Store a report once per idempotency key; returns (report, created)."""
    existing = find_by_idempotency(municipality, data.idempotency_key)
    if existing is not None:
        return existing, False
    if data.category.municipality_id != municipality.id or not data.category.active:
        raise ReportError("category", _l("Servicio desconocido."))
    if len(data.description or "") > MAX_DESCRIPTION:
        raise ReportError("description", _l("La descripción pasa de 4.000 caracteres."))
    _check_place(municipality, data)
    report = Report(
        municipality_id=municipality.id, code=new_code(), category=data.category,
        unit_id=data.category.default_unit_id, description=(data.description or "").strip(),
        district_id=data.district_id, neighbourhood_id=data.neighbourhood_id,
        address=(data.address or "").strip()[:300], address_id=(data.address_id or "")[:80],
        lat=data.lat, long=data.long, photo=data.photo, media_url=(data.media_url or "")[:500],
        answers_json=json.dumps(data.answers, ensure_ascii=False, sort_keys=True),
        contact_name=data.contact_name.strip()[:160], contact_email=data.contact_email.strip()[:254],
        contact_phone=data.contact_phone.strip()[:40], idempotency_key=data.idempotency_key or None,
        channel=data.channel, api_key_id=data.api_key_id, device_id=data.device_id[:120],
        account_id=data.account_id[:120], status=RECEIVED, created_at=utcnow(), updated_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(report)
            report.updates.append(ReportUpdate(municipality_id=municipality.id, kind="status",
                                               new_status=RECEIVED, created_at=report.created_at))
            db.session.flush()
    except IntegrityError:
        # The same key arrived twice at once: the first one stored it.
        existing = find_by_idempotency(municipality, data.idempotency_key)
        if existing is None:
            raise
        return existing, False
    notify.received(report)
    return report, True


def similar_open(municipality, category: Category, district_id: int | None, limit: int = 5) -> list[Report]:
    """Open, visible reports of the same category and district from the last 30 days."""
    if district_id is None:
        return []
    since = utcnow() - timedelta(days=SIMILAR_DAYS)
    return list(db.session.execute(
        select(Report).where(Report.municipality_id == municipality.id, Report.category_id == category.id,
                             Report.district_id == district_id, Report.status.in_(OPEN_STATUSES),
                             Report.hidden.is_(False), Report.created_at >= since)
        .options(joinedload(Report.neighbourhood))
        .order_by(Report.supports_count.desc(), Report.created_at.desc()).limit(limit)).scalars())


def get_report(municipality, report_id: int) -> Report | None:
    report = db.session.get(Report, report_id)
    return report if report is not None and report.municipality_id == municipality.id else None


def add_support(municipality, report: Report, supporter_key: str) -> bool:
    """Count one "me too" per browser; returns False when this browser already supported it."""
    if report.hidden or not report.is_open:
        return False
    already = db.session.execute(select(Support.id).where(
        Support.report_id == report.id, Support.supporter_key == supporter_key)).first()
    if already:
        return False
    db.session.add(Support(report_id=report.id, supporter_key=supporter_key[:64]))
    db.session.execute(update(Report).where(Report.id == report.id, Report.municipality_id == municipality.id)
                       .values(supports_count=Report.supports_count + 1))
    db.session.flush()
    db.session.refresh(report, ["supports_count"])
    return True


def track(municipality, code: str) -> Report | None:
    """The report behind a tracking code, with what its public page needs (fixed queries)."""
    code = normalize_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.execute(
        select(Report).where(Report.municipality_id == municipality.id, Report.code == code)
        .options(joinedload(Report.category), joinedload(Report.unit), joinedload(Report.district),
                 joinedload(Report.neighbourhood), joinedload(Report.duplicate_of),
                 selectinload(Report.updates), joinedload(Report.category).selectinload(Category.attributes))
    ).unique().scalar_one_or_none()


def public_timeline(report: Report) -> list[ReportUpdate]:
    return [u for u in report.updates if u.is_public]


def can_confirm(report: Report) -> bool:
    return report.status == FIXED and not report.hidden


def confirm(municipality, report: Report, answer: str, comment: str = "") -> Confirmation:
    """The resident says whether the fix worked; "no" reopens the report and tells the unit."""
    if report.municipality_id != municipality.id:
        raise ReportError("report", _l("Reporte desconocido."))
    if answer not in ("yes", "partly", "no"):
        raise ReportError("answer", _l("Elija sí, en parte o no."))
    if not can_confirm(report):
        raise ReportError("answer", _l("Solo se puede confirmar un reporte marcado como resuelto."))
    confirmation = Confirmation(report_id=report.id, answer=answer, comment=(comment or "").strip()[:1000])
    db.session.add(confirmation)
    report.confirmation = answer
    # The comment may hold personal details: it stays with the (private) confirmation, not the public record.
    report.updates.append(ReportUpdate(municipality_id=municipality.id, kind="confirmation", new_status=answer))
    if answer == "no":
        report.updates.append(ReportUpdate(municipality_id=municipality.id, kind="status", old_status=FIXED,
                                           new_status=IN_PROGRESS))
        report.status = IN_PROGRESS
        report.reopen_count += 1
        report.closed_at = None
        report.version += 1
    report.updated_at = utcnow()
    db.session.flush()
    if answer == "no":
        notify.reopened(report, confirmation.comment)
    return confirmation
