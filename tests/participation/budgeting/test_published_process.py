"""A published process's rules and budgets change only through a publisher (issue 18, item 10)."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db as _db
from portal.participation.budgeting.models import BudgetProcess

DATA = {"title": "PP 2028", "budget": "100000", "ballot_type": "approval", "min_choices": "1",
        "eligibility": "municipality", "rule": "greedy", "district_budgets": ""}


@pytest.mark.parametrize("role, changed", [("editor", False), ("publisher", True)])
def test_only_a_publisher_changes_a_published_process(client, login, muni, role, changed):
    login(role=role, municipality=muni)
    assert client.post("/m/intipuca/presupuesto/admin/nuevo", data=DATA).status_code == 302
    process = _db.session.execute(select(BudgetProcess).where(BudgetProcess.title == "PP 2028")).scalar_one()
    edit = f"/m/intipuca/presupuesto/admin/{process.id}/editar"
    assert client.post(edit, data={**DATA, "budget": "90000"}).status_code == 302  # a draft: editors too
    process.publish()
    _db.session.commit()
    response = client.post(edit, data={**DATA, "budget": "1"})
    _db.session.expire_all()
    if changed:
        assert response.status_code == 302 and process.budget == Decimal(1)
    else:
        page = response.get_data(as_text=True)
        assert "solo una persona con el rol de publicador" in page and 'value="1"' in page
        assert process.budget == Decimal(90000)
