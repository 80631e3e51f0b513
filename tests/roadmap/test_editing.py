"""Staff pages of a plan: goals, quarterly reviews and publication, with their record."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import ChangeRecord
from portal.roadmap.models import Goal, Review

BASE = "/m/intipuca/hoja-de-ruta"
GOAL = {"title": "Gasto en personal como máximo 45 %", "source_key": "finance.gasto_personal", "direction": "<=",
        "target": "0.45", "unit": "ratio", "year": "2015", "baseline": "0.52", "baseline_year": "2012"}


def _records(db, entity_type, action):
    return db.session.execute(select(ChangeRecord).where(ChangeRecord.object_type == entity_type,
                                                         ChangeRecord.action == action)).scalars().all()


@pytest.mark.parametrize("role, expected", [(None, 302), ("resident", 403), ("editor", 403), ("publisher", 200)])
def test_goal_and_review_pages_are_for_publishers(client, login, prfm, role, expected):
    if role:
        login(role=role)
    assert client.get(f"{BASE}/{prfm.id}/metas/nueva").status_code == expected
    assert client.get(f"{BASE}/{prfm.id}/revisiones/nueva").status_code == expected


def test_publisher_adds_edits_and_deletes_a_goal_and_each_step_is_recorded(client, db, login, prfm):
    login(role="publisher")
    before = len(prfm.goals)
    page = client.get(f"{BASE}/{prfm.id}").get_data(as_text=True)
    assert "Agregar una meta" in page and "Publicar el plan" not in page and "Retirar la publicación" in page
    response = client.post(f"{BASE}/{prfm.id}/metas/nueva", data=GOAL, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Meta agregada." in html and GOAL["title"] in html
    goal = db.session.execute(select(Goal).where(Goal.title == GOAL["title"])).scalar_one()
    assert str(goal.target) in ("0.45", "0.45000000") and goal.direction == "<=" and goal.baseline_year == 2012
    assert len(prfm.goals) == before + 1 and _records(db, "Goal", "create")
    changed = {**GOAL, "target": "0.40"}
    client.post(f"{BASE}/{prfm.id}/metas/{goal.id}", data=changed)
    db.session.refresh(goal)
    assert float(goal.target) == 0.40 and _records(db, "Goal", "update")
    deleted = client.post(f"{BASE}/{prfm.id}/metas/{goal.id}/borrar", follow_redirects=True)
    assert "eliminada" in deleted.get_data(as_text=True)
    assert db.session.get(Goal, goal.id) is None
    record = _records(db, "Goal", "delete")[-1]
    assert GOAL["title"] in record.changes  # the history keeps what was deleted


def test_goal_form_keeps_what_was_typed_and_names_the_field(client, login, prfm):
    login(role="publisher")
    bad = {**GOAL, "year": "2015", "baseline_year": "2020", "target": ""}
    html = client.post(f"{BASE}/{prfm.id}/metas/nueva", data=bad).get_data(as_text=True)
    assert "Escriba el valor de la meta" in html and GOAL["title"] in html
    bad = {**GOAL, "baseline_year": "2020"}
    html = client.post(f"{BASE}/{prfm.id}/metas/nueva", data=bad).get_data(as_text=True)
    assert "no puede ser posterior" in html and 'value="2020"' in html
    bad = {**GOAL, "source_key": "no.such.indicator"}
    assert "Elija un indicador de la lista" in client.post(f"{BASE}/{prfm.id}/metas/nueva", data=bad).get_data(
        as_text=True)


def test_publisher_records_a_review(client, db, login, prfm):
    login(role="publisher")
    data = {"held_on": date.today().isoformat(), "title": "Revisión del cuarto trimestre",
            "summary": "Se cumplieron 8 de 10 actividades.", "approved_changes": "Ampliar el plazo de la 13.",
            "council_act": "Acta 22, acuerdo 4"}
    html = client.post(f"{BASE}/{prfm.id}/revisiones/nueva", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Revisión registrada." in html and "Se cumplieron 8 de 10 actividades." in html and "Acta 22" in html
    assert db.session.execute(select(Review).where(Review.council_act == "Acta 22, acuerdo 4")).scalar_one()
    assert _records(db, "Review", "create")
    future = {**data, "held_on": (date.today() + timedelta(days=3)).isoformat(), "summary": "Mañana"}
    html = client.post(f"{BASE}/{prfm.id}/revisiones/nueva", data=future).get_data(as_text=True)
    assert "no puede ser futura" in html and "Mañana" in html


def test_publisher_publishes_a_draft_and_withdraws_it(client, db, login, draft):
    assert client.get(f"{BASE}/{draft.id}").status_code == 404
    login(role="publisher")
    assert "Publicar el plan" in client.get(f"{BASE}/{draft.id}").get_data(as_text=True)
    html = client.post(f"{BASE}/{draft.id}/publicar", data={"publicar": "1"}, follow_redirects=True).get_data(
        as_text=True)
    assert "Plan publicado" in html and "Borrador: solo el personal" not in html
    client.get("/cuenta/salir")
    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"{BASE}/{draft.id}").status_code == 200  # everyone sees it
    login(role="publisher")
    client.post(f"{BASE}/{draft.id}/publicar", data={"publicar": "0"})
    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"{BASE}/{draft.id}").status_code == 404
    assert _records(db, "Plan", "publish") and _records(db, "Plan", "unpublish")


def test_anonymous_plan_page_has_no_form_and_stays_cacheable(client, prfm, memory_cache):
    from portal.core.caching import forget_heads

    forget_heads()
    first = client.get(f"{BASE}/{prfm.id}")
    assert "csrf_token" not in first.get_data(as_text=True) and "Agregar una meta" not in first.get_data(as_text=True)
    assert first.headers["X-Cache"] == "miss" and client.get(f"{BASE}/{prfm.id}").headers["X-Cache"] == "hit"
    forget_heads()


def test_goal_edit_keeps_a_strict_direction_and_refuses_what_is_not_a_number(client, db, login, prfm):
    login(role="publisher")
    goal = next(g for g in prfm.goals if g.direction == "<")  # the demo's debt limit: < 1.7
    page = client.get(f"{BASE}/{prfm.id}/metas/{goal.id}").get_data(as_text=True)
    assert '<option selected value="&lt;">' in page or '<option value="&lt;" selected>' in page
    data = {"title": "Endeudamiento por debajo del límite", "source_key": goal.source_key, "direction": "<",
            "target": "1.7", "unit": goal.unit, "year": str(goal.year)}
    client.post(f"{BASE}/{prfm.id}/metas/{goal.id}", data=data)
    db.session.refresh(goal)
    assert goal.direction == "<" and goal.title == "Endeudamiento por debajo del límite"
    for bad in ("NaN", "Infinity", "1e15"):
        html = client.post(f"{BASE}/{prfm.id}/metas/nueva", data={**GOAL, "target": bad}).get_data(as_text=True)
        assert "Valor de la meta: escriba un número" in html or "Valor de la meta: como máximo 12 cifras" in html, bad
    assert client.get(f"{BASE}/{prfm.id}").status_code == 200
