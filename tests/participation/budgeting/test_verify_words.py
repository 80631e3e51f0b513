"""The verification page offers two ways to verify with one "o" between them (issue 19, words)."""
import re

import pytest
from sqlalchemy import select

from portal.extensions import db as _db
from portal.participation.budgeting.demo import OPEN
from portal.participation.budgeting.models import BudgetProcess


@pytest.mark.parametrize("lang, divider", [("es", "o"), ("en", "or"), ("pt", "ou")])
def test_one_divider_between_the_two_ways_to_verify(client, muni, lang, divider):
    process = _db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == OPEN)).scalar_one()
    client.get(f"/lang/{lang}")
    page = client.get(f"/m/intipuca/presupuesto/{process.id}/verificar").get_data(as_text=True)
    form = page[page.index("<form"):page.index("</form>")]
    texts = [re.sub(r"\s+", " ", t).strip() for t in re.findall(r">([^<>]+)<", form)]
    texts = [t for t in texts if t]
    # exactly one divider, standing alone, between the two fieldsets
    assert texts.count(divider) == 1
    assert form.index(f'<p class="or-divider">{divider}</p>') < form.rindex("<fieldset")
    # no other label or legend starts with the same word: one alternative reads as one "o"
    starts = [t for t in texts if t.lower().startswith(divider + " ")]
    assert starts == [], starts
