import pytest
from sqlalchemy import select


@pytest.fixture
def prfm(db, muni):
    from portal.roadmap.demo import PRFM
    from portal.roadmap.models import Plan

    return db.session.execute(select(Plan).where(Plan.municipality_id == muni.id, Plan.title == PRFM)).scalar_one()


@pytest.fixture
def world_bank(db, muni):
    from portal.roadmap.demo import WORLD_BANK
    from portal.roadmap.models import Plan

    return db.session.execute(select(Plan).where(Plan.municipality_id == muni.id,
                                                 Plan.title == WORLD_BANK)).scalar_one()


@pytest.fixture
def activity_no(db, prfm):
    """``activity_no("8")``: the PRFM activity with that number."""
    from portal.roadmap.models import Activity

    def find(number):
        return db.session.execute(select(Activity).where(Activity.plan_id == prfm.id,
                                                         Activity.number == number)).scalar_one()
    return find


@pytest.fixture
def draft(db, muni):
    """A plan in draft: only staff see it."""
    from portal.roadmap.models import Plan

    plan = Plan(municipality_id=muni.id, title="Plan en borrador")
    db.session.add(plan)
    db.session.flush()
    return plan
