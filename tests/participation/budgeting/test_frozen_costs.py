"""Once voting opens, a project's cost is frozen with the rulebook: people voted with it."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.participation.budgeting import services
from portal.participation.budgeting.models import BudgetProject


def _voting_process(db, muni):
    today = date.today()
    process = services.save_process(muni, None, title="Votación con costos fijos", budget=Decimal(90000),
                                    ballot_type="approval", min_choices=0, rule="greedy", voting_open=today,
                                    voting_close=today + timedelta(days=5))
    project = BudgetProject(municipality_id=muni.id, ref="1", title="Alumbrado", cost=Decimal(30000),
                            review_status="accepted", status="published")
    process.projects.append(project)
    db.session.flush()
    return process, project


def test_cost_can_change_before_voting_and_not_after(app, db, muni):
    with app.test_request_context():
        _cost_frozen(db, muni)


def _cost_frozen(db, muni):
    process, project = _voting_process(db, muni)
    services.review(muni, project, status="changed", reason="Cotización nueva", cost=Decimal(31000))
    assert project.cost == Decimal(31000)
    services.open_voting(muni, process, date.today())
    with pytest.raises(services.CostFrozen):
        services.review(muni, project, status="changed", reason="Error", cost=Decimal(1))
    assert project.cost == Decimal(31000)
    services.review(muni, project, status="accepted", reason="", cost=Decimal(31000))  # the same cost is no change


def test_the_review_page_refuses_with_a_clear_message(client, db, muni, login):
    process, project = _voting_process(db, muni)
    services.open_voting(muni, process, date.today())
    process.publish()
    db.session.flush()
    login(role="moderator")
    url = f"/m/intipuca/presupuesto/admin/{process.id}/proyectos/{project.id}/revisar"
    page = client.post(url, data={"review_status": "changed", "cost": "1", "review_reason": "ajuste"})
    assert page.status_code == 200
    assert "El costo quedó fijado al abrir la votación" in page.get_data(as_text=True)
    db.session.refresh(project)
    assert project.cost == Decimal(30000)
