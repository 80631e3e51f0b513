"""Signing, listing and checking checkpoints of the change record's chains.

The key is an Ed25519 private key in the file named by ``AUDIT_CHECKPOINT_KEY`` (default
``instance/checkpoint_ed25519.pem``), created on first signing; keep it off the database
server and out of backups of the database. Pages only read the public half.
"""
import json
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from portal.audit import signing
from portal.audit.models import ChangeRecord, Checkpoint
from portal.extensions import db


def key_path() -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINT_KEY"])


def public_key() -> str | None:
    """The public key (base64), or None while no key was made."""
    path = key_path()
    return signing.public_key_text(signing.load_or_create_key(path)) if path.exists() else None


def chain_keys() -> list[str]:
    return sorted(db.session.execute(select(ChangeRecord.chain).distinct()).scalars())


def sign_heads(keys: list[str] | None = None, now: datetime | None = None) -> list[Checkpoint]:
    """Sign the head of each chain in ``keys`` (every chain by default) unless the latest
    checkpoint already names that head; flushes and returns the new checkpoints."""
    key = signing.load_or_create_key(key_path())
    public = signing.public_key_text(key)
    signed_at = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = []
    for chain in (chain_keys() if keys is None else keys):
        last = db.session.execute(select(ChangeRecord.seq, ChangeRecord.hash).where(ChangeRecord.chain == chain)
                                  .order_by(ChangeRecord.seq.desc()).limit(1)).first()
        if last is None:
            continue
        previous = latest(chain)
        if previous is not None and (previous.seq, previous.head, previous.key_id) == (
                last.seq, last.hash, signing.key_id(public)):
            continue
        statement = signing.Statement(chain, last.seq, last.hash, signed_at)
        checkpoint = Checkpoint(chain=chain, seq=last.seq, head=last.hash, signed_at=signed_at,
                                key_id=signing.key_id(public), signature=signing.sign(key, statement))
        db.session.add(checkpoint)
        made.append(checkpoint)
    db.session.flush()
    return made


def latest(chain: str) -> Checkpoint | None:
    return db.session.execute(select(Checkpoint).where(Checkpoint.chain == chain)
                              .order_by(Checkpoint.id.desc()).limit(1)).scalar_one_or_none()


def listing(chain: str | None = None, limit: int = 500) -> list[Checkpoint]:
    """Newest first; one chain, or every chain."""
    stmt = select(Checkpoint).order_by(Checkpoint.id.desc()).limit(limit)
    if chain is not None:
        stmt = stmt.where(Checkpoint.chain == chain)
    return list(db.session.execute(stmt).scalars())


def document(chain: str | None = None, slugs: dict[str, str] | None = None) -> dict:
    """The public JSON: what a monitor saves and later gives to ``audit verify --checkpoints``."""
    public = public_key()
    return {"algorithm": signing.ALGORITHM, "public_key": public,
            "key_id": signing.key_id(public) if public else None,
            "signed_message": 'canonical JSON {"chain","head","seq","signed_at"}: sorted keys, no spaces, UTF-8',
            "checkpoints": [{"chain": c.chain, "municipality": (slugs or {}).get(c.chain), "seq": c.seq,
                             "head": c.head, "signed_at": c.signed_at, "key_id": c.key_id,
                             "signature": c.signature} for c in listing(chain)]}


class CheckpointFileError(ValueError):
    """A saved checkpoint file that cannot be read."""


def parse_document(text: str) -> tuple[str, list[tuple[signing.Statement, str]]]:
    try:
        data = json.loads(text)
        public = data["public_key"]
        rows = [(signing.Statement(str(c["chain"]), int(c["seq"]), str(c["head"]), str(c["signed_at"])),
                 str(c["signature"])) for c in data["checkpoints"]]
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointFileError(f"not a checkpoint file: {error}") from None
    if not public:
        raise CheckpointFileError("the checkpoint file has no public key")
    return public, rows


def check(public: str, rows: list[tuple[signing.Statement, str]], chains: list[str] | None = None
          ) -> list[signing.Finding]:
    """Findings of saved checkpoints against the chains stored now (only ``chains`` if given)."""
    if chains is not None:
        rows = [(s, sig) for s, sig in rows if s.chain in chains]
    wanted = sorted({s.chain for s, _ in rows})
    hashes: dict[str, dict[int, str]] = {key: {} for key in wanted}
    if wanted:
        for chain, seq, digest in db.session.execute(select(ChangeRecord.chain, ChangeRecord.seq, ChangeRecord.hash)
                                                     .where(ChangeRecord.chain.in_(wanted))):
            hashes[chain][seq] = digest
    return signing.compare(rows, public, hashes)


def count() -> int:
    return db.session.scalar(select(func.count(Checkpoint.id))) or 0
