"""Small numbers: nothing is published about fewer than ``SURVEY_MIN_COUNT`` people (5 by
default) — not the survey, not a district — on pages, in the API or in downloads; and an
interval is shown only where it means something."""
import csv
import io
from decimal import Decimal

import pytest

from portal.participation.surveys import responding
from portal.participation.surveys.stats import NumericSummary, interval_meaningful, publishable, summarize


@pytest.mark.parametrize("frequencies, meaningful", [
    ({}, False), ({4: 1}, False),  # no answer, one answer: no interval
    ({4: 2}, False), ({4: 30}, False),  # all equal: no width
    ({3: 1, 4: 1}, True), ({1: 10, 5: 1}, True)])
def test_an_interval_needs_two_different_answers(frequencies, meaningful):
    assert interval_meaningful(summarize(frequencies)) is meaningful


def test_interval_meaningful_refuses_missing_summaries_and_publishable_counts():
    assert interval_meaningful(None) is False
    assert interval_meaningful(NumericSummary(3, Decimal(2), None, None, None)) is False
    assert [publishable(n, 5) for n in (0, 4, 5, 6)] == [False, False, True, True]
    assert publishable(0, 0) is False and publishable(1, 0) is True  # at least one, whatever the setting


def _submit(muni, survey, answer_values, count, district=None, start=0, **answers):
    for index in range(start, start + count):
        values = answer_values(survey, **answers)
        values["district"] = [str(district.id)] if district is not None else []
        responding.submit(muni, survey, values, key=f"{index:020d}")


def _csv(client, url):
    return list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True).lstrip("\ufeff"))))


def test_one_response_publishes_only_its_count(client, muni, build_survey, answer_values):
    survey = build_survey()
    _submit(muni, survey, answer_values, 1, district=muni.districts[0], scale="2")
    base = f"/m/intipuca/encuestas/{survey.id}/resultados"
    html = client.get(base).get_data(as_text=True)
    assert "1 respuesta" in html and "a partir de 5 respuestas" in html
    assert "n = " not in html and "IC 95" not in html and "Por distrito" not in html
    assert "respuestas.csv" not in html  # no download offered
    data = client.get(f"/api/v1/municipalities/intipuca/surveys/{survey.id}/results").get_json()
    assert (data["responses"], data["withheld"], data["min_count"], data["questions"]) == (1, True, 5, [])
    assert len(_csv(client, base + "/respuestas.csv")) == 1  # the header only
    assert len(_csv(client, base + "/resumen.csv")) == 1
    rows = client.get(f"/api/v1/municipalities/intipuca/datasets/encuestas?survey_id={survey.id}").get_json()
    assert rows["items"] == []


def test_a_district_shows_from_five_responses(client, muni, build_survey, answer_values):
    survey = build_survey()
    big, small = muni.districts[0], muni.districts[1]
    _submit(muni, survey, answer_values, 5, district=big, scale="4", water="5")
    _submit(muni, survey, answer_values, 1, district=small, start=5, scale="1", water="1")
    base = f"/m/intipuca/encuestas/{survey.id}/resultados"
    html = client.get(base).get_data(as_text=True)
    assert "6 respuestas" in html and "Por distrito" in html
    assert f'<th scope="row">{big.name}</th>' in html and f'<th scope="row">{small.name}</th>' not in html
    assert "1 distrito no se muestra: tiene menos de 5 respuestas." in html
    responses = _csv(client, base + "/respuestas.csv")
    districts = [row[responses[0].index("distrito")] for row in responses[1:]]
    assert sorted(districts) == sorted([big.name] * 5 + [""])  # the lone district left blank
    data = client.get(f"/api/v1/municipalities/intipuca/surveys/{survey.id}/results").get_json()
    assert data["withheld"] is False and data["questions"][0]["n"] == 6
    dataset = client.get(f"/api/v1/municipalities/intipuca/datasets/encuestas?survey_id={survey.id}").get_json()
    items = dataset["items"]
    assert items and small.name not in {item["district"] for item in items}
    assert big.name in {item["district"] for item in items}


def test_equal_answers_give_no_interval_but_say_why(client, muni, build_survey, answer_values):
    survey = build_survey()
    _submit(muni, survey, answer_values, 5, scale="2", water="3")
    html = client.get(f"/m/intipuca/encuestas/{survey.id}/resultados").get_data(as_text=True)
    assert "2,00 – 2,00" not in html and "2.00 – 2.00" not in html
    assert "sin intervalo: todas las respuestas son iguales" in html
    data = client.get(f"/api/v1/municipalities/intipuca/surveys/{survey.id}/results").get_json()
    scale = data["questions"][0]
    assert (scale["mean"], scale["ci_low"], scale["ci_high"]) == ("2", None, None)
    summary = _csv(client, f"/m/intipuca/encuestas/{survey.id}/resultados/resumen.csv")
    first = dict(zip(summary[0], summary[1]))
    assert (first["n"], first["ic95_inferior"], first["ic95_superior"]) == ("5", "", "")


def test_the_minimum_is_a_setting(client, muni, app, monkeypatch, build_survey, answer_values):
    survey = build_survey()
    _submit(muni, survey, answer_values, 2, scale="2")
    _submit(muni, survey, answer_values, 1, start=2, scale="4")
    url = f"/api/v1/municipalities/intipuca/surveys/{survey.id}/results"
    assert client.get(url).get_json()["withheld"] is True
    monkeypatch.setitem(app.config, "SURVEY_MIN_COUNT", 3)
    data = client.get(url).get_json()
    assert data["withheld"] is False and data["min_count"] == 3
    scale = data["questions"][0]
    assert Decimal(scale["ci_low"]) < Decimal(scale["mean"]) < Decimal(scale["ci_high"])
    html = client.get(f"/m/intipuca/encuestas/{survey.id}/resultados").get_data(as_text=True)
    assert "IC 95 %: " in html and "Cada distrito se muestra desde 3 respuestas." in html


def test_setting_comes_from_the_environment(monkeypatch, tmp_path):
    from portal.config import build_config

    monkeypatch.setenv("SURVEY_MIN_COUNT", "10")
    assert build_config(str(tmp_path), {"SECRET_KEY": "x"})["SURVEY_MIN_COUNT"] == 10
    monkeypatch.delenv("SURVEY_MIN_COUNT")
    assert build_config(str(tmp_path), {"SECRET_KEY": "x"})["SURVEY_MIN_COUNT"] == 5
