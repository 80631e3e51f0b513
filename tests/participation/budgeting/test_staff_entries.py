"""Staff-entered votes follow the census and leave a public trace (issue 18, item 14):
paper ballots and in-person verifications are checked like a resident's own verification,
one-time codes are bounded, and each entry is in the change record with the staff role."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import ChangeRecord
from portal.audit.services import verify_chain
from portal.extensions import db as _db
from portal.participation.budgeting import services
from portal.participation.budgeting.demo import OPEN
from portal.participation.budgeting.models import Ballot, BudgetProcess, Participation, VotingCode

IN_CENSUS, BIRTH = "00000002-2", "1962-03-12"      # the demo census (Intipucá Centro)
YOUNG, YOUNG_BIRTH = "00000009-9", "1969-01-10"


def _open(muni):
    return _db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == OPEN)).scalar_one()


def _records(muni, object_type):
    return _db.session.execute(select(ChangeRecord).where(
        ChangeRecord.municipality_id == muni.id, ChangeRecord.object_type == object_type)
        .order_by(ChangeRecord.seq)).scalars().all()


def _ballots(process):
    return _db.session.scalar(select(func.count(Ballot.id)).where(Ballot.process_id == process.id))


@pytest.mark.parametrize("data, message", [
    ({"document": "55555555-5", "birth_date": "1980-01-01"}, "No encontramos ese documento"),
    ({"document": IN_CENSUS}, "Escriba la fecha de nacimiento"),
    ({"document": IN_CENSUS, "birth_date": "1962-03-13"}, "No encontramos ese documento"),
])
def test_a_paper_ballot_for_someone_not_in_the_census_is_refused(client, login, muni, data, message):
    process = _open(muni)
    login(role="verifier", municipality=muni)
    before = _ballots(process)
    page = client.post(f"/m/intipuca/presupuesto/admin/{process.id}/papeleta",
                       data={**data, "picks": ["1"]}).get_data(as_text=True)
    assert message in page
    assert _ballots(process) == before and not _records(muni, "PaperBallot")


def test_a_district_other_than_the_census_one_is_refused(app, muni):
    process = _open(muni)
    with pytest.raises(services.BudgetingError) as refused:
        services.staff_checked_voter(muni, process, IN_CENSUS, date.fromisoformat(BIRTH), "Norte", date(2026, 12, 5))
    with app.test_request_context():
        assert "otro distrito (Intipucá Centro)" in str(refused.value)


def test_a_paper_ballot_checks_the_minimum_age(client, login, muni):
    process = _open(muni)
    process.min_age = 60  # the person born in 1969 is younger
    login(role="verifier", municipality=muni)
    page = client.post(f"/m/intipuca/presupuesto/admin/{process.id}/papeleta",
                       data={"document": YOUNG, "birth_date": YOUNG_BIRTH, "picks": ["1"]}).get_data(as_text=True)
    assert "edad mínima de 60 años" in page


def test_without_a_census_a_process_with_a_minimum_age_still_needs_the_birth_date(make, muni):
    other = make.municipality()
    process = BudgetProcess(municipality_id=other.id, title="Sin padrón", budget=100, min_age=16)
    _db.session.add(process)
    _db.session.flush()
    with pytest.raises(services.BudgetingError):
        services.staff_checked_voter(other, process, "12345678-9", None, "", date(2026, 12, 5))
    with pytest.raises(services.BudgetingError, match="edad mínima"):
        services.staff_checked_voter(other, process, "12345678-9", date(2015, 1, 1), "", date(2026, 12, 5))
    key, district = services.staff_checked_voter(other, process, "12345678-9", date(2000, 1, 1), "Sur",
                                                 date(2026, 12, 5))
    assert key == services.person_hash(other, "12345678-9") and district == "Sur"


def test_a_paper_ballot_in_the_census_counts_once_and_is_in_the_change_record(client, login, muni):
    process = _open(muni)
    login(role="verifier", municipality=muni)
    url = f"/m/intipuca/presupuesto/admin/{process.id}/papeleta"
    before = _ballots(process)
    r = client.post(url, data={"document": IN_CENSUS, "birth_date": BIRTH, "picks": ["1"]})
    assert r.status_code == 302
    assert _ballots(process) == before + 1
    assert _db.session.scalar(select(Ballot.district).where(Ballot.process_id == process.id)
                              .order_by(Ballot.id.desc()).limit(1)) == "Intipucá Centro"  # the census's
    # the same person online afterwards is one person: already voted
    key = services.person_hash(muni, IN_CENSUS)
    assert services.has_voted(muni, process, key)
    [entry] = _records(muni, "PaperBallot")
    assert entry.actor_role == "verifier" and entry.action == "create"
    assert IN_CENSUS not in entry.changes and key not in entry.changes and '"1"' not in entry.changes
    assert verify_chain(_db.session, str(muni.id)).ok


def test_in_person_verification_follows_the_census_and_is_recorded(client, login, muni):
    process = _open(muni)
    login(role="verifier", municipality=muni)
    url = f"/m/intipuca/presupuesto/admin/{process.id}/verificar"
    page = client.post(url, data={"document": "55555555-5", "birth_date": "1980-01-01"}).get_data(as_text=True)
    assert "No encontramos ese documento" in page and not _records(muni, "InPersonVerification")
    assert client.post(url, data={"document": IN_CENSUS, "birth_date": BIRTH}).status_code == 302
    [entry] = _records(muni, "InPersonVerification")
    assert entry.actor_role == "verifier" and IN_CENSUS not in entry.changes


def test_codes_are_bounded_per_request_and_per_process(client, login, muni):
    process = _open(muni)
    login(role="editor", municipality=muni)
    url = f"/m/intipuca/presupuesto/admin/{process.id}/codigos"
    page = client.post(url, data={"count": 1000}).get_data(as_text=True)
    assert not re.findall(r"<code>([A-Z0-9-]{11})</code>", page) and 'value="1000"' in page
    census = services.census_size(muni)
    assert 0 < census < services.MAX_CODES_PER_REQUEST
    page = client.post(url, data={"count": census, "batch": "Mesa 1"}).get_data(as_text=True)
    assert len(re.findall(r"<code>([A-Z0-9-]{11})</code>", page)) == census
    page = client.post(url, data={"count": 1, "batch": "Mesa 2"}).get_data(as_text=True)
    assert "ya tiene todos los códigos" in page and not re.findall(r"<code>([A-Z0-9-]{11})</code>", page)
    assert _db.session.scalar(select(func.count(VotingCode.id)).where(VotingCode.process_id == process.id)) == census
    [entry] = _records(muni, "VotingCodes")
    assert entry.actor_role == "editor" and '"count": [null, %d]' % census in entry.changes
    with pytest.raises(services.BudgetingError):
        services.make_codes(muni, process, services.MAX_CODES_PER_REQUEST + 1)


def test_paper_ballots_and_participations_agree(muni):
    """Every staff-entered ballot has its participation (one person, one ballot)."""
    process = _open(muni)
    services.enter_paper_ballot(muni, process, IN_CENSUS, [services.Choice("1")],
                                birth=date.fromisoformat(BIRTH), today=date(2026, 12, 5))
    key = services.person_hash(muni, IN_CENSUS)
    assert _db.session.scalar(select(func.count(Participation.id)).where(
        Participation.process_id == process.id, Participation.voter_key == key, Participation.channel == "paper")) == 1
