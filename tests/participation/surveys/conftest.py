"""Fixtures for the surveys tests: a small survey built through the services."""
from datetime import date, timedelta

import pytest


@pytest.fixture
def build_survey(db, muni):
    """``build_survey(audience="anyone", results_mode="live", closed=False)`` -> a
    published survey with two pages: a scale (required), a single choice, a
    matrix of two services, and a text shown only when the choice is "No"."""
    from portal.participation.surveys import services

    def _build(municipality=None, audience="anyone", results_mode="live", closed=False, publish=True):
        municipality = municipality or muni
        today = date.today()
        survey = services.create_survey(
            municipality, title="Prueba de servicios", opens_on=today - timedelta(days=30),
            closes_on=today - timedelta(days=1) if closed else today + timedelta(days=30),
            audience=audience, results_mode=results_mode)
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
        if publish:
            services.publish(municipality, survey)
        db.session.flush()
        return survey
    return _build


@pytest.fixture
def answer_values():
    """Form values for the survey of ``build_survey``."""
    from portal.participation.surveys import services

    def _values(survey, scale="4", choice="Sí", water="5", streets="na", text=""):
        by_code = {q.code: q for q in services.ordered_questions(survey)}
        values = {f"q{by_code['S1'].id}": [scale], f"q{by_code['S2'].id}": [choice],
                  f"q{by_code['S3'].id}_r0": [water], f"q{by_code['S3'].id}_r1": [streets]}
        if text:
            values[f"q{by_code['S4'].id}"] = [text]
        return values
    return _values
