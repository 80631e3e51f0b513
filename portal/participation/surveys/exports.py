"""What surveys publish to the rest of the portal: the rows of the open dataset and the
satisfaction with services for the comparisons."""
from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.database import BATCH, stream
from portal.core.ical import Event
from portal.core.registry import Collected, Happening
from portal.participation.surveys import results, services
from portal.participation.surveys.models import SurveyResponse


def responses(municipality):
    """Long format, anonymized: one row per answer of every survey whose results are public
    and that has at least ``SURVEY_MIN_COUNT`` responses (the district blank where it has
    fewer). Texts only once approved by a moderator, and only their redacted version."""
    today = services.today()
    minimum = results.min_count()
    for survey in services.public_surveys(municipality):
        if not survey.results_public(today):
            continue
        total, shown = results.publishable_districts(municipality, survey, minimum)
        if total < minimum:
            continue  # too few responses to publish (SURVEY_MIN_COUNT); small districts left blank
        districts = {d.id: d.name for d in municipality.districts if d.id in shown}
        questions = {q.id: q for q in services.ordered_questions(survey)}
        stmt = (select(SurveyResponse).where(SurveyResponse.municipality_id == municipality.id,
                                             SurveyResponse.survey_id == survey.id)
                .options(selectinload(SurveyResponse.answers)).order_by(SurveyResponse.id)
                .execution_options(yield_per=BATCH))
        for number, response in enumerate(stream(stmt, scalars=True), 1):
            base = {"survey_id": survey.id, "response": number, "date": response.created_at.date(),
                    "district": districts.get(response.district_id, ""), "channel": response.channel,
                    "example": response.is_example}
            for answer in sorted(response.answers, key=lambda a: a.id):
                question = questions.get(answer.question_id)
                if question is None:
                    continue
                if question.kind in ("short_text", "long_text"):
                    if answer.moderation != "approved":
                        continue
                    value = answer.redacted
                elif answer.number is not None:
                    value = str(answer.number)
                else:
                    value = "" if question.kind == "matrix" else answer.item
                yield {**base, "question": question.code, "kind": question.kind,
                       "item": answer.item if question.kind in ("matrix", "single", "multiple") else "",
                       "value": value}


def comparison_values(municipality, today: date, metrics) -> dict:
    """Satisfaction with services in the latest closed survey that measures it, and in the one before."""
    closed = sorted((s for s in services.public_surveys(municipality) if s.is_closed(today) and s.close_date <= today),
                    key=lambda s: (s.close_date, s.id), reverse=True)
    found = []
    for survey in closed:  # latest first
        # a survey counts as closed the day after its closing date
        value = results.services_satisfaction(municipality, survey.close_date + timedelta(days=1))
        if value is not None and value.url and all(v.url != value.url for _, v in found):
            found.append((survey, value))
        if len(found) == 2:
            break
    if not found:
        return {}
    survey, value = found[0]
    before = found[1] if len(found) > 1 else (None, None)
    return {"surveys.services_satisfaction": Collected(
        survey.close_date.isoformat(), value.value, before[0].close_date.isoformat() if before[0] else "",
        before[1].value if before[1] else None, survey.close_date, detail=value.detail, url=value.url or "")}


# ---- calendar --------------------------------------------------------------------------

def survey_events(survey, url: str) -> list[Event]:
    """A survey's opening and closing days (its iCalendar events)."""
    return [
        Event(f"survey-{survey.id}-opens", _("Abre la encuesta: %(title)s", title=survey.title), survey.opens_on,
              None, survey.purpose or "", url),
        Event(f"survey-{survey.id}-closes", _("Cierra la encuesta: %(title)s", title=survey.title),
              survey.close_date, None, survey.purpose or "", url),
    ]


def calendar_events(municipality) -> list[Event]:
    """Every public survey's opening and closing."""
    return [e for s in services.public_surveys(municipality)
            for e in survey_events(s, url_for("surveys.detail", survey_id=s.id, _external=True))]


def highlights(municipality, limit: int) -> list[Happening]:
    """The answering window (to its early close, when it closed early) of the latest
    ``limit`` published surveys, for the home."""
    return [Happening(survey.title, survey.opens_on, survey.close_date,
                      url_for("surveys.detail", slug=municipality.slug, survey_id=survey.id, _external=True),
                      _("Encuesta de %(name)s abierta a respuestas.", name=municipality.name))
            for survey in services.latest_published(municipality, limit)]
