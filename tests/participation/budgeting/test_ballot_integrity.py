"""A ballot belongs to the person who cast it; a one-time code verifies once; the public
ballots keep no order of casting (issue 18, items 2 and the ballots file)."""
import csv
import io
import re

import pytest
from sqlalchemy import select

from portal.extensions import db as _db
from portal.participation.budgeting import services
from portal.participation.budgeting.demo import DEMO_BIRTH, DEMO_DUI, OPEN, PAST
from portal.participation.budgeting.models import Ballot, BudgetProcess, VotingCode

OTHER_DUI, OTHER_BIRTH = "00000001-1", "1961-02-11"  # in the demo census


def _proc(muni, title):
    return _db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == muni.id, BudgetProcess.title == title)).scalar_one()


def _vote(client, base, document, birth, picks):
    r = client.post(base + "/verificar", data={"document": document, "birth_date": birth})
    assert r.status_code == 302 and r.location.endswith("/votar"), r.get_data(as_text=True)[:2000]
    assert client.post(base + "/votar", data={"picks": picks}).status_code == 302
    assert client.post(base + "/votar/revisar").status_code == 302
    page = client.get(base + "/comprobante").get_data(as_text=True)
    return re.search(r"<strong>([A-Z0-9-]{17})</strong>", page).group(1)


def test_a_voter_cannot_rewrite_another_voters_ballot_with_their_receipt(app, client, muni):
    process = _proc(muni, OPEN)
    assert process.allow_change
    base = f"/m/intipuca/presupuesto/{process.id}"
    victim = app.test_client()
    receipt_b = _vote(victim, base, OTHER_DUI, OTHER_BIRTH, ["1"])
    receipt_a = _vote(client, base, DEMO_DUI, DEMO_BIRTH.isoformat(), ["2"])

    page = client.post(base + "/votar", data={"picks": ["3"], "receipt": receipt_b},
                       follow_redirects=True).get_data(as_text=True)
    assert "Código de comprobante no válido." in page
    client.post(base + "/votar/revisar")
    assert services.find_receipt(muni, process, receipt_b).choices == "1"
    assert services.find_receipt(muni, process, receipt_b).version == 1
    # the service refuses it too, whatever the pages do
    voter_a = services.person_hash(muni, DEMO_DUI)
    with pytest.raises(services.BudgetingError, match="comprobante no válido"):
        services.change_ballot(muni, process, voter_a, receipt_b, [services.Choice("3")])
    # one's own receipt still changes one's own ballot
    client.post(base + "/votar", data={"picks": ["3"], "receipt": receipt_a})
    client.post(base + "/votar/revisar")
    assert services.find_receipt(muni, process, receipt_a).choices == "3"
    assert services.find_receipt(muni, process, receipt_b).choices == "1"


def test_a_one_time_code_verifies_once(app, client, muni, login):
    process = _proc(muni, OPEN)
    codes = services.make_codes(muni, process, 2)
    first = services.redeem_code(muni, process, codes[0])
    assert first.method == "code"
    assert _db.session.scalar(select(VotingCode.used).where(
        VotingCode.code_hash == services.code_hash(muni, codes[0])))
    with pytest.raises(services.BudgetingError) as refused:
        services.redeem_code(muni, process, codes[0])
    with app.test_request_context():
        assert str(refused.value) == "Este código ya se usó."
    base = f"/m/intipuca/presupuesto/{process.id}"
    assert client.post(base + "/verificar", data={"code": codes[1]}).status_code == 302
    other = app.test_client()
    page = other.post(base + "/verificar", data={"code": codes[1]}).get_data(as_text=True)
    assert "Este código ya se usó." in page
    with other.session_transaction() as session:
        assert not any(key.endswith("_v") for key in session)


def test_public_ballots_keep_no_order_of_casting(client, muni):
    process = _proc(muni, PAST)
    refs = [p.ref for p in process.projects][:2]
    # cast last, but sorting puts them anywhere but last
    for choices in (refs[1], refs[0]):
        _db.session.add(Ballot(municipality_id=muni.id, process_id=process.id, choices=choices,
                               channel="paper", district=""))
    _db.session.flush()
    client.set_cookie("lang", "en")  # the English page's file names channels by their codes, as the dataset does
    text = client.get(f"/m/intipuca/presupuesto/{process.id}/papeletas.csv").get_data(as_text=True)
    rows = [(r["choices"], r["channel"], r["district"]) for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))]
    assert len(rows) > 2 and rows == sorted(rows)
    assert rows[-2:] != [(refs[1], "paper", ""), (refs[0], "paper", "")]
    data = client.get("/api/v1/municipalities/intipuca/datasets/papeletas/data-en.csv").get_data(as_text=True)
    listed = [(r["choices"], r["channel"], r["district"]) for r in csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
              if r["process_id"] == str(process.id)]
    assert listed == rows
