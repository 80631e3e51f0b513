"""Survey use cases: reading, building, publishing, copying and moderating.

Every function takes the municipality first and only flushes; views commit.
Answering lives in :mod:`.responding`; results, downloads and the diagnostic sources
in :mod:`.results`.
"""
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from portal.core.clock import utcnow
from portal.extensions import db
from portal.participation.surveys import answering
from portal.participation.surveys.models import (
    DEFAULT_SCALE_LABELS, DEFAULT_SERVICES, TEXT_KINDS, Answer, Question, Survey, SurveyResponse,
    SurveySection)
from portal.participation.surveys.redaction import redact


class SurveyError(Exception):
    """A rule was broken; ``field`` names the form field to attach the message to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def today() -> date:
    return date.today()


def new_key() -> str:
    """An idempotency key for a freshly rendered answer form."""
    return secrets.token_urlsafe(24)


# ---- reading ---------------------------------------------------------------------

def public_surveys(municipality) -> list[Survey]:
    return list(db.session.scalars(
        select(Survey).where(Survey.municipality_id == municipality.id, Survey.status == "published")
        .order_by(Survey.closes_on.desc(), Survey.id.desc())))


def all_surveys(municipality) -> list[Survey]:
    return list(db.session.scalars(
        select(Survey).where(Survey.municipality_id == municipality.id)
        .order_by(Survey.created_at.desc(), Survey.id.desc())))


def has_published(municipality) -> bool:
    return db.session.execute(select(exists().where(
        Survey.municipality_id == municipality.id, Survey.status == "published"))).scalar()


def get_survey(municipality, survey_id: int, published_only: bool = True) -> Survey | None:
    """The survey with its sections and questions loaded, or None (other municipality too)."""
    statement = (select(Survey).where(Survey.id == survey_id, Survey.municipality_id == municipality.id)
                 .options(selectinload(Survey.sections).selectinload(SurveySection.questions)))
    if published_only:
        statement = statement.where(Survey.status == "published")
    return db.session.scalars(statement).first()


def ordered_questions(survey) -> list[Question]:
    return [q for section in survey.sections for q in section.questions]


def spec_of(question) -> answering.QuestionSpec:
    return answering.QuestionSpec(
        id=question.id, code=question.code, kind=question.kind, required=question.required,
        options=tuple(question.options or ()), max_choices=question.max_choices,
        rows=tuple(question.rows or ()), condition_question_id=question.condition_question_id,
        condition_value=question.condition_value or "")


def specs(survey) -> list[answering.QuestionSpec]:
    return [spec_of(q) for q in ordered_questions(survey)]


def response_count(municipality, survey) -> int:
    return db.session.scalar(select(func.count(SurveyResponse.id)).where(
        SurveyResponse.municipality_id == municipality.id, SurveyResponse.survey_id == survey.id))


# ---- building --------------------------------------------------------------------

def create_survey(municipality, **fields) -> Survey:
    _check_dates(fields["opens_on"], fields["closes_on"])
    survey = Survey(municipality_id=municipality.id, **fields)
    db.session.add(survey)
    db.session.flush()
    return survey


def update_survey(municipality, survey, **fields) -> Survey:
    _check_dates(fields.get("opens_on", survey.opens_on), fields.get("closes_on", survey.closes_on))
    for key, value in fields.items():
        setattr(survey, key, value)
    db.session.flush()
    return survey


def _check_dates(opens_on, closes_on):
    if closes_on < opens_on:
        raise SurveyError(_l("La fecha de cierre no puede ser anterior a la de apertura."), "closes_on")


def ensure_may_change(survey, publisher: bool) -> None:
    """A published survey is public: its settings, sections and questions change only
    through a publisher (an editor prepares changes in a copy, which is a draft)."""
    if survey.is_published and not publisher:
        raise SurveyError(_l("La encuesta ya está publicada: solo una persona con el rol de publicador puede "
                             "cambiarla. Haga una copia para preparar los cambios en un borrador."))


def ensure_editable(municipality, survey) -> None:
    """Questions freeze once the survey has a response (make a copy instead)."""
    if response_count(municipality, survey):
        raise SurveyError(_l("La encuesta ya tiene respuestas: sus preguntas no se pueden cambiar. "
                          "Haga una copia para cambiarlas."))


def add_section(municipality, survey, title: str, intro: str = "") -> SurveySection:
    ensure_editable(municipality, survey)
    position = max((s.position for s in survey.sections), default=0) + 1
    section = SurveySection(municipality_id=municipality.id, survey=survey, title=title, intro=intro,
                            position=position)
    db.session.add(section)
    db.session.flush()
    return section


def add_question(municipality, survey, section, *, kind, text, code="", help="", required=False,
                 options=None, max_choices=None, scale_labels=None, rows=None,
                 condition_question=None, condition_value="") -> Question:
    """Add a question at the end of ``section``. Choices need options; a matrix gets
    the municipality's usual services when no rows are given; a condition must point
    to a question on an earlier page."""
    ensure_editable(municipality, survey)
    if section.survey_id != survey.id:
        raise SurveyError(_l("La sección no pertenece a esta encuesta."), "section")
    options = [o.strip() for o in (options or []) if o.strip()]
    if kind in ("single", "multiple") and len(options) < 2:
        raise SurveyError(_l("Escriba al menos dos opciones, una por línea."), "options")
    if max_choices is not None and (max_choices < 1 or (options and max_choices > len(options))):
        raise SurveyError(_l("El máximo debe estar entre 1 y el número de opciones."), "max_choices")
    labels = [label.strip() for label in (scale_labels or []) if label.strip()] or list(DEFAULT_SCALE_LABELS)
    if kind in ("scale", "matrix") and len(labels) != 5:
        raise SurveyError(_l("La escala necesita cinco etiquetas, de 1 a 5."), "scale_labels")
    rows = [r.strip() for r in (rows or []) if r.strip()]
    if kind == "matrix" and not rows:
        rows = list(DEFAULT_SERVICES)
    if condition_question is not None:
        if condition_question.survey_id != survey.id or condition_question.section.position >= section.position:
            raise SurveyError(_l("La condición debe referirse a una pregunta de una página anterior."),
                              "condition_question")
        if not condition_value:
            raise SurveyError(_l("Indique la respuesta que muestra esta pregunta."), "condition_value")
    existing = ordered_questions(survey)
    code = (code or "").strip() or f"P{len(existing) + 1}"
    if any(q.code == code for q in existing):
        raise SurveyError(_l("Ya hay una pregunta con ese código."), "code")
    question = Question(
        municipality_id=municipality.id, survey=survey, section=section, kind=kind, text=text, code=code,
        help=help or "", required=required, options=options if kind in ("single", "multiple") else [],
        max_choices=max_choices if kind == "multiple" else None,
        scale_labels=labels if kind in ("scale", "matrix") else [], rows=rows if kind == "matrix" else [],
        condition_question_id=condition_question.id if condition_question is not None else None,
        condition_value=condition_value or "",
        position=max((q.position for q in section.questions), default=0) + 1)
    db.session.add(question)
    db.session.flush()
    return question


def move_question(municipality, survey, question, step: int) -> None:
    ensure_editable(municipality, survey)
    siblings = list(question.section.questions)
    index = siblings.index(question)
    other = index + step
    if 0 <= other < len(siblings):
        siblings[index].position, siblings[other].position = siblings[other].position, siblings[index].position
    db.session.flush()


def delete_question(municipality, survey, question) -> None:
    ensure_editable(municipality, survey)
    for other in survey.questions:
        if other.condition_question_id == question.id:
            other.condition_question_id = None
            other.condition_value = ""
    db.session.delete(question)
    db.session.flush()


def publish(municipality, survey) -> None:
    if not ordered_questions(survey):
        raise SurveyError(_l("Agregue al menos una pregunta antes de publicar."))
    survey.publish()
    db.session.flush()


def close(municipality, survey) -> None:
    survey.closed_at = utcnow()
    db.session.flush()


def copy_survey(municipality, survey, *, title: str | None = None) -> Survey:
    """A new draft with the same sections and questions (conditions re-pointed)."""
    copy = Survey(municipality_id=municipality.id, title=title or f"{survey.title} (copia)",
                  purpose=survey.purpose, opens_on=survey.opens_on, closes_on=survey.closes_on,
                  audience=survey.audience, results_mode=survey.results_mode,
                  ask_district=survey.ask_district, copied_from_id=survey.id)
    db.session.add(copy)
    mapping = {}
    pending = []
    for section in survey.sections:
        new_section = SurveySection(municipality_id=municipality.id, survey=copy, title=section.title,
                                    intro=section.intro, position=section.position)
        db.session.add(new_section)
        for q in section.questions:
            new_q = Question(municipality_id=municipality.id, survey=copy, section=new_section,
                             position=q.position, code=q.code, kind=q.kind, text=q.text, help=q.help,
                             required=q.required, options=list(q.options or []), max_choices=q.max_choices,
                             scale_labels=list(q.scale_labels or []), rows=list(q.rows or []),
                             condition_value=q.condition_value)
            db.session.add(new_q)
            mapping[q.id] = new_q
            if q.condition_question_id:
                pending.append((new_q, q.condition_question_id))
    db.session.flush()
    for new_q, old_id in pending:
        if old_id in mapping:
            new_q.condition_question_id = mapping[old_id].id
    db.session.flush()
    return copy


# ---- moderation ------------------------------------------------------------------

def texts_to_moderate(municipality, survey, state: str = "pending") -> list:
    return list(db.session.execute(
        select(Answer, Question.code, Question.text).join(Question, Question.id == Answer.question_id)
        .where(Answer.municipality_id == municipality.id, Question.survey_id == survey.id,
               Question.kind.in_(TEXT_KINDS), Answer.moderation == state)
        .order_by(Answer.id).limit(200)))


def moderate(municipality, survey, answer_id: int, decision: str, redacted: str | None = None) -> Answer:
    answer = db.session.scalars(
        select(Answer).join(Question, Question.id == Answer.question_id)
        .where(Answer.id == answer_id, Answer.municipality_id == municipality.id,
               Question.survey_id == survey.id)).first()
    if answer is None:
        raise SurveyError(_l("Respuesta no encontrada."))
    if decision not in ("approved", "rejected"):
        raise SurveyError(_l("Decisión no válida."))
    if redacted is not None and redacted.strip():
        answer.redacted = redact(redacted.strip())
    answer.moderation = decision
    db.session.flush()
    return answer
