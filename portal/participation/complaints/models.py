"""Complaints and service requests: the municipality's services (categories), the units
that answer them, residents' reports and everything that happens to a report.

Personal data (a reporter's name, e-mail and phone) lives only on :class:`Report` and
is never shown publicly nor written to the public change record. The public side of the
workflow (status changes and public updates, :class:`ReportUpdate`) is audited.
"""
import json
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.types import Exact
from portal.extensions import db

RECEIVED = "received"
IN_PROGRESS = "in_progress"
FIXED = "fixed"
NOT_OURS = "not_ours"
WONT_FIX = "wont_fix"
DUPLICATE = "duplicate"
STATUSES = (RECEIVED, IN_PROGRESS, FIXED, NOT_OURS, WONT_FIX, DUPLICATE)
OPEN_STATUSES = (RECEIVED, IN_PROGRESS)
CLOSED_STATUSES = (FIXED, NOT_OURS, WONT_FIX, DUPLICATE)
# Resolutions that count as an answer in the statistics (a duplicate is counted on its original).
RESOLVED_STATUSES = (FIXED, NOT_OURS, WONT_FIX)

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
UPDATE_KINDS = ("status", "public", "note", "assignment", "moderation", "confirmation", "support")
PUBLIC_UPDATE_KINDS = ("status", "public", "confirmation")
CONFIRMATIONS = ("yes", "partly", "no")


class Unit(Audited, db.Model):
    """A municipal unit that answers reports (e.g. Unidad de Servicios Municipales)."""

    __tablename__ = "complaint_units"
    __audit_section__ = "complaints"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str] = mapped_column(String(254), default="")


class Category(Audited, db.Model):
    """A service of the municipality that residents can report on (an Open311 service)."""

    __tablename__ = "complaint_categories"
    __audit_section__ = "complaints"
    __table_args__ = (UniqueConstraint("municipality_id", "code"),
                      CheckConstraint("service_days > 0", name="service_days_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(String(300), default="")
    group: Mapped[str] = mapped_column(String(80), default="")
    service_days: Mapped[int] = mapped_column(default=10)
    default_unit_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_units.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    default_unit: Mapped[Unit | None] = relationship()
    attributes: Mapped[list["CategoryAttribute"]] = relationship(
        back_populates="category", cascade="all, delete-orphan", order_by="CategoryAttribute.order")


class CategoryAttribute(Audited, db.Model):
    """An extra question of a category (an Open311 service definition attribute)."""

    __tablename__ = "complaint_questions"
    __audit_section__ = "complaints"
    __table_args__ = (UniqueConstraint("category_id", "code"), UniqueConstraint("category_id", "order"),
                      CheckConstraint("datatype IN ('string','number','datetime','text','singlevaluelist',"
                                      "'multivaluelist')", name="datatype_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("complaint_categories.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    order: Mapped[int] = mapped_column(default=1)
    variable: Mapped[bool] = mapped_column(default=True)
    datatype: Mapped[str] = mapped_column(String(20), default="string")
    required: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(String(500), default="")
    datatype_description: Mapped[str] = mapped_column(String(300), default="")
    values_json: Mapped[str] = mapped_column(Text, default="[]")  # [[key, name], ...]

    category: Mapped[Category] = relationship(back_populates="attributes")

    def audit_label(self) -> str:
        return self.description[:300]

    def audit_municipality_id(self):
        return self.category.municipality_id if self.category else None

    @property
    def values(self) -> list[tuple[str, str]]:
        return [(str(k), str(n)) for k, n in json.loads(self.values_json or "[]")]


class Neighbourhood(Audited, db.Model):
    """A neighbourhood (barrio, colonia, caserío) inside one of the municipality's districts."""

    __tablename__ = "complaint_neighbourhoods"
    __audit_section__ = "complaints"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    district = relationship("District")


class Report(db.Model):
    """A resident's complaint or service request.

    ``version`` is bumped by every staff change so two people editing at once cannot
    overwrite each other (see ``staff.claim``). ``closed_at`` is the latest close time.
    """

    __tablename__ = "complaint_reports"
    __table_args__ = (
        UniqueConstraint("municipality_id", "idempotency_key"),
        CheckConstraint("status IN ('received','in_progress','fixed','not_ours','wont_fix','duplicate')",
                        name="status_known"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_complaint_reports_muni_status_created", "municipality_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("complaint_categories.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_units.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"), index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_neighbourhoods.id", ondelete="SET NULL"))
    address: Mapped[str] = mapped_column(String(300), default="")
    address_id: Mapped[str] = mapped_column(String(80), default="")
    lat: Mapped[Decimal | None] = mapped_column(Exact(12, 8))  # WGS84
    long: Mapped[Decimal | None] = mapped_column(Exact(12, 8))
    photo: Mapped[str | None] = mapped_column(String(80))
    media_url: Mapped[str] = mapped_column(String(500), default="")
    answers_json: Mapped[str] = mapped_column(Text, default="{}")
    contact_name: Mapped[str] = mapped_column(String(160), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(80), default="web")
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_api_keys.id", ondelete="SET NULL"))
    device_id: Mapped[str] = mapped_column(String(120), default="")
    account_id: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default=RECEIVED)
    status_reason: Mapped[str] = mapped_column(Text, default="")  # where to go / why not / shown publicly
    status_notes: Mapped[str] = mapped_column(Text, default="")  # latest public update
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_reports.id", ondelete="SET NULL"))
    hidden: Mapped[bool] = mapped_column(default=False)
    supports_count: Mapped[int] = mapped_column(default=0)
    reopen_count: Mapped[int] = mapped_column(default=0)
    confirmation: Mapped[str | None] = mapped_column(String(10))  # the resident's latest answer
    is_example: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    category: Mapped[Category] = relationship()
    unit: Mapped[Unit | None] = relationship()
    district = relationship("District")
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    duplicate_of: Mapped["Report | None"] = relationship(remote_side="Report.id")
    updates: Mapped[list["ReportUpdate"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportUpdate.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def due_at(self) -> datetime:
        return self.created_at + timedelta(days=self.category.service_days)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.is_open and (now or utcnow()) > self.due_at

    @property
    def answers(self) -> dict:
        return json.loads(self.answers_json or "{}")

    def answer_rows(self) -> list[tuple[str, str]]:
        """(question, answer) for the extra questions, with list keys shown by their names."""
        answers = self.answers
        rows = []
        for attribute in self.category.attributes:
            if attribute.code not in answers:
                continue
            names = dict(attribute.values)
            value = answers[attribute.code]
            values = value if isinstance(value, list) else [value]
            rows.append((attribute.description or attribute.code, ", ".join(names.get(v, v) for v in values)))
        return rows

    @property
    def contact_given(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)


class ReportUpdate(Audited, db.Model):
    """Something that happened to a report: a status change, a public update, an internal
    note, an assignment, a moderation, a resident's confirmation. Public kinds are recorded
    in the municipality's change record; internal notes are not public."""

    __tablename__ = "complaint_updates"
    __audit_section__ = "complaints"
    __audit_exclude__ = ("created_at", "author_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("complaint_reports.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[Report] = relationship(back_populates="updates")

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_UPDATE_KINDS

    def audit_is_public(self) -> bool:
        return self.is_public

    def audit_label(self) -> str:
        return ""  # the history names the kind of update, translated


class Moderation(db.Model):
    """A moderator's edit of a report's text or photo; ``original`` keeps what was there."""

    __tablename__ = "complaint_moderations"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("complaint_reports.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(20))  # description | photo
    original: Mapped[str] = mapped_column(Text, default="")
    replacement: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(300), default="")
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Confirmation(db.Model):
    """The resident's answer to "was it really fixed?"."""

    __tablename__ = "complaint_confirmations"
    __table_args__ = (CheckConstraint("answer IN ('yes','partly','no')", name="answer_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("complaint_reports.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Support(db.Model):
    """A "me too" from another resident (one per browser, by a random cookie value)."""

    __tablename__ = "complaint_supports"
    __table_args__ = (UniqueConstraint("report_id", "supporter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("complaint_reports.id", ondelete="CASCADE"), index=True)
    supporter_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiKey(db.Model):
    """An Open311 client application's key; only its SHA-256 hash is stored."""

    __tablename__ = "complaint_api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    app_name: Mapped[str] = mapped_column(String(120))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
