"""Recording every change to published data, automatically.

Models that hold published data inherit :class:`Audited` and name their section.
A session hook turns every flushed create, update, delete and publication of such
an object into a :class:`ChangeRecord` appended to its municipality's hash chain, with
who (a role, publicly; never anything that leads to the person), when, which fields, before and after, and an optional note
(:func:`set_note`). Drafts are not public, so their edits are not recorded until they
are published; publishing records the whole object.
"""
import json
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.audit import chain as hashchain
from portal.audit.mixin import Audited  # noqa: F401 - the public surface: models import it from here too
from portal.audit.models import ChangeRecord
from portal.core import caching
from portal.core.publication import PUBLISHED
from portal.extensions import db
from portal.municipalities.models import Municipality

_actor: ContextVar[tuple | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(role: str, user=None):
    """Attribute changes made inside the block to ``role`` (CLI, imports, demo)."""
    token = _actor.set((user.id if user is not None else None, role))
    try:
        yield
    finally:
        _actor.reset(token)


def set_note(session, note: str) -> None:
    """Attach a note (the why) to the changes of the next flush."""
    session.info["audit_note"] = note


def number_text(value: Decimal) -> str:
    """A number as the change record writes it: the same text whatever scale the database
    keeps (``930000`` whether the value was just computed or read back as
    ``930000.0000``), so a record never depends on where a value came from."""
    return format(Decimal(value).normalize(), "f")


def _plain(value):
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _current_actor(municipality_id):
    forced = _actor.get()
    if forced is not None:
        return forced
    from flask import has_request_context

    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            roles = current_user.roles_in(municipality_id) if municipality_id else set()
            for role in ("admin", "publisher", "editor", "moderator", "verifier"):
                if role in roles:
                    return current_user.id, role
            if current_user.is_platform_admin:
                return current_user.id, "platform_admin"
            return current_user.id, "resident"
        return None, "anonymous"
    return None, "system"


# Never public, whatever a model declares: what leads to a person or lets a form be replayed.
PRIVATE_COLUMNS = frozenset({"idempotency_key", "password_hash", "token"})


def _leads_to_a_person(column) -> bool:
    return any(fk.column.table.name == "users" for fk in getattr(column, "foreign_keys", ()))


def recorded_columns(mapper) -> list[str]:
    """The columns of an audited model that go into the public record: not the model's
    ``__audit_exclude__``, no column pointing at a user account, nothing in
    :data:`PRIVATE_COLUMNS` and no keyed hash (``*_hash``)."""
    exclude = set(getattr(mapper.class_, "__audit_exclude__", ()))
    return [a.key for a in mapper.column_attrs
            if a.key not in exclude and a.key not in PRIVATE_COLUMNS and not a.key.endswith("_hash")
            and not any(_leads_to_a_person(c) for c in a.columns)]


def _columns(obj):
    return recorded_columns(inspect(obj).mapper)


def _snapshot(obj):
    return {key: [None, _plain(getattr(obj, key))] for key in _columns(obj)}


def _collect(session, flush_context):
    pending = session.info.setdefault("audit_pending", [])
    for obj in list(session.new):
        if isinstance(obj, Audited) and obj.audit_is_public():
            pending.append((obj, "create", _snapshot(obj)))
    for obj in list(session.dirty):
        if not isinstance(obj, Audited) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        changes = {}
        for key in _columns(obj):
            hist = state.attrs[key].history
            if hist.has_changes():
                before = hist.deleted[0] if hist.deleted else None
                after = hist.added[0] if hist.added else None
                if _plain(before) != _plain(after):
                    changes[key] = [_plain(before), _plain(after)]
        if not changes:
            continue
        status_change = changes.get("status")
        if status_change and status_change[1] == PUBLISHED:
            full = _snapshot(obj)
            full.update(changes)
            pending.append((obj, "publish", full))
        elif status_change and status_change[0] == PUBLISHED:
            pending.append((obj, "unpublish", changes))
        elif obj.audit_is_public():
            pending.append((obj, "update", changes))
    for obj in list(session.deleted):
        if isinstance(obj, Audited) and obj.audit_is_public():
            before = {key: [_plain(getattr(obj, key)), None] for key in _columns(obj)}
            pending.append((obj, "delete", before))


def _chain_head(session, chain_key, municipality_id):
    heads = session.info.setdefault("audit_heads", {})
    if chain_key not in heads:
        if municipality_id is not None:
            # Serialize appends to one municipality's chain (a no-op on SQLite,
            # which serializes writers anyway). FOR NO KEY UPDATE, not FOR UPDATE: rows
            # inserted earlier in the transaction hold a key-share lock on the
            # municipality (their foreign key), and FOR UPDATE would deadlock two such
            # transactions against each other.
            session.execute(select(Municipality.id).where(Municipality.id == municipality_id)
                            .with_for_update(key_share=True))
        last = session.execute(
            select(ChangeRecord.seq, ChangeRecord.hash).where(ChangeRecord.chain == chain_key)
            .order_by(ChangeRecord.seq.desc()).limit(1)).first()
        heads[chain_key] = (last.seq, last.hash) if last else (0, hashchain.GENESIS)
    return heads[chain_key]


def append(session, *, municipality_id, action, section, object_type, object_id, summary="",
           changes=None, note=None):
    """Append one entry to the municipality's chain (or the platform's)."""
    chain_key = str(municipality_id) if municipality_id is not None else "platform"
    seq, prev = _chain_head(session, chain_key, municipality_id)
    actor_id, role = _current_actor(municipality_id)
    record = ChangeRecord(
        chain=chain_key, seq=seq + 1, municipality_id=municipality_id, created_at=utcnow(),
        # The public record names the role only: ``actor_id`` (outside the hash, never
        # published, cleared when the account is deleted) is the one link to the person.
        actor_id=actor_id, actor_ref=role, actor_role=role,
        action=action, section=section, object_type=object_type, object_id=str(object_id),
        summary=summary[:300], changes=json.dumps(changes or {}, sort_keys=True, ensure_ascii=False),
        note=note if note is not None else session.info.get("audit_note", ""), prev_hash=prev)
    record.hash = hashchain.entry_hash(prev, record.content())
    session.info["audit_heads"][chain_key] = (record.seq, record.hash)
    session.add(record)
    caching.note_change(session)
    return record


def heads(*chains):
    """A statement selecting the last position (``seq``) of each of ``chains`` (chain keys,
    or SQL expressions giving one), one column each, in one query of index lookups.
    Positions are never reused once committed: the record is append-only."""
    return select(*(select(func.max(ChangeRecord.seq)).where(ChangeRecord.chain == chain).scalar_subquery()
                    for chain in chains))


def last_record_id():
    """A scalar subquery: the id of the last change recorded anywhere on the platform."""
    return select(func.max(ChangeRecord.id)).scalar_subquery()


def new_records(session) -> list:
    """The change records a flush is writing (for listeners that react to publications)."""
    return [obj for obj in session.new if isinstance(obj, ChangeRecord)]


def changes_since(moment, sections) -> int:
    """How many changes in ``sections`` were recorded after ``moment``: one query."""
    return db.session.execute(select(func.count(ChangeRecord.id)).where(
        ChangeRecord.created_at > moment, ChangeRecord.section.in_(sections))).scalar_one()


def changed_municipalities(moment, sections) -> set[int]:
    """Municipalities with a change in ``sections`` recorded after ``moment``."""
    return set(db.session.execute(select(ChangeRecord.municipality_id).distinct().where(
        ChangeRecord.created_at > moment, ChangeRecord.section.in_(sections),
        ChangeRecord.municipality_id.is_not(None))).scalars())


def changed_field(moment, object_type: str, field: str) -> set[int]:
    """Municipalities with a recorded change to ``field`` of an ``object_type`` after ``moment``."""
    return {municipality_id for municipality_id, changes in db.session.execute(
        select(ChangeRecord.municipality_id, ChangeRecord.changes).where(
            ChangeRecord.created_at > moment, ChangeRecord.object_type == object_type,
            ChangeRecord.municipality_id.is_not(None)))
            if field in json.loads(changes or "{}")}


def records_of(municipality, section: str | None = None, object_type: str | None = None,
               object_id=None, limit: int = 100) -> list[ChangeRecord]:
    """The municipality's latest records, newest first, of one section and/or one object."""
    stmt = select(ChangeRecord).where(ChangeRecord.municipality_id == municipality.id)
    if section is not None:
        stmt = stmt.where(ChangeRecord.section == section)
    if object_type is not None:
        stmt = stmt.where(ChangeRecord.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(ChangeRecord.object_id == str(object_id))
    return list(db.session.execute(stmt.order_by(ChangeRecord.seq.desc()).limit(limit)).scalars())


def latest_records(municipality=None, sections=None, limit: int = 1000):
    """The newest records first (an iterator): of ``municipality``, or of every
    municipality (the platform's own settings left out), in ``sections`` when given."""
    stmt = select(ChangeRecord).order_by(ChangeRecord.id.desc()).limit(limit)
    if municipality is not None:
        stmt = stmt.where(ChangeRecord.municipality_id == municipality.id)
    else:
        stmt = stmt.where(ChangeRecord.municipality_id.is_not(None))
    if sections is not None:
        stmt = stmt.where(ChangeRecord.section.in_(sections))
    return db.session.execute(stmt).scalars()


def record_of(municipality, record_id: int) -> ChangeRecord | None:
    """One of the municipality's records by its id (None for another municipality's)."""
    return db.session.execute(select(ChangeRecord).filter_by(
        id=record_id, municipality_id=municipality.id)).scalar_one_or_none()


def section_dates(municipality_ids) -> dict:
    """(municipality id, section) -> (first, last) time of its records, one grouped query
    through the index on (municipality, section, time)."""
    rows = db.session.execute(
        select(ChangeRecord.municipality_id, ChangeRecord.section, func.min(ChangeRecord.created_at),
               func.max(ChangeRecord.created_at))
        .where(ChangeRecord.municipality_id.in_(sorted(municipality_ids)))
        .group_by(ChangeRecord.municipality_id, ChangeRecord.section)).all()
    return {(m, section): (first, last) for m, section, first, last in rows}


def size():
    """The record's size and its last id, as scalar subqueries to select with others (an
    ETag that moves with every commit, even when ids commit out of order)."""
    return (select(func.count(ChangeRecord.id)).scalar_subquery(),
            select(func.max(ChangeRecord.id)).scalar_subquery())


def chain_heads() -> dict[str, str]:
    """Every chain's key -> the hash of its last entry."""
    heads_ = {}
    for chain, seq in db.session.execute(select(ChangeRecord.chain, func.max(ChangeRecord.seq))
                                         .group_by(ChangeRecord.chain)):
        heads_[chain] = db.session.execute(select(ChangeRecord.hash).filter_by(chain=chain, seq=seq)).scalar()
    return heads_


def forget_actor(user_id: int) -> None:
    """Clear the link from the record to a person whose account is deleted (``actor_id``
    is outside the hashed content: the entries and the chain stay as they were)."""
    db.session.execute(update(ChangeRecord).where(ChangeRecord.actor_id == user_id).values(actor_id=None))


def _write(session, flush_context):
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    for obj, action, changes in pending:
        identity = inspect(obj).identity
        append(session, municipality_id=obj.audit_municipality_id(), action=action,
               section=obj.__audit_section__, object_type=type(obj).__name__,
               object_id=identity[0] if identity else "", summary=obj.audit_label(),
               changes=changes)
    session.info.pop("audit_note", None)


def _forget(session, *args):
    session.info.pop("audit_heads", None)
    session.info.pop("audit_pending", None)
    session.info.pop("audit_note", None)


def install():
    """Hook the recorder into every SQLAlchemy session (idempotent)."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_flush_postexec", _write)
        event.listen(Session, "after_commit", _forget)
        event.listen(Session, "after_rollback", _forget)


def chain_key(municipality) -> str:
    return str(municipality.id) if municipality is not None else "platform"


def verify_chain(session, key: str) -> hashchain.Verdict:
    rows = session.execute(select(ChangeRecord).where(ChangeRecord.chain == key)
                           .order_by(ChangeRecord.seq, ChangeRecord.id)).scalars()
    entries = [hashchain.ChainEntry(r.id, r.seq, r.prev_hash, r.hash, r.content()) for r in rows]
    return hashchain.verify(entries)


def head(session, municipality) -> tuple[int, str]:
    last = session.execute(
        select(ChangeRecord.seq, ChangeRecord.hash).where(ChangeRecord.chain == chain_key(municipality))
        .order_by(ChangeRecord.seq.desc()).limit(1)).first()
    return (last.seq, last.hash) if last else (0, hashchain.GENESIS)
