"""Answering a survey: who may answer, drafts kept page by page, and storing one
response per person (account, device or form key), replacing earlier answers.

Every function takes the municipality first and only flushes; views commit.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from portal.core.clock import utcnow
from portal.core.text import clean_texts
from portal.extensions import db
from portal.participation.surveys import answering
from portal.participation.surveys.models import Answer, Question, SurveyDraft, SurveyResponse, SurveySection
from portal.participation.surveys.redaction import redact
from portal.participation.surveys.services import SurveyError, spec_of, specs, today


def refusal(municipality, survey, user, on: date | None = None) -> str | None:
    """Why this person cannot answer now (a code), or None."""
    on = on or today()
    if not survey.is_published:
        return "not_found"
    if survey.opens_on > on:
        return "not_open"
    if survey.is_closed(on):
        return "closed"
    signed = user is not None and user.is_authenticated
    if survey.audience in ("signed_in", "verified") and not signed:
        return "sign_in"
    if survey.audience == "verified" and not is_verified(municipality, user):
        return "not_verified"
    return None


def is_verified(municipality, user) -> bool:
    """Verified residents come from participatory budgeting's census check, when present."""
    from importlib import import_module  # noqa: PLC0415

    try:
        budgeting = import_module("portal.participation.budgeting.services")
    except ImportError:
        return False
    check = getattr(budgeting, "is_verified_resident", None)
    return bool(check and check(municipality, user))


def find_response(municipality, survey, *, user=None, device_token=None, key=None) -> SurveyResponse | None:
    """The earlier response of this form (key), account or device, in that order."""
    base = select(SurveyResponse).where(SurveyResponse.municipality_id == municipality.id,
                                        SurveyResponse.survey_id == survey.id)
    for column, value in ((SurveyResponse.idempotency_key, key), (SurveyResponse.user_id, user.id if user else None),
                          (SurveyResponse.device_token, device_token)):
        if value:
            found = db.session.scalars(base.where(column == value).options(
                selectinload(SurveyResponse.answers))).first()
            if found is not None:
                return found
    return None


def starting_values(municipality, survey, response) -> dict:
    """Form values to start from: the person's earlier response, if any."""
    if response is None:
        return {}
    values = answering.from_answers(specs(survey), response.answers)
    if response.district_id:
        values["district"] = [str(response.district_id)]
    return values


def load_draft(municipality, survey, key: str) -> SurveyDraft | None:
    return db.session.scalars(select(SurveyDraft).where(
        SurveyDraft.municipality_id == municipality.id, SurveyDraft.survey_id == survey.id,
        SurveyDraft.key == key)).first()


def save_draft(municipality, survey, key: str, values: dict, user=None) -> SurveyDraft:
    draft = load_draft(municipality, survey, key)
    if draft is None:
        draft = SurveyDraft(municipality_id=municipality.id, survey_id=survey.id, key=key,
                            user_id=user.id if user else None)
        db.session.add(draft)
    draft.data = dict(values)
    draft.updated_at = utcnow()
    db.session.flush()
    return draft


def district_of(municipality, values: dict) -> int | None:
    wanted = (values.get("district") or [""])[0]
    ids = {str(d.id): d.id for d in municipality.districts}
    return ids.get(wanted)


def submit(municipality, survey, values: dict, *, key: str, user=None, device_token=None,
           channel="online", entered_by=None, is_example=False) -> SurveyResponse:
    """Store the answers; a second submission of the same form (key), account or
    device replaces the earlier answers instead of counting twice."""
    answers = answering.to_answers(specs(survey), values)
    response = find_response(municipality, survey, user=user, device_token=device_token, key=key)
    if response is None:
        response = SurveyResponse(municipality_id=municipality.id, survey_id=survey.id, idempotency_key=key,
                                  user_id=user.id if user else None, device_token=device_token,
                                  channel=channel, entered_by_id=entered_by.id if entered_by else None,
                                  is_example=is_example)
        db.session.add(response)
    else:
        response.answers.clear()
        db.session.flush()  # old rows go before the new ones (unique per item)
        response.revisions += 1
        response.updated_at = utcnow()
    response.district_id = district_of(municipality, values)
    for value in answers:
        question_kind = "text" if value.text else ""
        response.answers.append(Answer(
            municipality_id=municipality.id, question_id=value.question_id, item=value.item,
            number=value.number, text=value.text, redacted=redact(value.text) if value.text else "",
            moderation="pending" if question_kind else ""))
    db.session.execute(delete(SurveyDraft).where(SurveyDraft.municipality_id == municipality.id,
                                                 SurveyDraft.survey_id == survey.id, SurveyDraft.key == key))
    db.session.flush()
    return response


def pages(survey) -> list[SurveySection]:
    """The survey's pages: its sections that have questions, in order."""
    return [section for section in survey.sections if section.questions]


def visible_questions(survey, section, values: dict) -> list[Question]:
    """The questions of ``section`` shown given the answers so far."""
    by_id = {s.id: s for s in specs(survey)}
    return [q for q in section.questions if answering.is_visible(by_id[q.id], values, by_id)]


def _page_visible(section, values, all_specs) -> bool:
    by_id = {s.id: s for s in all_specs}
    return any(answering.is_visible(spec_of(q), values, by_id) for q in section.questions)


@dataclass
class PageOutcome:
    values: dict
    errors: dict
    next_page: int | None = None  # 1-based page to show next
    response: SurveyResponse | None = None


def _clean(posted: dict) -> dict:
    """The posted values without control characters (the one text sanitizer of every input)."""
    return {name: clean_texts(values) for name, values in posted.items()}


def record_page(municipality, survey, *, key: str, page: int, posted: dict, user=None, device_token=None,
                back: bool = False) -> PageOutcome:
    """Keep one page's answers in the draft (even when wrong) and say what comes next:
    the same page with errors, another page, or (after the last page) the stored response."""
    all_pages = pages(survey)
    all_specs = specs(survey)
    draft = load_draft(municipality, survey, key)
    if draft is not None and draft.user_id and (user is None or draft.user_id != user.id):
        raise SurveyError(_l("Este formulario pertenece a otra persona."))
    if draft is not None:
        base = dict(draft.data)
    else:
        base = starting_values(municipality, survey, find_response(
            municipality, survey, user=user, device_token=device_token, key=key))
    section = all_pages[page - 1]
    page_specs = [spec_of(q) for q in section.questions]
    posted = _clean(posted)
    values, errors = answering.check_page(page_specs, posted, base, all_specs)
    merged = {**base, **values}
    if page == 1 and survey.ask_district and "district" in posted:
        merged["district"] = posted["district"][:1]
    if back or errors:
        save_draft(municipality, survey, key, merged, user)
        target = page
        if back:
            target = page - 1
            while target > 1 and not _page_visible(all_pages[target - 1], merged, all_specs):
                target -= 1
            errors = {}
        return PageOutcome(merged, errors, next_page=max(target, 1))
    following = page + 1
    while following <= len(all_pages) and not _page_visible(all_pages[following - 1], merged, all_specs):
        following += 1
    if following <= len(all_pages):
        save_draft(municipality, survey, key, merged, user)
        return PageOutcome(merged, {}, next_page=following)
    response = submit(municipality, survey, merged, key=key, user=user, device_token=device_token)
    return PageOutcome(merged, {}, response=response)


def enter_paper(municipality, survey, *, key: str, posted: dict, entered_by) -> tuple[dict, dict]:
    """A paper (or telephone) questionnaire typed in by staff, all pages at once,
    stored as ``channel = "paper"``; the form's key makes a double send count once."""
    all_specs = specs(survey)
    posted = _clean(posted)
    values, errors = answering.check_page(all_specs, posted, {}, all_specs)
    values["district"] = posted.get("district", [])[:1]
    if not errors:
        submit(municipality, survey, values, key=key, channel="paper", entered_by=entered_by)
    return values, errors


def submit_whole(municipality, survey, *, key: str, posted: dict, user=None, device_token=None,
                 channel="online", entered_by=None) -> tuple[dict, dict, SurveyResponse | None]:
    """All pages at once: the single-page form (which also works offline) and the kiosk.

    Returns ``(values, errors, response)``. A form key already stored is a repeated
    send (a device syncing twice): the stored response is returned untouched, so the
    same answers are never counted or revised twice. The kiosk passes no user and no
    device, so each person at the table is a response of their own."""
    existing = find_response(municipality, survey, key=key)
    if existing is not None:
        return {}, {}, existing
    all_specs = specs(survey)
    posted = _clean(posted)
    values, errors = answering.check_page(all_specs, posted, {}, all_specs)
    if survey.ask_district:
        values["district"] = posted.get("district", [])[:1]
    if errors:
        return values, errors, None
    response = submit(municipality, survey, values, key=key, user=user, device_token=device_token,
                      channel=channel, entered_by=entered_by)
    return values, errors, response
