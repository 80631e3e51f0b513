"""A municipality's home starts with what a resident can do today and three headline
figures, in a constant number of queries."""
from datetime import date, timedelta
from decimal import Decimal

from flask import g

from portal.core.sections import Figure, actions_now, headline_figures


def _main(html):
    return html[html.index("<main"):]


def test_home_starts_with_what_a_resident_can_do_today(client, muni):
    html = _main(client.get("/m/intipuca/").get_data(as_text=True))
    now, figures, sections = html.index("Qué puede hacer hoy"), html.index("En cifras"), html.index("sections-grid")
    assert now < figures < sections
    from portal.participation.budgeting.services import processes

    voting = next(p for p in processes(muni) if p.phase(date.today()) == "voting")
    assert f'href="/m/intipuca/presupuesto/{voting.id}/votar">Votar en «{voting.title}»</a>' in html
    assert "hasta el" in html[now:figures] and "Responder la encuesta" in html[now:figures]
    assert 'href="/m/intipuca/reclamos/nuevo">Reportar un problema' in html


def test_three_headline_figures_link_to_their_pages(client, muni, app):
    with app.test_request_context("/m/intipuca/"):
        g.municipality = muni
        figures = headline_figures(muni)
    assert len(figures) == 3 and all(isinstance(f, Figure) for f in figures)
    assert [f.kind for f in figures] == ["money", "percent", "count"]
    money, share, count = figures
    assert money.url.startswith("/m/intipuca/finanzas/presupuesto/") and money.value > 0
    assert Decimal(0) <= share.value <= Decimal(1) and share.url == "/m/intipuca/hoja-de-ruta/"
    assert count.value > 0 and count.url == "/m/intipuca/reclamos/estadisticas"
    html = _main(client.get("/m/intipuca/").get_data(as_text=True))
    assert html.count('class="figure-value"') == 3 and "$1,220,241.69" in html


def test_home_speaks_english_and_portuguese(client):
    english = _main(client.get("/m/intipuca/", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "What you can do today" in english and "In figures" in english and "Qué puede" not in english
    assert "Report a problem" in english and "until " in english


def test_closed_voting_and_surveys_leave_the_list(client, db, muni, app):
    from portal.participation.budgeting.services import processes
    from portal.participation.surveys.services import public_surveys

    today = date.today()
    for process in processes(muni):
        if process.phase(today) in ("voting", "proposals"):
            process.voting_close = process.proposals_close = today - timedelta(days=1)
            process.voting_open = process.proposals_open = today - timedelta(days=30)
    for survey in public_surveys(muni):
        survey.closes_on = today - timedelta(days=1)
    db.session.flush()
    with app.test_request_context("/m/intipuca/"):
        g.municipality = muni
        labels = [a.label for a in actions_now(muni, today)]
    assert labels == ["Reportar un problema (calles, alumbrado, basura, agua…)"]


def test_a_new_municipality_has_nothing_to_do_yet(client, make):
    fresh = make.municipality(name="Villa Nueva")
    html = client.get(f"/m/{fresh.slug}/").get_data(as_text=True)
    assert "Qué puede hacer hoy" not in html and "En cifras" not in html


def test_home_queries_do_not_grow_with_open_surveys_and_votes(client, db, muni, queries):
    from portal.participation.surveys import services as surveys

    def count():
        with queries() as n:
            assert client.get("/m/intipuca/").status_code == 200
            return n()
    before = count()
    today = date.today()
    for i in range(5):
        survey = surveys.create_survey(muni, title=f"Sondeo {i}", opens_on=today - timedelta(days=1),
                                       closes_on=today + timedelta(days=9), audience="anyone", results_mode="live")
        section = surveys.add_section(muni, survey, "Única")
        surveys.add_question(muni, survey, section, kind="scale", code="S1", text="¿Bien?")
        surveys.publish(muni, survey)
    db.session.flush()
    html = client.get("/m/intipuca/").get_data(as_text=True)
    assert html.count("Responder la encuesta «Sondeo") == 5
    assert count() == before
