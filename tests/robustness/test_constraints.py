"""The invariants hold in the database itself, not only in the code: a direct write that
breaks one is refused by a constraint."""
import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.participation.budgeting.models import Ballot, BudgetProcess, Participation
from portal.participation.complaints.models import Report
from portal.participation.surveys.models import SurveyResponse


def _refused(db, statement):
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.execute(statement)


def test_constraints_refuse_broken_invariants(db, muni):
    process = db.session.execute(select(BudgetProcess).where(BudgetProcess.municipality_id == muni.id)).scalars().first()
    base = {"municipality_id": muni.id, "process_id": process.id}
    db.session.execute(insert(Participation).values(**base, voter_key="person-1"))
    _refused(db, insert(Participation).values(**base, voter_key="person-1"))  # one ballot per person
    db.session.execute(insert(Ballot).values(**base, choices="1", receipt_hash="r" * 64))
    _refused(db, insert(Ballot).values(**base, choices="2", receipt_hash="r" * 64))  # one ballot per receipt
    _refused(db, update(Ballot).where(Ballot.receipt_hash == "r" * 64).values(version=0))
    _refused(db, insert(Participation).values(municipality_id=muni.id, process_id=2**31 - 1, voter_key="x"))  # FK

    report = db.session.execute(select(Report).where(Report.municipality_id == muni.id)).scalars().first()
    _refused(db, update(Report).where(Report.id == report.id).values(status="lost"))
    _refused(db, update(Report).where(Report.id == report.id).values(version=0))
    _refused(db, update(Report).where(Report.id == report.id).values(municipality_id=2**31 - 1))  # FK

    response = db.session.execute(select(SurveyResponse).where(
        SurveyResponse.municipality_id == muni.id)).scalars().first()
    _refused(db, update(SurveyResponse).where(SurveyResponse.id == response.id).values(revisions=0))
    db.session.execute(update(SurveyResponse).where(SurveyResponse.id == response.id).values(idempotency_key="same-key"))
    other = db.session.execute(select(SurveyResponse).where(
        SurveyResponse.survey_id == response.survey_id, SurveyResponse.id != response.id)).scalars().first()
    if other is not None:
        _refused(db, update(SurveyResponse).where(SurveyResponse.id == other.id).values(idempotency_key="same-key"))
