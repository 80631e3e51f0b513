"""The published-change record: automatic entries and tamper detection."""
import json

import pytest
from sqlalchemy import select, text

from portal.audit import chain
from portal.audit.models import ChangeRecord
from portal.audit.services import acting_as, set_note, verify_chain


def _entries(n):
    entries, prev = [], chain.GENESIS
    for seq in range(1, n + 1):
        content = {"seq": seq, "summary": f"change {seq}"}
        digest = chain.entry_hash(prev, content)
        entries.append(chain.ChainEntry(seq, seq, prev, digest, content))
        prev = digest
    return entries


def test_pure_chain_accepts_an_intact_chain():
    verdict = chain.verify(_entries(4))
    assert verdict.ok and verdict.checked == 4 and verdict.head == _entries(4)[-1].hash


@pytest.mark.parametrize("tamper, bad_seq", [
    (lambda e: e[:1] + [chain.ChainEntry(e[1].id, 2, e[1].prev_hash, e[1].hash, {"seq": 2, "summary": "edited"})] + e[2:], 2),
    (lambda e: e[:1] + e[2:], 3),                      # deleted row
    (lambda e: [e[0], e[2], e[1], e[3]], 3),           # reordered rows
])
def test_pure_chain_names_the_first_bad_entry(tamper, bad_seq):
    verdict = chain.verify(tamper(_entries(4)))
    assert not verdict.ok
    assert verdict.bad_seq == bad_seq


def test_changes_to_published_data_are_recorded(db, make, muni):
    other = make.municipality()
    db.session.flush()
    with acting_as("editor"):
        set_note(db.session, "corrección de población")
        other.population = 5100
        db.session.flush()
    db.session.flush()  # the recorder's own flush
    rows = db.session.execute(select(ChangeRecord).where(ChangeRecord.municipality_id == other.id)
                              .order_by(ChangeRecord.seq)).scalars().all()
    assert [r.action for r in rows][:1] == ["create"]
    update = rows[-1]
    assert update.action == "update" and update.actor_role == "editor"
    assert json.loads(update.changes)["population"] == [5000, 5100]
    assert update.note == "corrección de población"
    assert verify_chain(db.session, str(other.id)).ok


def _tamper_setup(db, make):
    other = make.municipality()
    for population in (5001, 5002, 5003):
        other.population = population
        db.session.flush()
    db.session.flush()
    return other


@pytest.mark.parametrize("sql", [
    "UPDATE change_records SET summary = 'forged' WHERE chain = :c AND seq = 2",
    "DELETE FROM change_records WHERE chain = :c AND seq = 2",
    "UPDATE change_records SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END WHERE chain = :c AND seq IN (2, 3)",
])
def test_verify_catches_edits_deletions_and_reordering(db, make, runner, sql):
    other = _tamper_setup(db, make)
    assert verify_chain(db.session, str(other.id)).ok
    if "CASE" in sql:  # swap through a free number, the unique constraint allows no overlap
        db.session.execute(text("UPDATE change_records SET seq = 1000 WHERE chain = :c AND seq = 2"), {"c": str(other.id)})
        db.session.execute(text("UPDATE change_records SET seq = 2 WHERE chain = :c AND seq = 3"), {"c": str(other.id)})
        db.session.execute(text("UPDATE change_records SET seq = 3 WHERE chain = :c AND seq = 1000"), {"c": str(other.id)})
    else:
        db.session.execute(text(sql), {"c": str(other.id)})
    verdict = verify_chain(db.session, str(other.id))
    assert not verdict.ok
    assert verdict.bad_seq in (2, 3)
    result = runner.invoke(args=["audit", "verify", other.slug])
    assert result.exit_code == 1
    assert "TAMPERED" in result.output


def test_verify_cli_reports_intact_chain(runner, muni):
    result = runner.invoke(args=["audit", "verify", "intipuca"])
    assert result.exit_code == 0, result.output
    assert "intipuca: ok" in result.output


def test_home_shows_chain_head(client, db, muni):
    from portal.audit.services import head

    seq, digest = head(db.session, muni)
    html = client.get("/m/intipuca/").get_data(as_text=True)
    assert digest in html and seq > 0
