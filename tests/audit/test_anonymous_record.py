"""The public change record carries the role, never something that leads to the person
(issue 18, item 6)."""
import json
from datetime import datetime

import pytest
from sqlalchemy import select

from portal.audit import chain
from portal.audit.models import ChangeRecord
from portal.audit.services import Audited, recorded_columns, verify_chain
from portal.extensions import db as _db

PASSWORD = "correct horse battery"


def _records(municipality):
    return _db.session.execute(select(ChangeRecord).where(ChangeRecord.municipality_id == municipality.id)
                               .order_by(ChangeRecord.seq)).scalars().all()


def test_a_proposal_record_names_neither_the_proposer_nor_the_form_key(client, login, muni):
    from portal.participation.budgeting import services
    from portal.participation.budgeting.models import BudgetProcess

    user = login(role="resident")
    process = _db.session.execute(select(BudgetProcess).where(BudgetProcess.municipality_id == muni.id)).scalars().first()
    before = _records(muni)[-1].seq
    from flask import g

    with client.application.test_request_context():
        from flask_login import login_user

        login_user(user)
        services.propose(muni, process, user, title="Parque del barrio", description="Bancas y sombra",
                         cost="1000", idempotency_key="device-key-123456")
        g.pop("_login_user", None)
    new = [r for r in _records(muni) if r.seq > before]
    assert new and all(r.actor_role == "resident" for r in new)
    for record in new:
        content = chain.canonical(record.content())
        assert f"user:{user.id}" not in content and "device-key-123456" not in content
        assert "proposer_id" not in json.loads(record.changes)
        assert record.actor_ref == "resident"
    assert verify_chain(_db.session, str(muni.id)).ok


def test_no_audited_model_records_a_link_to_a_person_or_a_private_key(app):
    with app.app_context():
        for mapper in _db.Model.registry.mappers:
            if not issubclass(mapper.class_, Audited):
                continue
            for key in recorded_columns(mapper):
                column = mapper.columns[key]
                assert not any(fk.column.table.name == "users" for fk in column.foreign_keys), (mapper, key)
                assert key != "idempotency_key" and not key.endswith("_hash"), (mapper, key)


def test_deleting_an_account_leaves_nothing_that_identifies_it(client, make, muni):
    editor = make.user(role="editor", municipality=muni)
    client.post("/cuenta/entrar", data={"email": editor.email, "password": PASSWORD})
    _db.session.flush()
    from flask_login import login_user

    with client.application.test_request_context():
        login_user(editor)
        muni.population = (muni.population or 0) + 1
        _db.session.flush()
    mine = [r for r in _records(muni) if r.actor_id == editor.id]
    assert mine and mine[-1].actor_role == "editor" and mine[-1].actor_ref == "editor"
    assert client.post("/cuenta/eliminar", data={"password": PASSWORD, "sure": "y"}).status_code == 302
    assert editor.deleted_at is not None
    assert _db.session.scalar(select(ChangeRecord.id).where(ChangeRecord.actor_id == editor.id)) is None
    everything = " ".join(chain.canonical(r.content()) for r in _records(muni))
    assert f"user:{editor.id}" not in everything
    assert verify_chain(_db.session, str(muni.id)).ok


@pytest.mark.xdist_group("migrations")
def test_the_migration_removes_personal_references_and_keeps_chains_valid(fresh_database):
    import flask_migrate

    from portal import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": fresh_database("anon")})
    with app.app_context():
        flask_migrate.upgrade(revision="146bd67d5ded")
        good, bad = [], []
        for key, rows in (("platform", good), ("tampered", bad)):
            prev = chain.GENESIS
            for seq in (1, 2, 3):
                content = {"chain": key, "seq": seq, "municipality_id": None,
                           "created_at": datetime(2026, 1, seq).isoformat(timespec="microseconds"),
                           "actor_ref": f"user:{seq}", "actor_role": "editor", "action": "publish",
                           "section": "budgeting", "object_type": "BudgetProject", "object_id": str(seq),
                           "summary": "Parque", "note": "",
                           "changes": json.dumps({"proposer_id": [None, seq], "idempotency_key": [None, "k"],
                                                  "title": [None, "Parque"]}, sort_keys=True)}
                digest = chain.entry_hash(prev, content)
                rows.append({**content, "created_at": datetime(2026, 1, seq), "prev_hash": prev, "hash": digest})
                prev = digest
        bad[1]["summary"] = "edited after the fact"
        table = _db.Model.metadata.tables["change_records"]
        with _db.engine.begin() as connection:
            connection.execute(table.insert(), good + bad)
        flask_migrate.upgrade(revision="identity01")
        _db.session.remove()
        assert verify_chain(_db.session, "platform").ok
        for record in _db.session.execute(select(ChangeRecord).where(ChangeRecord.chain == "platform")).scalars():
            assert record.actor_ref == "editor"
            assert json.loads(record.changes) == {"title": [None, "Parque"]}
        tampered = verify_chain(_db.session, "tampered")
        assert not tampered.ok and tampered.bad_seq == 2  # not laundered by the re-hash
        _db.session.remove()
        flask_migrate.downgrade(revision="base")
        _db.engine.dispose()
