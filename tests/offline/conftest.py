"""Fixtures for the offline tests: a small two-page survey built through the services."""
from datetime import date, timedelta

import pytest


def make_survey(municipality, closed=False, title="Servicios del barrio"):
    """A published survey on two pages: a required scale, a choice, a required matrix
    of two services, and a text shown only when the choice is "No"."""
    from portal.participation.surveys import services

    today = date.today()
    survey = services.create_survey(
        municipality, title=title, opens_on=today - timedelta(days=30),
        closes_on=today - timedelta(days=1) if closed else today + timedelta(days=30),
        audience="anyone", results_mode="live")
    first = services.add_section(municipality, survey, "Primera")
    second = services.add_section(municipality, survey, "Segunda")
    services.add_question(municipality, survey, first, kind="scale", code="S1", required=True,
                          text="¿Satisfecho con el agua?")
    choice = services.add_question(municipality, survey, first, kind="single", code="S2",
                                   text="¿Le atendieron bien?", options=["Sí", "No"])
    services.add_question(municipality, survey, second, kind="matrix", code="S3", required=True,
                          text="Califique", rows=["Agua", "Calles"])
    services.add_question(municipality, survey, second, kind="short_text", code="S4",
                          text="¿Qué pasó?", condition_question=choice, condition_value="No")
    services.publish(municipality, survey)
    return survey


@pytest.fixture
def build_survey(db, muni):
    def _build(closed=False):
        survey = make_survey(muni, closed=closed)
        db.session.flush()
        return survey
    return _build


@pytest.fixture
def answer_values():
    """Form values for a survey of ``make_survey``."""
    from portal.participation.surveys import services

    def _values(survey, scale="4", choice="Sí", water="5", streets="na"):
        by_code = {q.code: q for q in services.ordered_questions(survey)}
        return {f"q{by_code['S1'].id}": [scale], f"q{by_code['S2'].id}": [choice],
                f"q{by_code['S3'].id}_r0": [water], f"q{by_code['S3'].id}_r1": [streets]}
    return _values
