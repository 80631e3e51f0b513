"""Pure hash-chain computations for the change record (no Flask, no database).

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own
canonical content (sorted-key JSON). Verification walks a chain in ``seq`` order and
names the first entry whose content, order or link does not hold.
"""
import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(prev_hash: str, content: dict) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(content)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    id: int
    seq: int
    prev_hash: str
    hash: str
    content: dict


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    bad_id: int | None = None
    bad_seq: int | None = None
    reason: str = ""
    head: str = GENESIS


def verify(entries: list[ChainEntry]) -> Verdict:
    """Check ordering (seq 1, 2, 3 ...), links and content hashes."""
    prev = GENESIS
    for index, entry in enumerate(entries, start=1):
        if entry.seq != index:
            return Verdict(False, index - 1, entry.id, entry.seq,
                           f"expected seq {index}, found {entry.seq} (a row was deleted or reordered)", prev)
        if entry.prev_hash != prev:
            return Verdict(False, index - 1, entry.id, entry.seq,
                           "link to the previous entry does not match (a row was deleted or reordered)", prev)
        if entry_hash(prev, entry.content) != entry.hash:
            return Verdict(False, index - 1, entry.id, entry.seq,
                           "content does not match its hash (the row was edited)", prev)
        prev = entry.hash
    return Verdict(True, len(entries), head=prev)


def rehash(contents: list[dict]) -> list[tuple[str, str]]:
    """``(prev_hash, hash)`` for each content of one chain, in order, from the genesis:
    what a migration that rewrites stored content (to remove personal data) writes back."""
    out, prev = [], GENESIS
    for content in contents:
        digest = entry_hash(prev, content)
        out.append((prev, digest))
        prev = digest
    return out
