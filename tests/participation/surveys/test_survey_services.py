"""Services: one response per person, idempotency, freezing, copies, paper,
moderation, and the diagnostic sources following the responses."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.core.registry import read
from portal.participation.surveys import responding, services
from portal.participation.surveys.models import Answer, SurveyResponse


def _count(db, survey):
    return db.session.scalar(select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey.id))


def _numbers(db, response):
    return sorted((a.item, a.number) for a in db.session.scalars(select(Answer).where(Answer.response_id == response.id)))


def test_same_idempotency_key_twice_stores_once(db, muni, build_survey, answer_values):
    survey = build_survey()
    first = responding.submit(muni, survey, answer_values(survey, scale="2"), key="k" * 20)
    again = responding.submit(muni, survey, answer_values(survey, scale="2"), key="k" * 20)
    assert first.id == again.id and _count(db, survey) == 1
    assert again.revisions == 2


def test_signed_in_second_answer_replaces_the_first(db, muni, make, build_survey, answer_values):
    survey = build_survey(audience="signed_in")
    user = make.user()
    first = responding.submit(muni, survey, answer_values(survey, scale="1"), key="a" * 20, user=user)
    second = responding.submit(muni, survey, answer_values(survey, scale="5", water="2"), key="b" * 20, user=user)
    assert first.id == second.id and _count(db, survey) == 1
    assert ("", 5) in _numbers(db, second) and ("Agua", 2) in _numbers(db, second)
    assert ("", 1) not in _numbers(db, second)


def test_device_token_second_answer_replaces_the_first(db, muni, build_survey, answer_values):
    survey = build_survey()
    responding.submit(muni, survey, answer_values(survey, scale="1"), key="a" * 20, device_token="dev1")
    responding.submit(muni, survey, answer_values(survey, scale="3"), key="b" * 20, device_token="dev1")
    responding.submit(muni, survey, answer_values(survey, scale="3"), key="c" * 20, device_token="dev2")
    assert _count(db, survey) == 2


def test_database_refuses_two_responses_of_one_account(db, muni, make, build_survey):
    survey = build_survey(audience="signed_in")
    user = make.user()
    for key in ("x" * 20, "y" * 20):
        db.session.add(SurveyResponse(municipality_id=muni.id, survey_id=survey.id, user_id=user.id,
                                      idempotency_key=key))
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


def test_questions_freeze_with_answers_and_a_copy_is_editable(db, muni, build_survey, answer_values):
    survey = build_survey()
    responding.submit(muni, survey, answer_values(survey), key="k" * 20)
    with pytest.raises(services.SurveyError):
        services.add_question(muni, survey, survey.sections[0], kind="scale", text="Otra")
    copy = services.copy_survey(muni, survey)
    assert not copy.is_published and copy.copied_from_id == survey.id
    codes = [q.code for q in services.ordered_questions(copy)]
    assert codes == ["S1", "S2", "S3", "S4"]
    conditional = services.ordered_questions(copy)[3]
    assert conditional.condition_question_id == services.ordered_questions(copy)[1].id
    services.add_question(muni, copy, copy.sections[1], kind="long_text", text="Nueva")
    assert len(services.ordered_questions(copy)) == 5


def test_condition_must_point_to_an_earlier_page(db, muni, build_survey):
    survey = build_survey(publish=False)
    later = services.ordered_questions(survey)[2]
    with pytest.raises(services.SurveyError) as error:
        services.add_question(muni, survey, survey.sections[0], kind="scale", text="X",
                              condition_question=later, condition_value="1")
    assert error.value.field == "condition_question"


def test_page_by_page_keeps_answers_and_skips_hidden(db, muni, build_survey, answer_values):
    survey = build_survey()
    values = answer_values(survey, choice="No")
    s1 = {k: v for k, v in values.items() if k.endswith(("_r0", "_r1")) is False}
    wrong = responding.record_page(muni, survey, key="p" * 20, page=1, posted={**s1, f"q{services.ordered_questions(survey)[0].id}": []})
    assert wrong.errors and wrong.next_page == 1
    ok = responding.record_page(muni, survey, key="p" * 20, page=1, posted=s1)
    assert not ok.errors and ok.next_page == 2
    matrix = {k: v for k, v in values.items() if k.endswith(("_r0", "_r1"))}
    missing_text = responding.record_page(muni, survey, key="p" * 20, page=2, posted=matrix)
    assert list(missing_text.errors.values()) == [] and missing_text.response is not None  # S4 optional
    assert missing_text.values[f"q{services.ordered_questions(survey)[0].id}"] == ["4"]  # kept from page 1


def test_paper_questionnaires_are_marked(db, muni, make, build_survey, answer_values):
    survey = build_survey()
    staff = make.user(role="editor", municipality=muni)
    values, errors = responding.enter_paper(muni, survey, key="q" * 20, posted=answer_values(survey), entered_by=staff)
    assert not errors
    response = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)).one()
    assert response.channel == "paper" and response.entered_by_id == staff.id


def test_text_is_redacted_and_published_after_moderation(db, muni, build_survey, answer_values):
    from portal.participation.surveys.results import survey_results

    survey = build_survey()
    responding.submit(muni, survey, answer_values(survey, choice="No", text="Llámeme al 7777-1234"), key="t" * 20)
    pending = services.texts_to_moderate(muni, survey)
    assert len(pending) == 1 and pending[0][0].redacted == "Llámeme al [dato personal retirado]"
    texts = survey_results(muni, survey, minimum=1).questions[3].texts
    assert texts == []
    services.moderate(muni, survey, pending[0][0].id, "approved")
    assert survey_results(muni, survey, minimum=1).questions[3].texts == ["Llámeme al [dato personal retirado]"]


def test_results_counts_means_and_districts(db, muni, build_survey, answer_values):
    from portal.participation.surveys.results import survey_results

    survey = build_survey()
    district = muni.districts[0]
    for index, (scale, water) in enumerate([("1", "5"), ("2", "3"), ("3", "4"), ("4", "4"), ("5", "4")]):
        values = answer_values(survey, scale=scale, water=water, streets="2")
        values["district"] = [str(district.id)] if index < 2 else []
        responding.submit(muni, survey, values, key=f"{index}" * 20)
    outcome = survey_results(muni, survey, minimum=2)
    scale = outcome.questions[0]
    assert (scale.summary.n, scale.summary.mean, scale.summary.ci_low) == (5, Decimal("3"), Decimal("1.036757"))
    assert [(s.value, s.count) for s in scale.shares] == [(str(v), 1) for v in range(1, 6)]
    matrix = outcome.questions[2].matrix
    assert matrix.rows[0][1].mean == Decimal("4") and matrix.overall.mean == Decimal("3")  # (20+10)/10
    districts = dict(scale.districts)
    assert districts[district.name].mean == Decimal("1.5") and districts[None].mean == Decimal("4")


def test_sources_follow_the_responses(db, muni, build_survey, answer_values):
    survey = build_survey(closed=True)
    as_of = date.today()
    assert read("surveys.services_satisfaction", muni, as_of) is not None  # the demo's survey
    responding.submit(muni, survey, answer_values(survey, water="5", streets="3"), key="1" * 20)
    first = read("surveys.services_satisfaction", muni, as_of)
    assert (first.value, first.detail) == (Decimal("0.5"), "n=2")  # one of two ratings is 4 or 5
    assert first.url == f"/m/intipuca/encuestas/{survey.id}/resultados"
    assert read("surveys.services_mean", muni, as_of).value == Decimal("4")
    responding.submit(muni, survey, answer_values(survey, water="1", streets="1"), key="2" * 20)
    second = read("surveys.services_satisfaction", muni, as_of)
    assert (second.value, second.detail) == (Decimal("0.25"), "n=4")
    assert read("surveys.services_mean", muni, as_of).value == Decimal("2.5")  # (5+3+1+1)/4
    assert read("surveys.service_mean", muni, as_of, "agua").value == Decimal("3")
    assert read("surveys.question_mean", muni, as_of, f"{survey.id}:S1").value == Decimal("4")
    assert read("surveys.question_mean", muni, as_of, f"{survey.id}:S2") is None  # not numeric
    # Before the survey closed, the source still reads an older survey (or nothing).
    before = read("surveys.services_satisfaction", muni, as_of - timedelta(days=2))
    assert before is None or before.url != first.url


def test_demo_feeds_services_satisfaction(db, muni):
    value = read("surveys.services_satisfaction", muni, date(2025, 12, 31))
    assert value is not None and Decimal("0.2") < value.value < Decimal("0.8")
    assert Decimal("1") < read("surveys.services_mean", muni, date(2025, 12, 31)).value < Decimal("5")
    assert value.detail.startswith("n=") and int(value.detail[2:]) > 1000
    assert read("surveys.services_satisfaction", muni, date(2025, 10, 1)) is None  # not yet closed
