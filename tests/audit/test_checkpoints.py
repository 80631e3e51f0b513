"""Signed checkpoints make truncation and a full re-hash of the change record visible
(issue 18): `audit checkpoint` signs the heads, the public page and JSON list them, and
`audit verify --checkpoints` names every signed entry that is missing or was rewritten."""
import json
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from portal.audit import chain, signing
from portal.audit.models import ChangeRecord, Checkpoint


@pytest.fixture
def key_file(app, tmp_path):
    saved = app.config["AUDIT_CHECKPOINT_KEY"]
    app.config["AUDIT_CHECKPOINT_KEY"] = str(tmp_path / "keys" / "checkpoint.pem")
    yield tmp_path / "keys" / "checkpoint.pem"
    app.config["AUDIT_CHECKPOINT_KEY"] = saved


def _statement(seq=3, head="a" * 64):
    return signing.Statement("7", seq, head, "2026-12-05T10:00:00Z")


def test_signatures_verify_only_for_the_signed_statement(tmp_path):
    key = signing.load_or_create_key(tmp_path / "k.pem")
    assert oct((tmp_path / "k.pem").stat().st_mode & 0o777) == "0o600"
    public = signing.public_key_text(key)
    signature = signing.sign(key, _statement())
    assert signing.is_valid(public, _statement(), signature)
    assert not signing.is_valid(public, _statement(seq=4), signature)
    assert not signing.is_valid(public, _statement(head="b" * 64), signature)
    other = signing.public_key_text(signing.load_or_create_key(tmp_path / "other.pem"))
    assert not signing.is_valid(other, _statement(), signature)
    assert signing.load_or_create_key(tmp_path / "k.pem").public_key().public_bytes_raw() == \
        key.public_key().public_bytes_raw()  # the same key on the next use


@settings(max_examples=50, deadline=None)
@given(public=st.text(max_size=60), signature=st.text(max_size=120))
def test_malformed_keys_and_signatures_are_invalid_never_errors(public, signature):
    assert signing.is_valid(public, _statement(), signature) in (False, True)


def test_checkpoints_are_signed_listed_and_checked(app, client, runner, muni, key_file, tmp_path, db):
    result = runner.invoke(args=["audit", "checkpoint", "intipuca"])
    assert result.exit_code == 0 and "intipuca: signed seq" in result.output, result.output
    assert key_file.exists()
    again = runner.invoke(args=["audit", "checkpoint", "intipuca"])
    assert "nothing new to sign" in again.output  # the same head is not signed twice
    document = client.get("/api/v1/municipalities/intipuca/checkpoints").json
    [entry] = document["checkpoints"]
    seq, head = db.session.execute(select(ChangeRecord.seq, ChangeRecord.hash).where(
        ChangeRecord.chain == str(muni.id)).order_by(ChangeRecord.seq.desc()).limit(1)).one()
    assert (entry["seq"], entry["head"], entry["municipality"]) == (seq, head, "intipuca")
    statement = signing.Statement(entry["chain"], entry["seq"], entry["head"], entry["signed_at"])
    assert signing.is_valid(document["public_key"], statement, entry["signature"])
    page = client.get("/m/intipuca/historial/checkpoints").get_data(as_text=True)
    assert "Puntos de control firmados" in page and head in page and document["public_key"] in page
    assert "/m/intipuca/historial/checkpoints" in client.get("/m/intipuca/historial").get_data(as_text=True)

    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(client.get("/api/v1/checkpoints").json))
    ok = runner.invoke(args=["audit", "verify", "intipuca", "--checkpoints", str(saved)])
    assert ok.exit_code == 0 and "checkpoints: ok, 1 signed heads still in place" in ok.output, ok.output


def _rehash_everything(db, key, drop_from=None):
    """What an attacker with the database can do: cut the newest entries and re-hash the
    whole chain so it verifies again."""
    if drop_from is not None:
        db.session.execute(delete(ChangeRecord).where(ChangeRecord.chain == key, ChangeRecord.seq >= drop_from))
    rows = db.session.execute(select(ChangeRecord).where(ChangeRecord.chain == key)
                              .order_by(ChangeRecord.seq)).scalars().all()
    if rows:
        rows[0].summary = "rewritten history"
    for row, (prev, digest) in zip(rows, chain.rehash([r.content() for r in rows])):
        row.prev_hash, row.hash = prev, digest
    db.session.flush()


@pytest.mark.parametrize("cut", [None, "last"])
def test_a_rehashed_or_truncated_chain_is_named(app, client, runner, muni, key_file, tmp_path, db, cut):
    runner.invoke(args=["audit", "checkpoint", "intipuca"])
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(client.get("/api/v1/municipalities/intipuca/checkpoints").json))
    [signed] = json.loads(saved.read_text())["checkpoints"]
    _rehash_everything(db, str(muni.id), drop_from=signed["seq"] if cut else None)
    db.session.execute(delete(Checkpoint))  # the attacker removes the stored checkpoints too
    plain = runner.invoke(args=["audit", "verify", "intipuca"])
    assert plain.exit_code == 0  # the chain alone looks fine after a full re-hash
    result = runner.invoke(args=["audit", "verify", "intipuca", "--checkpoints", str(saved)])
    assert result.exit_code == 1
    if cut:
        assert f"CHECKPOINT MISSING at seq {signed['seq']}" in result.output
        assert f"the chain now ends at entry {signed['seq'] - 1}" in result.output
    else:
        assert f"CHECKPOINT REWRITTEN at seq {signed['seq']}" in result.output


def test_a_forged_checkpoint_file_is_refused(app, client, runner, muni, key_file, tmp_path, db):
    runner.invoke(args=["audit", "checkpoint", "intipuca"])
    document = client.get("/api/v1/municipalities/intipuca/checkpoints").json
    document["checkpoints"][0]["head"] = "0" * 64
    saved = tmp_path / "forged.json"
    saved.write_text(json.dumps(document))
    result = runner.invoke(args=["audit", "verify", "intipuca", "--checkpoints", str(saved)])
    assert result.exit_code == 1 and "CHECKPOINT BAD-SIGNATURE" in result.output
    saved.write_text("not json")
    result = runner.invoke(args=["audit", "verify", "--checkpoints", str(saved)])
    assert result.exit_code == 1 and "not a checkpoint file" in result.output


def test_pages_without_any_checkpoint(client, key_file):
    page = client.get("/m/intipuca/historial/checkpoints").get_data(as_text=True)
    assert "Todavía no se firmó ningún punto de control." in page
    assert client.get("/api/v1/checkpoints").json["public_key"] is None
    assert not key_file.exists()  # pages never make the key
