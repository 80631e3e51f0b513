"""Signed checkpoints of the change record's chains (Ed25519; no Flask, no database).

A checkpoint says "chain C had N entries and its head hash was H at time T", signed with
a key kept outside the database. Someone who can rewrite the database (and so re-hash a
whole chain, or cut its newest entries) cannot sign a new checkpoint; a monitor who kept
an earlier checkpoint sees that the entry N no longer has the hash H, or is missing.

The signed message is the canonical JSON (sorted keys, no spaces) of
``{"chain", "seq", "head", "signed_at"}``; signatures and public keys are base64 of
their raw bytes (RFC 8032).
"""
import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "Ed25519"


@dataclass(frozen=True)
class Statement:
    chain: str
    seq: int
    head: str
    signed_at: str  # ISO 8601, UTC

    def message(self) -> bytes:
        return json.dumps({"chain": self.chain, "seq": self.seq, "head": self.head, "signed_at": self.signed_at},
                          sort_keys=True, separators=(",", ":")).encode("utf-8")


def load_or_create_key(path: str | Path) -> Ed25519PrivateKey:
    """The private key in ``path`` (PEM, PKCS#8), created with mode 0600 if it is missing."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return key
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def key_id(public_text: str) -> str:
    """A short fingerprint of a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(base64.b64decode(public_text)).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, statement: Statement) -> str:
    return base64.b64encode(key.sign(statement.message())).decode("ascii")


def is_valid(public_text: str, statement: Statement, signature: str) -> bool:
    """Whether ``signature`` is the key's signature of ``statement``; never raises on bad input."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_text, validate=True))
        public.verify(base64.b64decode(signature, validate=True), statement.message())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class Finding:
    chain: str
    seq: int
    problem: str  # "missing", "rewritten" or "bad-signature"
    detail: str


def compare(checkpoints: list[tuple[Statement, str]], public_text: str,
            hashes: dict[str, dict[int, str]]) -> list[Finding]:
    """Check saved checkpoints against the chains as they are now.

    ``hashes`` maps chain -> {seq: hash} of the stored entries. Each checkpoint must carry
    a valid signature, and the entry it names must still exist with the signed hash:
    a missing entry means the chain was cut (or deleted), another hash means it was
    rewritten (even if re-hashed consistently)."""
    findings = []
    for statement, signature in checkpoints:
        if not is_valid(public_text, statement, signature):
            findings.append(Finding(statement.chain, statement.seq, "bad-signature",
                                    "the signature does not match the checkpoint"))
            continue
        chain = hashes.get(statement.chain, {})
        if statement.seq == 0:
            continue
        found = chain.get(statement.seq)
        if found is None:
            last = max(chain) if chain else 0
            findings.append(Finding(statement.chain, statement.seq, "missing",
                                    f"entry {statement.seq} (signed {statement.signed_at}) is missing; "
                                    f"the chain now ends at entry {last}"))
        elif found != statement.head:
            findings.append(Finding(statement.chain, statement.seq, "rewritten",
                                    f"entry {statement.seq} now has hash {found}; the checkpoint signed "
                                    f"{statement.signed_at} says {statement.head}"))
    return findings
