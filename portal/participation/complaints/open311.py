"""Open311 GeoReport v2 at ``/open311/v2/`` (``jurisdiction_id`` = municipality slug).

Decisions the specification leaves open (see docs/complaints.md):
- services are ``realtime``: POST answers ``service_request_id`` (status 200); the
  tracking code a resident gets is the request's ``token`` (``tokens/{code}``);
- a ``start_date``-``end_date`` span over 90 days is clamped to 90 days from the start;
- without dates the window is the last 90 days; at most 1000 requests per call, paged
  with the ``page``/``page_size`` extension;
- ``extensions=true`` adds ``extended_attributes`` (detailed status ...) and ``notes``.
"""
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.accounts.permissions import public
from portal.core import bounds
from portal.extensions import db, limiter
from portal.municipalities.models import Municipality
from portal.municipalities.services import get_by_slug
from portal.participation.complaints import services, staff
from portal.participation.complaints.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    PUBLIC_UPDATE_KINDS,
    Category,
    Report,
    ReportUpdate,
)
from portal.participation.complaints.open311_format import render

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
FMT = "<any(xml, json):fmt>"
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-22T00:00:00Z"
MAX_SPAN = timedelta(days=90)
MAX_PAGE = 1000
ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


class Open311Error(Exception):
    def __init__(self, status: int, description: str, code: int | None = None):
        super().__init__(description)
        self.status = status
        self.code = code or status
        self.description = description


def respond(fmt: str, root: str, value, status: int = 200) -> Response:
    body, mimetype = render(fmt, root, value)
    return Response(body, status=status, content_type=mimetype)


@bp.errorhandler(Open311Error)
def open311_error(error):
    fmt = (request.view_args or {}).get("fmt", "xml")
    return respond(fmt, "errors", [{"code": error.code, "description": error.description}], error.status)


def param(name: str) -> str | None:
    """A parameter from the query string or the form body, without control characters;
    empty means absent."""
    value = bounds.clean_text(request.values.get(name))
    return value.strip() if value is not None and value.strip() else None


def jurisdiction():
    slug = param("jurisdiction_id")
    if slug is None:
        if db.session.execute(select(func.count(Municipality.id))).scalar() == 1:
            return db.session.execute(select(Municipality)).scalar_one()
        raise Open311Error(400, "jurisdiction_id was not provided: this endpoint serves several jurisdictions.")
    municipality = get_by_slug(slug.lower())
    if municipality is None:
        raise Open311Error(404, f"Unknown jurisdiction_id '{slug}'.")
    return municipality


def _zone(municipality):
    try:
        return ZoneInfo(municipality.timezone or "UTC")
    except (KeyError, ValueError):
        return timezone.utc


def w3c(value: datetime | None, municipality) -> str | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc).astimezone(_zone(municipality)).isoformat(timespec="seconds")


def parse_w3c(name: str, municipality) -> datetime | None:
    """A W3C date as naive UTC; a space is read as '+' and a missing offset as local time."""
    try:
        return bounds.datetime_value(param(name), name, local=_zone(municipality))
    except bounds.OutOfBounds as error:
        raise Open311Error(400, str(error)) from None


def window(municipality) -> tuple[datetime, datetime | None]:
    """start_date/end_date as naive UTC, with the 90-day rule applied by clamping."""
    start, end = parse_w3c("start_date", municipality), parse_w3c("end_date", municipality)
    if start and end and end < start:
        raise Open311Error(400, "end_date is before start_date.")
    if start is None and end is None:
        start = datetime.now(timezone.utc).replace(tzinfo=None) - MAX_SPAN
    elif start is None:
        start = end - MAX_SPAN
    elif end is None or end - start > MAX_SPAN:
        end = start + MAX_SPAN  # the 90-day rule: clamped, not refused
    return start, end


def service_dict(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name, "description": category.description,
            "metadata": bool(category.attributes), "type": "realtime", "keywords": category.keywords,
            "group": category.group}


def request_dict(report: Report, municipality, extensions: bool = False) -> dict:
    closed = report.status in CLOSED_STATUSES
    media = report.media_url
    if report.photo:
        media = url_for("core.upload", municipality_id=report.municipality_id, name=report.photo, _external=True)
    data = {
        "service_request_id": str(report.id), "status": "closed" if closed else "open",
        "status_notes": report.status_notes or report.status_reason, "service_name": report.category.name,
        "service_code": report.category.code, "description": report.description,
        "agency_responsible": report.unit.name if report.unit else None, "service_notice": None,
        "requested_datetime": w3c(report.created_at, municipality),
        "updated_datetime": w3c(report.closed_at if closed and report.closed_at else report.updated_at, municipality),
        "expected_datetime": w3c(report.due_at, municipality), "address": report.address,
        "address_id": report.address_id, "zipcode": None, "lat": report.lat, "long": report.long,
        "media_url": media,
    }
    if extensions:
        data["extended_attributes"] = {
            "detailed_status": report.status.upper(), "channel": report.channel,
            "district": report.district.name if report.district else None,
            "neighbourhood": report.neighbourhood.name if report.neighbourhood else None,
            "duplicate": str(report.duplicate_of_id) if report.duplicate_of_id else None,
            "supports": str(report.supports_count), "reopen_count": str(report.reopen_count),
            "photos": [media] if media else []}
        data["notes"] = [{"datetime": w3c(u.created_at, municipality), "type": u.kind,
                          "description": u.body or (u.new_status or "")} for u in report.updates if u.is_public]
    return data


def _requests_statement(municipality, extensions: bool):
    stmt = select(Report).join(Report.category).where(Report.municipality_id == municipality.id,
                                                      Report.hidden.is_(False)) \
        .options(joinedload(Report.category), joinedload(Report.unit), joinedload(Report.district),
                 joinedload(Report.neighbourhood))
    if extensions:
        stmt = stmt.options(selectinload(Report.updates))
    return stmt


def _extensions() -> bool:
    return (param("extensions") or "").lower() == "true"


def _int(name: str, default: int, low: int, high: int) -> int:
    text = param(name)
    if text is None:
        return default
    try:
        value = bounds.integer_value(text, name, minimum=0)
    except bounds.OutOfBounds as error:
        raise Open311Error(400, str(error)) from None
    return min(max(value, low), high)


def _id(text: str) -> int:
    try:
        return bounds.integer_value(text, "service_request_id", minimum=1)
    except bounds.OutOfBounds as error:
        raise Open311Error(400, str(error)) from None


@bp.route(f"/discovery.{FMT}")
@public
def discovery(fmt):
    """Open311 GeoReport v2 discovery: the endpoint, its specification and formats."""
    endpoint = current_app.public_root() + bp.url_prefix
    return respond(fmt, "discovery", {
        "changeset": CHANGESET, "contact": "Cabildo: municipal open-government portal",
        "key_service": "API keys are issued by each municipality's administrators (Reclamos > Claves de API).",
        "endpoints": [{"specification": SPEC, "url": endpoint, "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}]})


@bp.route(f"/services.{FMT}")
@public
def service_list(fmt):
    """Open311 GeoReport v2: the municipality's services (complaint categories).

    :query jurisdiction_id: required when the portal serves several municipalities: the municipality's slug, e.g. intipuca
    """
    municipality = jurisdiction()
    return respond(fmt, "services", [service_dict(c) for c in services.categories(municipality)])


@bp.route(f"/services/<code>.{FMT}")
@public
def service_definition(code, fmt):
    """Open311 GeoReport v2: the extra questions (attributes) of one service.

    :query jurisdiction_id: required when the portal serves several municipalities: the municipality's slug, e.g. intipuca
    """
    municipality = jurisdiction()
    category = services.get_category(municipality, code)
    if category is None or not category.active:
        raise Open311Error(404, f"Unknown service_code '{code}'.")
    attributes = [{
        "variable": a.variable, "code": a.code, "datatype": a.datatype, "required": a.required,
        "datatype_description": a.datatype_description, "order": a.order, "description": a.description,
        "values": [{"key": k, "name": n} for k, n in a.values]} for a in category.attributes]
    return respond(fmt, "service_definition", {"service_code": category.code, "attributes": attributes})


@bp.route(f"/requests.{FMT}", methods=["GET"])
@public
def request_list(fmt):
    """Open311 GeoReport v2: service requests, newest first; without dates the last 90 days,
    a longer span is clamped to 90 days from its start; at most 1,000 a page.

    :query jurisdiction_id: required when the portal serves several municipalities: the municipality's slug, e.g. intipuca
    :query service_request_id: ids separated by commas (overrides every other filter)
    :query service_code: service codes separated by commas
    :query status: open, closed, or both separated by a comma
    :query start_date: W3C date-time, e.g. 2026-01-31T00:00:00Z
    :query end_date: W3C date-time
    :query page: page number (1-based; an extension)
    :query page_size: requests per page, 1-1000 (an extension)
    :query extensions: true for FixMyStreet's extended attributes
    """
    municipality = jurisdiction()
    extensions = _extensions()
    stmt = _requests_statement(municipality, extensions)
    ids = param("service_request_id")
    if ids:  # overrides every other filter
        wanted = [_id(i) for i in ids.split(",") if i.strip()]
        stmt = stmt.where(Report.id.in_(wanted))
    else:
        codes = [c.strip() for c in (param("service_code") or "").split(",") if c.strip()]
        if codes:
            stmt = stmt.where(Category.code.in_(codes))
        wanted_status = [s.strip().lower() for s in (param("status") or "").split(",") if s.strip()]
        if any(s not in ("open", "closed") for s in wanted_status):
            raise Open311Error(400, "status takes 'open', 'closed' or both separated by a comma.")
        if wanted_status and set(wanted_status) != {"open", "closed"}:
            stmt = stmt.where(Report.status.in_(OPEN_STATUSES if "open" in wanted_status else CLOSED_STATUSES))
        start, end = window(municipality)
        stmt = stmt.where(Report.created_at >= start)
        if end is not None:
            stmt = stmt.where(Report.created_at <= end)
    size = _int("page_size", MAX_PAGE, 1, MAX_PAGE)
    page = _int("page", 1, 1, 1_000_000)
    stmt = stmt.order_by(Report.created_at.desc(), Report.id.desc()).limit(size).offset((page - 1) * size)
    reports = db.session.execute(stmt).unique().scalars()
    return respond(fmt, "service_requests", [request_dict(r, municipality, extensions) for r in reports])


@bp.route(f"/requests/<request_id>.{FMT}")
@public
def request_one(request_id, fmt):
    """Open311 GeoReport v2: one service request.

    :query jurisdiction_id: required when the portal serves several municipalities: the municipality's slug, e.g. intipuca
    :query extensions: true for FixMyStreet's extended attributes
    """
    municipality = jurisdiction()
    report = None
    if bounds.is_id(request_id):
        report = db.session.execute(_requests_statement(municipality, _extensions())
                                    .where(Report.id == int(request_id))).unique().scalar_one_or_none()
    if report is None:
        raise Open311Error(404, f"Unknown service_request_id '{request_id}'.")
    return respond(fmt, "service_requests", [request_dict(report, municipality, _extensions())])


@bp.route(f"/tokens/<token>.{FMT}")
@public
def token(token, fmt):
    """Open311 GeoReport v2: the service request id of a tracking token.

    :query jurisdiction_id: required when the portal serves several municipalities: the municipality's slug, e.g. intipuca
    """
    municipality = jurisdiction()
    report = services.track(municipality, token)
    if report is None or report.hidden:
        raise Open311Error(404, f"Unknown token '{token}'.")
    return respond(fmt, "service_requests", [{"service_request_id": str(report.id), "token": report.code}])


def _attributes() -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for key in request.values.keys():
        match = ATTRIBUTE.match(key)
        if match:
            raw.setdefault(match.group(1), []).extend(bounds.clean_texts(request.values.getlist(key)))
    return raw


def _post_input(municipality, key):
    code = param("service_code")
    if code is None:
        raise Open311Error(400, "service_code was not provided.")
    category = services.get_category(municipality, code)
    if category is None or not category.active:
        raise Open311Error(404, f"Unknown service_code '{code}'.")
    try:
        lat = services.parse_coordinate(param("lat"), -90, 90, "lat")
        long = services.parse_coordinate(param("long"), -180, 180, "long")
        if (lat is None) != (long is None):
            raise services.ReportError("lat", "lat and long go together.")
        if lat is None and not param("address_string") and not param("address_id"):
            raise services.ReportError("location", "A location is required: lat and long, address_string or "
                                                   "address_id.")
        answers = services.check_answers(category, _attributes())
    except services.ReportError as error:
        raise Open311Error(400, f"{error.field}: {error}") from None
    media_url = param("media_url") or ""
    if media_url and not media_url.lower().startswith(("http://", "https://")):
        raise Open311Error(400, "media_url must be an http or https URL.")
    idempotency = param("idempotency_key") or (request.headers.get("Idempotency-Key") or "").strip()
    name = " ".join(p for p in (param("first_name"), param("last_name")) if p)
    return services.ReportInput(
        category=category, description=param("description") or "", address=param("address_string") or "",
        address_id=param("address_id") or "", lat=lat, long=long, media_url=media_url, answers=answers,
        contact_name=name, contact_email=param("email") or "", contact_phone=param("phone") or "",
        idempotency_key=f"api{key.id}:{idempotency}"[:64] if idempotency else None,
        channel=f"open311:{key.app_name}"[:80], api_key_id=key.id, device_id=param("device_id") or "",
        account_id=param("account_id") or "")


@bp.route(f"/requests.{FMT}", methods=["POST"])
@limiter.limit("120 per minute")
@public  # the policy is the api_key, checked below (403 when missing or invalid)
def request_create(fmt):
    municipality = jurisdiction()
    key = staff.check_api_key(municipality, param("api_key"))
    if key is None:
        raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
    data = _post_input(municipality, key)
    try:
        report, _created = services.create_report(municipality, data)
    except services.ReportError as error:
        raise Open311Error(400, f"{error.field}: {error}") from None
    db.session.commit()
    notice = (f"Tracking code {report.code}. Service level: {report.category.service_days} days. "
              f"Código de seguimiento {report.code}.")
    return respond(fmt, "service_requests", [{"service_request_id": str(report.id), "service_notice": notice,
                                              "account_id": None}])


# FixMyStreet's states for the servicerequestupdates extension.
FMS_STATES = {"received": "OPEN", "in_progress": "IN_PROGRESS", "fixed": "FIXED",
              "not_ours": "NOT_COUNCILS_RESPONSIBILITY", "wont_fix": "NO_FURTHER_ACTION", "duplicate": "DUPLICATE"}


@bp.route(f"/servicerequestupdates.{FMT}")
@public
def request_updates(fmt):
    """FixMyStreet's extension: public updates (status changes, public notes, confirmations) in a window.

    :query jurisdiction_id: required when the portal serves several municipalities: the municipality's slug, e.g. intipuca
    :query start_date: W3C date-time (the last 90 days without dates)
    :query end_date: W3C date-time
    """
    municipality = jurisdiction()
    start, end = window(municipality)
    stmt = select(ReportUpdate).join(ReportUpdate.report).where(
        ReportUpdate.municipality_id == municipality.id, ReportUpdate.kind.in_(PUBLIC_UPDATE_KINDS),
        Report.hidden.is_(False), ReportUpdate.created_at >= start) \
        .options(contains_eager(ReportUpdate.report).selectinload(Report.updates)) \
        .order_by(ReportUpdate.created_at, ReportUpdate.id).limit(MAX_PAGE)
    if end is not None:
        stmt = stmt.where(ReportUpdate.created_at <= end)
    items = []
    for update in db.session.execute(stmt).unique().scalars():
        status = "received"
        for earlier in update.report.updates:  # the report's status right after this update
            if earlier.kind == "status" and earlier.new_status:
                status = earlier.new_status
            if earlier.id == update.id:
                break
        items.append({"update_id": str(update.id), "service_request_id": str(update.report_id),
                      "status": FMS_STATES[status], "updated_datetime": w3c(update.created_at, municipality),
                      "description": update.body if update.kind != "confirmation" else "", "media_url": None})
    return respond(fmt, "service_request_updates", items)
