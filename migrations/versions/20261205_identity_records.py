"""Ballots bound to their voter; the change record without personal references; checkpoints

- ``change_checkpoints``: signed heads of the change record's chains (Ed25519; the key
  is kept outside the database).

- ``budget_ballots.owner_hash``: a keyed hash of the voter's key and the receipt, so only
  the person who cast a ballot can change it. Ballots cast before this revision have
  none and can no longer be changed (their receipts still check).
- ``change_records``: ``actor_ref`` was ``user:<id>`` inside the hashed content (public,
  and guessable); it becomes the role. Proposal entries lose ``proposer_id`` and
  ``idempotency_key`` from their changes. Every chain is then hashed again from the
  genesis, so ``audit verify`` holds; heads noted before this upgrade change once. A
  chain that did not verify before is left untouched (re-hashing would hide tampering).

Revision ID: identity01
Revises: 146bd67d5ded
Create Date: 2026-12-05
"""
import json

import sqlalchemy as sa
from alembic import op

from portal.audit.chain import rehash

revision = "identity01"
down_revision = "146bd67d5ded"
branch_labels = None
depends_on = None

PRIVATE_KEYS = ("proposer_id", "idempotency_key")

records = sa.table(
    "change_records",
    sa.column("id", sa.Integer), sa.column("chain", sa.String), sa.column("seq", sa.Integer),
    sa.column("municipality_id", sa.Integer), sa.column("created_at", sa.DateTime),
    sa.column("actor_ref", sa.String), sa.column("actor_role", sa.String), sa.column("action", sa.String),
    sa.column("section", sa.String), sa.column("object_type", sa.String), sa.column("object_id", sa.String),
    sa.column("summary", sa.String), sa.column("changes", sa.Text), sa.column("note", sa.Text),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String))


def _content(row, actor_ref, changes):
    """The hashed content, as ``ChangeRecord.content`` builds it."""
    return {"chain": row.chain, "seq": row.seq, "municipality_id": row.municipality_id,
            "created_at": row.created_at.isoformat(timespec="microseconds"),
            "actor_ref": actor_ref, "actor_role": row.actor_role, "action": row.action,
            "section": row.section, "object_type": row.object_type, "object_id": row.object_id,
            "summary": row.summary, "changes": changes, "note": row.note}


def _scrub_and_rehash(bind):
    chains = bind.execute(sa.select(records.c.chain).distinct()).scalars().all()
    for chain in chains:
        rows = bind.execute(sa.select(records).where(records.c.chain == chain)
                            .order_by(records.c.seq, records.c.id)).all()
        stored = [_content(row, row.actor_ref, row.changes) for row in rows]
        if [(r.prev_hash, r.hash) for r in rows] != rehash(stored) or \
                [r.seq for r in rows] != list(range(1, len(rows) + 1)):
            # A chain that does not verify as stored is left as it is: hashing it again
            # would hide the tampering. `audit verify` names its first bad entry.
            print(f"change record chain {chain} does not verify; left unchanged")
            continue
        contents, updates = [], []
        for row in rows:
            actor_ref = row.actor_role if (row.actor_ref or "").startswith("user:") else row.actor_ref
            changes = row.changes
            try:
                parsed = json.loads(changes or "{}")
            except ValueError:
                parsed = None
            if isinstance(parsed, dict) and any(key in parsed for key in PRIVATE_KEYS):
                for key in PRIVATE_KEYS:
                    parsed.pop(key, None)
                changes = json.dumps(parsed, sort_keys=True, ensure_ascii=False)
            contents.append(_content(row, actor_ref, changes))
            updates.append((row, actor_ref, changes))
        for (row, actor_ref, changes), (prev, digest) in zip(updates, rehash(contents)):
            if (actor_ref, changes, prev, digest) != (row.actor_ref, row.changes, row.prev_hash, row.hash):
                bind.execute(records.update().where(records.c.id == row.id).values(
                    actor_ref=actor_ref, changes=changes, prev_hash=prev, hash=digest))


def upgrade():
    op.create_table(
        "change_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_checkpoints")))
    op.create_index("ix_change_checkpoints_chain_seq", "change_checkpoints", ["chain", "seq"], unique=False)
    with op.batch_alter_table("budget_ballots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_hash", sa.String(length=64), nullable=True))
    _scrub_and_rehash(op.get_bind())


def downgrade():
    # The removed personal references are not restored: the record stays anonymous, and
    # its chain stays valid.
    with op.batch_alter_table("budget_ballots", schema=None) as batch_op:
        batch_op.drop_column("owner_hash")
    op.drop_index("ix_change_checkpoints_chain_seq", table_name="change_checkpoints")
    op.drop_table("change_checkpoints")
