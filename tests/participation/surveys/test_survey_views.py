"""Pages, API and downloads: answering over pages without JavaScript, the second
answer replacing the first, access, another municipality, and query counts."""
import csv
import io
import re

from flask_babel import refresh
from sqlalchemy import func, select

from portal.participation.surveys import responding, services
from portal.participation.surveys.models import SurveyResponse


def _key(html):
    return re.search(r'name="k" value="([^"]+)"', html).group(1)


def _answer_all(client, survey, values, scale="4"):
    url = f"/m/intipuca/encuestas/{survey.id}/responder"
    page = client.get(url)
    assert page.status_code == 200
    key = _key(page.get_data().decode("utf-8-sig"))
    qs = services.ordered_questions(survey)
    first = {f"q{qs[0].id}": scale, f"q{qs[1].id}": values[f"q{qs[1].id}"][0], "k": key}
    response = client.post(url + "?p=1", data=first)
    assert response.status_code == 302 and "p=2" in response.headers["Location"]
    second = {k: v[0] for k, v in values.items() if "_r" in k}
    response = client.post(url + "?p=2", data={**second, "k": key})
    assert response.status_code == 302 and response.headers["Location"].endswith("/gracias")
    return key


def _count(db, survey):
    return db.session.scalar(select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey.id))


def test_anonymous_answer_twice_from_one_device_counts_once(client, db, build_survey, answer_values):
    survey = build_survey()
    key = _answer_all(client, survey, answer_values(survey), scale="2")
    _answer_all(client, survey, answer_values(survey), scale="5")
    assert _count(db, survey) == 1
    mine = client.get(f"/m/intipuca/encuestas/{survey.id}/mi-respuesta").get_data().decode("utf-8-sig")
    assert "5 · Muy satisfecho" in mine and "Cambiar mi respuesta" in mine
    # The last page sent again with the same key (a double tap) still counts once.
    qs = services.ordered_questions(survey)
    client.post(f"/m/intipuca/encuestas/{survey.id}/responder?p=2",
                data={f"q{qs[2].id}_r0": "1", f"q{qs[2].id}_r1": "1", "k": key})
    assert _count(db, survey) == 1


def test_failed_page_keeps_what_was_typed_and_links_errors(client, build_survey, answer_values):
    survey = build_survey()
    url = f"/m/intipuca/encuestas/{survey.id}/responder"
    key = _key(client.get(url).get_data().decode("utf-8-sig"))
    qs = services.ordered_questions(survey)
    response = client.post(url + "?p=1", data={f"q{qs[1].id}": "No", "k": key})
    html = response.get_data().decode("utf-8-sig")
    assert response.status_code == 200
    assert "Revise los campos marcados" in html and "Responda esta pregunta." in html
    assert f'href="#q{qs[0].id}-0"' in html
    assert f'aria-describedby="q{qs[0].id}-error"' in html
    assert re.search(rf'value="No" checked', html)
    assert "<fieldset" in html and "<legend>" in html


def test_conditional_question_shows_only_after_its_answer(client, build_survey):
    survey = build_survey()
    survey.sections[1].questions  # noqa: B018 - loaded
    url = f"/m/intipuca/encuestas/{survey.id}/responder"
    qs = services.ordered_questions(survey)
    for choice, shown in (("Sí", False), ("No", True)):
        key = _key(client.get(url).get_data().decode("utf-8-sig"))
        client.post(url + "?p=1", data={f"q{qs[0].id}": "3", f"q{qs[1].id}": choice, "k": key})
        html = client.get(url + f"?p=2&k={key}").get_data().decode("utf-8-sig")
        assert ("¿Qué pasó?" in html) is shown


def test_signed_in_audience_sends_visitors_to_sign_in(client, build_survey):
    survey = build_survey(audience="signed_in")
    response = client.get(f"/m/intipuca/encuestas/{survey.id}/responder")
    assert response.status_code == 302 and "/cuenta/entrar" in response.headers["Location"]


def test_signed_in_second_answer_replaces_the_first(client, login, db, build_survey, answer_values):
    survey = build_survey(audience="signed_in")
    login(role="resident")
    _answer_all(client, survey, answer_values(survey), scale="1")
    _answer_all(client, survey, answer_values(survey), scale="3")
    assert _count(db, survey) == 1


def test_closed_survey_refuses_answers(client, build_survey):
    survey = build_survey(closed=True)
    assert client.get(f"/m/intipuca/encuestas/{survey.id}/responder").status_code == 403


def test_results_wait_for_close_unless_live(client, build_survey):
    waiting = build_survey(results_mode="at_close")
    assert client.get(f"/m/intipuca/encuestas/{waiting.id}/resultados").status_code == 404
    assert client.get(f"/api/v1/municipalities/intipuca/surveys/{waiting.id}/results").status_code == 404
    live = build_survey(results_mode="live")
    assert client.get(f"/m/intipuca/encuestas/{live.id}/resultados").status_code == 200


def test_staff_preview_results_before_close(client, login, build_survey):
    waiting = build_survey(results_mode="at_close")
    login(role="editor")
    assert client.get(f"/m/intipuca/encuestas/{waiting.id}/resultados").status_code == 200


def test_drafts_and_other_municipalities_answer_404(client, make, build_survey):
    draft = build_survey(publish=False)
    assert client.get(f"/m/intipuca/encuestas/{draft.id}/").status_code == 404
    other = make.municipality()
    elsewhere = build_survey(municipality=other)
    assert client.get(f"/m/intipuca/encuestas/{elsewhere.id}/").status_code == 404
    assert client.get(f"/m/{other.slug}/encuestas/{elsewhere.id}/").status_code == 200


def test_demo_results_page_api_and_downloads(client, muni):
    survey = next(s for s in services.public_surveys(muni) if s.is_example)
    html = client.get(f"/m/intipuca/encuestas/{survey.id}/resultados").get_data().decode("utf-8-sig")
    assert "Media de toda la matriz" in html and "IC 95 %" in html and "<svg" in html and "<table>" in html
    assert "datos de ejemplo" in html.lower() or "de ejemplo" in html
    listing_csv = client.get("/api/v1/municipalities/intipuca/surveys?format=csv").get_data().decode("utf-8-sig")
    assert listing_csv.startswith("id,title,") and survey.title in listing_csv
    listing = client.get("/api/v1/municipalities/intipuca/surveys").get_json()["items"]
    assert {s["title"] for s in listing} >= {survey.title}
    data = client.get(f"/api/v1/municipalities/intipuca/surveys/{survey.id}/results").get_json()
    assert data["responses"] == 300
    scale = next(q for q in data["questions"] if q["kind"] == "scale")
    assert scale["n"] == 300 and sum(scale["counts"].values()) == 300
    assert isinstance(scale["mean"], str) and float(scale["ci_low"]) < float(scale["mean"]) < float(scale["ci_high"])
    matrix = next(q for q in data["questions"] if q["kind"] == "matrix")
    assert len(matrix["rows"]) == 8 and isinstance(matrix["rows"][0]["mean"], str)
    rows = list(csv.reader(io.StringIO(client.get(
        f"/m/intipuca/encuestas/{survey.id}/resultados/respuestas.csv").get_data().decode("utf-8-sig"))))
    assert rows[0][:5] == ["respuesta", "fecha", "distrito", "canal", "ejemplo"] and len(rows) == 301
    assert {r[3] for r in rows[1:]} <= {"en línea", "papel", "quiosco"} and {r[4] for r in rows[1:]} <= {"sí", "no"}
    for lang, header, channels, example in (
            ("en", ["response", "date", "district", "channel", "example"], {"online", "paper", "kiosk"}, {"yes", "no"}),
            ("pt", ["resposta", "data", "distrito", "canal", "exemplo"], {"on-line", "papel", "quiosque"},
             {"sim", "não"})):
        client.get(f"/lang/{lang}")  # the file's headers and values follow the language asked for
        refresh()  # the test's requests share one app context, where Flask-Babel keeps the locale
        translated = list(csv.reader(io.StringIO(client.get(
            f"/m/intipuca/encuestas/{survey.id}/resultados/respuestas.csv").get_data().decode("utf-8-sig"))))
        assert translated[0][:5] == header and len(translated) == 301
        assert {r[3] for r in translated[1:]} <= channels and {r[4] for r in translated[1:]} <= example
        not_used = {"en": "not used", "pt": "não uso"}[lang]
        assert [["no uso" if c == not_used else c for c in r[5:]] for r in translated[1:]] == [r[5:] for r in rows[1:]]
    client.get("/lang/es")
    refresh()
    assert "@" not in "".join(",".join(r) for r in rows)  # e-mails never leave unredacted
    xlsx = client.get(f"/m/intipuca/encuestas/{survey.id}/resultados/respuestas.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    summary = client.get(f"/m/intipuca/encuestas/{survey.id}/resultados/resumen.csv").get_data().decode("utf-8-sig")
    assert summary.startswith("codigo,pregunta,fila,valor,cuenta,proporcion,n,media,ic95_inferior,ic95_superior")


def test_list_and_home_section(client):
    html = client.get("/m/intipuca/encuestas/").get_data().decode("utf-8-sig")
    assert "Satisfacción con los servicios municipales 2025" in html and "Responder" in html
    assert "Encuestas" in client.get("/m/intipuca/").get_data().decode("utf-8-sig")


def test_results_page_query_count_is_constant(client, db, queries, muni, build_survey, answer_values):
    survey = build_survey()
    url = f"/m/intipuca/encuestas/{survey.id}/resultados"
    responding.submit(muni, survey, answer_values(survey), key="0" * 20)
    client.get(url)
    with queries() as small:
        client.get(url)
    for index in range(1, 30):
        values = answer_values(survey, scale=str(index % 5 + 1), choice="No", text=f"texto {index}")
        values["district"] = [str(muni.districts[index % 4].id)]
        responding.submit(muni, survey, values, key=f"{index:020d}")
    with queries() as large:
        client.get(url)
    assert large() == small()


def test_staff_build_publish_copy_paper_and_moderate(client, login, db, muni, app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIN_COUNT", 1)  # one paper response, its text published
    login(role="admin")
    base = "/m/intipuca/encuestas/gestion"
    response = client.post(base + "/nueva", data={"title": "Nueva consulta", "opens_on": "2026-01-01",
                                                  "closes_on": "2025-12-01", "audience": "anyone",
                                                  "results_mode": "live"})
    assert response.status_code == 200 and "La fecha de cierre no puede ser anterior" in response.get_data().decode("utf-8-sig")
    response = client.post(base + "/nueva", data={"title": "Nueva consulta", "opens_on": "2026-01-01",
                                                  "closes_on": "2099-12-01", "audience": "anyone",
                                                  "results_mode": "live"})
    survey_id = int(re.search(r"/gestion/(\d+)/", response.headers["Location"]).group(1))
    assert client.post(f"{base}/{survey_id}/secciones", data={"title": "Única"}).status_code == 302
    survey = services.get_survey(muni, survey_id, published_only=False)
    section_id = survey.sections[0].id
    for kind, extra in [("scale", {}), ("rating", {}), ("single", {"options": "Sí\nNo"}),
                        ("multiple", {"options": "a\nb\nc", "max_choices": "2"}), ("short_text", {}),
                        ("long_text", {}), ("matrix", {})]:
        response = client.post(f"{base}/{survey_id}/preguntas", data={
            "section": section_id, "kind": kind, "text": f"Pregunta {kind}", "condition_question": "0",
            "scale_labels": "a\nb\nc\nd\ne", "rows": "Agua\nCalles", **extra})
        assert response.status_code == 302, response.get_data().decode("utf-8-sig")
    bad = client.post(f"{base}/{survey_id}/preguntas", data={"section": section_id, "kind": "single",
                                                               "text": "Sin opciones", "condition_question": "0"})
    assert bad.status_code == 422 and "al menos dos opciones" in bad.get_data().decode("utf-8-sig")
    assert client.post(f"{base}/{survey_id}/publicar").status_code == 302
    db.session.expire_all()
    survey = services.get_survey(muni, survey_id)
    assert survey is not None and len(services.ordered_questions(survey)) == 7
    qs = services.ordered_questions(survey)
    paper = client.get(f"{base}/{survey_id}/papel").get_data().decode("utf-8-sig")
    response = client.post(f"{base}/{survey_id}/papel", data={
        "k": _key(paper), f"q{qs[0].id}": "4", f"q{qs[4].id}": "escriba a x@y.org",
        f"q{qs[6].id}_r0": "5", f"q{qs[6].id}_r1": "na"})
    assert response.status_code == 302
    assert db.session.scalar(select(SurveyResponse.channel).where(SurveyResponse.survey_id == survey_id)) == "paper"
    moderation = client.get(f"{base}/{survey_id}/moderacion").get_data().decode("utf-8-sig")
    assert "escriba a [dato personal retirado]" in moderation and "x@y.org" in moderation
    answer_id = int(re.search(r"/moderacion/(\d+)", moderation).group(1))
    client.post(f"{base}/{survey_id}/moderacion/{answer_id}", data={"decision": "approved", "redacted": ""})
    results = client.get(f"/m/intipuca/encuestas/{survey_id}/resultados").get_data().decode("utf-8-sig")
    assert "escriba a [dato personal retirado]" in results and "x@y.org" not in results
    frozen = client.post(f"{base}/{survey_id}/preguntas/{qs[0].id}/borrar", follow_redirects=True)
    assert "ya tiene respuestas" in frozen.get_data().decode("utf-8-sig")
    copy = client.post(f"{base}/{survey_id}/copiar")
    assert copy.status_code == 302
    assert client.post(f"{base}/{survey_id}/cerrar").status_code == 302


def test_staff_pages_refuse_residents_and_allow_roles(client, login, build_survey):
    survey = build_survey()
    login(role="moderator")
    assert client.get(f"/m/intipuca/encuestas/gestion/{survey.id}/moderacion").status_code == 200
    assert client.post(f"/m/intipuca/encuestas/gestion/{survey.id}/publicar").status_code == 403


def test_residents_cannot_open_staff_pages(client, login):
    login(role="resident")
    assert client.get("/m/intipuca/encuestas/gestion/").status_code == 403


def test_list_and_api_query_counts_are_constant(client, db, queries, build_survey):
    build_survey()
    client.get("/m/intipuca/encuestas/")
    with queries() as small_list:
        client.get("/m/intipuca/encuestas/")
    with queries() as small_api:
        client.get("/api/v1/municipalities/intipuca/surveys")
    for _ in range(5):
        build_survey()
    with queries() as large_list:
        client.get("/m/intipuca/encuestas/")
    with queries() as large_api:
        client.get("/api/v1/municipalities/intipuca/surveys")
    assert (large_list(), large_api()) == (small_list(), small_api())


def test_anonymous_answer_pages_are_rate_limited(client, build_survey):
    survey = build_survey()
    url = f"/m/intipuca/encuestas/{survey.id}/responder?p=1"
    codes = [client.post(url, data={"k": "r" * 20}).status_code for _ in range(61)]
    assert codes[0] == 200 and codes[-1] == 429  # 60 pages a minute from one address


def test_a_published_survey_changes_only_through_a_publisher(client, login, db, muni, build_survey):
    """An editor cannot change a live survey's settings, sections or questions; a publisher can
    (until the first response freezes the questions); a draft stays open to editors."""
    survey = build_survey()
    draft = build_survey(publish=False)
    base = "/m/intipuca/encuestas/gestion"
    questions = services.ordered_questions(survey)
    section_id = survey.sections[0].id
    login(role="editor")
    attempts = [
        (f"{base}/{survey.id}/editar", {"title": "Cambiada", "opens_on": survey.opens_on.isoformat(),
                                        "closes_on": survey.closes_on.isoformat(), "audience": "anyone",
                                        "results_mode": "live"}),
        (f"{base}/{survey.id}/secciones", {"title": "Nueva"}),
        (f"{base}/{survey.id}/preguntas", {"section": section_id, "kind": "short_text", "text": "Nueva",
                                           "condition_question": "0"}),
        (f"{base}/{survey.id}/preguntas/{questions[1].id}/mover", {"step": "up"}),
        (f"{base}/{survey.id}/preguntas/{questions[0].id}/borrar", {}),
    ]
    for url, data in attempts:
        page = client.post(url, data=data, follow_redirects=True).get_data().decode("utf-8-sig")
        assert "solo una persona con el rol de publicador" in page, url
    db.session.expire_all()
    assert survey.title == "Prueba de servicios" and len(survey.sections) == 2
    assert [q.id for q in services.ordered_questions(survey)] == [q.id for q in questions]
    assert client.post(f"{base}/{draft.id}/preguntas/{draft.questions[0].id}/borrar").status_code == 302
    login(role="publisher")
    assert client.post(f"{base}/{survey.id}/preguntas/{questions[0].id}/borrar").status_code == 302
    db.session.expire_all()
    assert len(services.ordered_questions(survey)) == len(questions) - 1
