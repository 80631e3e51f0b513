"""Reading the change record: the public history of one municipality.

Only what the public page and its CSV need: entries filtered by section and date
range (newest first), the sections present, one entry by its position in the chain.
Personal data never leaves here: entries carry the actor's role, not the person.
"""
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.audit import labels
from portal.audit.models import ChangeRecord
from portal.audit.services import chain_key
from portal.core import bounds
from portal.extensions import db

CSV_COLUMNS = ["seq", "created_at_utc", "role", "action", "section", "object_type", "object_id",
               "object", "changes", "note", "prev_hash", "hash"]


@dataclass(frozen=True)
class HistoryFilter:
    section: str = ""
    start: date | None = None
    end: date | None = None  # inclusive

    @classmethod
    def parse(cls, section: str | None, start: str | None, end: str | None) -> "HistoryFilter":
        """From query-string values; malformed dates are ignored (an empty filter)."""
        return cls((section or "").strip()[:40], _parse_date(start), _parse_date(end))


def _parse_date(text: str | None) -> date | None:
    """A filter date within the portal's bounds; a malformed or far-off one is ignored."""
    try:
        return bounds.date_value(text)
    except bounds.OutOfBounds:
        return None


# The history is paged newest first by chain position: keyset paging, see portal.core.pagination.
KEY = (ChangeRecord.seq,)


def statement(municipality, filters: HistoryFilter = HistoryFilter()):
    """The municipality's entries matching the filter, newest first."""
    stmt = select(ChangeRecord).where(ChangeRecord.chain == chain_key(municipality))
    if filters.section:
        stmt = stmt.where(ChangeRecord.section == filters.section)
    if filters.start:
        stmt = stmt.where(ChangeRecord.created_at >= datetime.combine(filters.start, time.min))
    if filters.end:
        stmt = stmt.where(ChangeRecord.created_at < datetime.combine(filters.end + timedelta(days=1), time.min))
    return stmt.order_by(ChangeRecord.seq.desc())


def sections(municipality) -> list[str]:
    return list(db.session.execute(
        select(ChangeRecord.section).where(ChangeRecord.chain == chain_key(municipality))
        .distinct().order_by(ChangeRecord.section)).scalars())


def entry(municipality, seq: int | None = None, entry_id: int | None = None) -> ChangeRecord | None:
    """One of the municipality's entries by chain position or row id; None if not its own."""
    stmt = select(ChangeRecord).where(ChangeRecord.chain == chain_key(municipality))
    stmt = stmt.where(ChangeRecord.seq == seq) if seq is not None else stmt.where(ChangeRecord.id == entry_id)
    return db.session.execute(stmt).scalar_one_or_none()


def changed_fields(record: ChangeRecord) -> list[tuple[str, object, object]]:
    """``[(field, before, after), ...]`` from the entry's JSON, sorted by field."""
    try:
        changes = json.loads(record.changes or "{}")
    except ValueError:
        return []
    out = []
    for field, pair in sorted(changes.items()):
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        out.append((field, before, after))
    return out


def csv_rows(municipality, filters: HistoryFilter):
    for record in db.session.execute(statement(municipality, filters)).scalars():
        yield {
            "seq": record.seq, "created_at_utc": record.created_at.isoformat(timespec="seconds"),
            "role": record.actor_role, "action": record.action, "section": record.section,
            "object_type": record.object_type, "object_id": record.object_id, "object": record.summary,
            "changes": record.changes, "note": record.note, "prev_hash": record.prev_hash,
            "hash": record.hash,
        }


@dataclass(frozen=True)
class Described:
    """An entry as people read it: the kind of object, its name and the changes in words."""
    kind: str
    name: str
    changes: list


def describe(record: ChangeRecord, municipality) -> Described:
    return Described(labels.kind_label(record.object_type), labels.summary_text(record.object_type, record.summary),
                     labels.changes(record.object_type, changed_fields(record), municipality))
