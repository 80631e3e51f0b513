"""Satisfaction surveys: the survey, its sections and questions, responses and answers.

A survey's definition (survey, sections, questions) is published data (audited). Its
questions freeze once the survey has a response; :func:`services.copy_survey` makes an
editable copy. Responses are residents' data: one per account (signed-in audiences,
a unique constraint), one per device token (anonymous audiences) and one per
idempotency key (a form sent twice counts once). Paper questionnaires entered by staff
carry ``channel = "paper"``.
"""
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.publication import Publishable
from portal.extensions import db

AUDIENCES = ("anyone", "signed_in", "verified")
RESULTS_MODES = ("at_close", "live")
KINDS = ("scale", "rating", "single", "multiple", "short_text", "long_text", "matrix")
NUMERIC_KINDS = ("scale", "rating", "matrix")
TEXT_KINDS = ("short_text", "long_text")
CHANNELS = ("online", "paper", "kiosk")

DEFAULT_SCALE_LABELS = ["Muy insatisfecho", "Insatisfecho", "Ni satisfecho ni insatisfecho",
                        "Satisfecho", "Muy satisfecho"]
DEFAULT_SERVICES = ["Alumbrado público", "Aseo y barrido", "Recolección de desechos", "Parques",
                    "Cementerio", "Calles", "Agua", "Atención en ventanilla"]


class Survey(Publishable, Audited, db.Model):
    __tablename__ = "surveys"
    __audit_section__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    audience: Mapped[str] = mapped_column(String(20), default="anyone")
    results_mode: Mapped[str] = mapped_column(String(20), default="at_close")
    ask_district: Mapped[bool] = mapped_column(default=True)
    closed_at: Mapped[datetime | None]  # closed early by staff
    is_example: Mapped[bool] = mapped_column(default=False)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sections: Mapped[list["SurveySection"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveySection.position")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="Question.position",
        overlaps="section,questions")

    @property
    def close_date(self) -> date:
        """The day answering ended (or will end)."""
        return self.closed_at.date() if self.closed_at else self.closes_on

    def is_closed(self, today: date) -> bool:
        return self.closed_at is not None or today > self.closes_on

    def is_open(self, today: date) -> bool:
        return self.is_published and not self.is_closed(today) and self.opens_on <= today

    def results_public(self, today: date) -> bool:
        return self.is_published and (self.results_mode == "live" or self.is_closed(today))


class _SurveyPart(Audited):
    """Sections and questions are public when their survey is."""

    __audit_section__ = "surveys"

    def audit_is_public(self) -> bool:
        survey = self.survey
        return survey is not None and survey.is_published


class SurveySection(_SurveyPart, db.Model):
    __tablename__ = "survey_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="section", order_by="Question.position", overlaps="questions,survey")


class Question(_SurveyPart, db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("survey_sections.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    help: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list] = mapped_column(JSON, default=list)  # single/multiple choices
    max_choices: Mapped[int | None]
    scale_labels: Mapped[list] = mapped_column(JSON, default=list)  # scale & matrix: 5 labels
    rows: Mapped[list] = mapped_column(JSON, default=list)  # matrix: the services
    condition_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="SET NULL"))
    condition_value: Mapped[str] = mapped_column(String(200), default="")

    survey: Mapped[Survey] = relationship(back_populates="questions", overlaps="questions")
    section: Mapped[SurveySection] = relationship(back_populates="questions", overlaps="questions,survey")

    def audit_label(self) -> str:
        return f"{self.code}: {self.text}"[:300]


class SurveyResponse(db.Model):
    """One person's (or one paper questionnaire's) answers to a survey."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id"),
        UniqueConstraint("survey_id", "device_token"),
        UniqueConstraint("survey_id", "idempotency_key"),
        CheckConstraint("revisions >= 1", name="revisions_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    device_token: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_example: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    revisions: Mapped[int] = mapped_column(default=1)

    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    """One value: a scale or rating (``number``), a choice (``item``), a matrix row
    (``item`` = the service, ``number`` = the rating or None for "no uso este
    servicio") or a text (``text``, published only as ``redacted`` after moderation)."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id", "item"),
                      Index("ix_survey_answers_question_item", "question_id", "item"))

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text, default="")
    redacted: Mapped[str] = mapped_column(Text, default="")
    moderation: Mapped[str] = mapped_column(String(10), default="")  # pending|approved|rejected for texts

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class SurveyDraft(db.Model):
    """Answers in progress, page by page, keyed by the form's idempotency key."""

    __tablename__ = "survey_drafts"
    __table_args__ = (UniqueConstraint("survey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # field name -> list of strings
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
