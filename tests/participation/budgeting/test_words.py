"""Residents read the counting rule as a name and a line of explanation, never its code."""
import re

import pytest

from portal.participation.budgeting import services
from portal.participation.budgeting.labels import RULE_EXPLANATIONS, RULE_LABELS
from portal.participation.budgeting.tally import RULES


def _visible(html):
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))


def test_every_rule_has_a_name_and_an_explanation():
    assert set(RULE_LABELS) == set(RULES) == set(RULE_EXPLANATIONS)
    assert all(str(RULE_LABELS[r]) != r and len(str(RULE_EXPLANATIONS[r])) > 40 for r in RULES)


def test_results_page_names_the_rule_in_words(client, muni):
    published = [(p, r) for p in services.processes(muni) for r in services.results(muni, p)]
    assert published
    for process, result in published:
        html = client.get(f"/m/intipuca/presupuesto/{process.id}/resultados?rule={result.rule}").get_data(as_text=True)
        text = _visible(html)
        assert str(RULE_LABELS[result.rule]) in text and str(RULE_EXPLANATIONS[result.rule]) in text
        assert not re.search(r"\b(greedy|mes-add1(-comparison|-greedy)?|mes)\b", text)


NAMES = {"en": {"greedy": "Most votes first", "mes": "Equal shares", "mes-add1": "Equal shares, with the budget completed"},
         "pt": {"greedy": "Os mais votados primeiro", "mes": "Partes iguais",
                "mes-add1": "Partes iguais, com o orçamento completado"}}


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_rule_names_are_translated(client, muni, lang):
    process = next(p for p in services.processes(muni) if p.rule in NAMES[lang])
    html = client.get(f"/m/intipuca/presupuesto/{process.id}", headers={"Accept-Language": lang}).get_data(as_text=True)
    assert NAMES[lang][process.rule] in html and process.rule not in _visible(html).split()


def _process(**fields):
    from datetime import date, timedelta

    from portal.participation.budgeting.models import BudgetProcess

    today = date(2026, 12, 5)
    base = dict(title="P", status="draft", is_historical=False, voting_open=None, voting_close=None,
                voting_closed_at=None, proposals_open=None, proposals_close=None, review_close=None,
                results_date=None, execution_start=None)
    base.update({k: (today + timedelta(days=v) if isinstance(v, int) and k.startswith(("voting_o", "voting_cl"))
                     else v) for k, v in fields.items()})
    return BudgetProcess(**base), today


@pytest.mark.parametrize("fields, expected", [
    ({}, ("publish",)),  # a draft: publish it first (opening would publish nothing)
    ({"status": "published"}, ("open",)),
    ({"status": "published", "voting_open": -3, "voting_close": 10}, ("close",)),  # voting: only close
    ({"status": "draft", "voting_open": -3, "voting_close": 10}, ("publish", "close")),
    ({"status": "published", "voting_open": -20, "voting_close": -10}, ("open",)),  # the dates passed, never closed
    ({"status": "published", "is_historical": True}, ()),
])
def test_only_valid_transitions_are_offered(fields, expected):
    process, today = _process(**fields)
    assert process.transitions(today) == expected


def test_closed_vote_is_not_reopened_and_open_vote_not_reopened(client, login, db, muni):
    from datetime import date, datetime

    voting = next(p for p in services.processes(muni) if p.phase(date.today()) == "voting")
    login(role="publisher")
    admin = f"/m/intipuca/presupuesto/admin/{voting.id}"
    html = client.get(admin).get_data(as_text=True)
    assert "Cerrar votación" in html and "Abrir votación" not in html and "Publicar proceso" not in html
    refused = client.post(admin + "/accion/abrir-votacion", follow_redirects=True).get_data(as_text=True)
    assert "no corresponde a la fase actual" in refused
    voting.voting_closed_at = datetime(2026, 1, 1)
    db.session.flush()
    html = client.get(admin).get_data(as_text=True)
    assert "Cerrar votación" not in html and "Abrir votación" not in html


def test_results_cards_label_without_doubled_punctuation(client, muni):
    process, result = next((p, r) for p in services.processes(muni) for r in services.results(muni, p))
    html = client.get(f"/m/intipuca/presupuesto/{process.id}/resultados").get_data(as_text=True)
    assert 'data-label="Financiado"' in html and 'data-label="¿' not in html  # the card adds ": "


def test_demo_projects_use_the_municipalitys_district_names(muni):
    districts = {d.name for d in muni.districts}
    projects = [project for process in services.processes(muni) for project in process.projects]
    assert projects and {p.district for p in projects if p.district} <= districts


def _rulebook(client, db, muni, **fields):
    from datetime import date

    process = next(p for p in services.processes(muni) if p.phase(date.today()) == "voting")
    for name, value in fields.items():
        setattr(process, name, value)
    db.session.flush()
    return _visible(client.get(f"/m/intipuca/presupuesto/{process.id}").get_data(as_text=True))


@pytest.mark.parametrize("fields, said, never", [
    ({"ballot_type": "approval", "min_choices": 1, "max_choices": 1}, "elija 1 proyecto", "1 proyectos"),
    ({"ballot_type": "approval", "min_choices": 2, "max_choices": None}, "elija al menos 2 proyectos", "∞"),
    ({"ballot_type": "approval", "min_choices": 1, "max_choices": 3}, "elija entre 1 y 3 proyectos", "None"),
    ({"ballot_type": "ranking", "rank_k": 1}, "ordene su preferido", "1 preferidos"),
    ({"ballot_type": "ranking", "rank_k": 3}, "ordene sus 3 preferidos", "None"),
    ({"ballot_type": "ranking", "rank_k": None}, "ordene todos los proyectos", "None"),
])
def test_the_rulebook_counts_agree_with_their_nouns(client, db, muni, fields, said, never):
    text = " ".join(_rulebook(client, db, muni, **fields).split())
    assert said in text and never not in text


def test_at_most_one_project_is_singular(app, muni):
    from datetime import date

    from portal.participation.budgeting.ballots import Choice, check_choices
    from portal.participation.budgeting.errors import BudgetingError
    from portal.participation.budgeting.processes import ballot_projects

    process = next(p for p in services.processes(muni) if p.phase(date.today()) == "voting")
    process.ballot_type, process.min_choices, process.max_choices = "approval", 0, 1
    refs = [p.ref for p in ballot_projects(process, None)][:2]
    assert len(refs) == 2
    with pytest.raises(BudgetingError) as refused, app.test_request_context():
        check_choices(process, [Choice(r) for r in refs])
    assert str(refused.value) == "Elija como máximo 1 proyecto."


def test_the_staff_page_lists_computed_results_by_the_rules_name(client, login, muni):
    process = next(p for p in services.processes(muni) if services.results(muni, p))
    login(role="publisher")
    text = _visible(client.get(f"/m/intipuca/presupuesto/admin/{process.id}").get_data(as_text=True))
    assert not re.search(r"\b(greedy|mes-add1(-comparison|-greedy)?|mes)\b", text)
    assert all(str(RULE_LABELS[r.rule]) in text for r in services.results(muni, process))


def test_requested_counts_name_their_rule_and_show_local_times(client, login, db, muni):
    from datetime import datetime

    from portal.participation.budgeting.models import BudgetCount

    process = next(p for p in services.processes(muni) if services.results(muni, p))
    db.session.add(BudgetCount(municipality_id=muni.id, process_id=process.id, rule="mes-add1", status="done",
                               queued_at=datetime(2026, 3, 2, 17, 59, 0), started_at=datetime(2026, 3, 2, 18, 0, 5),
                               finished_at=datetime(2026, 3, 2, 18, 0, 9)))
    db.session.flush()
    login(role="publisher")
    text = " ".join(_visible(client.get(f"/m/intipuca/presupuesto/admin/{process.id}").get_data(as_text=True)).split())
    counts = text[text.index("Conteos pedidos"):text.index("Propuestas")]
    assert f'{RULE_LABELS["mes-add1"]}: listo' in counts and "mes-add1" not in counts
    # El Salvador is six hours behind UTC: 18:00:05 stored is 12:00:05 there
    assert "empezó 12:00:05" in counts and "terminó 12:00:09" in counts and "18:00" not in counts
    assert "(hora de El Salvador)" in counts
