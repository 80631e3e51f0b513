"""Keyed hashes of the census, the codes and the receipts, and the codes themselves.

A municipality's secret (made on first use, kept in ``CensusSecret``) keys every hash, so a
document number, a voting code or a receipt is never stored in clear and cannot be found by
hashing guesses without the secret."""
import hashlib
import hmac
import re
import secrets
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.participation.budgeting.models import CensusSecret


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _secret(municipality) -> bytes:
    row = db.session.execute(select(CensusSecret).where(
        CensusSecret.municipality_id == municipality.id)).scalar_one_or_none()
    if row is None:
        row = CensusSecret(municipality_id=municipality.id, secret=secrets.token_hex(32))
        db.session.add(row)
        db.session.flush()
    return bytes.fromhex(row.secret)


def normalize_document(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text or "").upper()


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def person_hash(municipality, document: str) -> str:
    return _mac(_secret(municipality), "person:" + normalize_document(document))


def entry_hash(municipality, document: str, birth: date) -> str:
    return _mac(_secret(municipality), f"entry:{normalize_document(document)}|{birth.isoformat()}")


def code_hash(municipality, code: str) -> str:
    return _mac(_secret(municipality), "code:" + normalize_document(code))


def owner_hash(municipality, voter_key: str, receipt: str) -> str:
    """Binds a ballot to the person who cast it without saying who: it needs both the
    voter's key and the receipt, which only the voter holds (the database keeps its hash)."""
    return _mac(_secret(municipality), f"owner:{voter_key}|{normalize_document(receipt)}")


def new_code(length: int = 10) -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(length))
    return "-".join(raw[i:i + 5] for i in range(0, length, 5))
