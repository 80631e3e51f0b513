"""Paging lists: ``paginate(select, per_page)`` reads ``?page=`` (offset paging, for short
lists), ``keyset(select, key, per_page)`` reads ``?after=`` (keyset paging: each page
starts after the last row of the previous one, as fast on page 5,000 as on page 1)."""
import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, request
from sqlalchemy import func, select, tuple_

from portal.extensions import db
from portal.core import bounds


def paginate(statement, per_page: int | None = None):
    """Run a ``select()`` one page at a time; returns Flask-SQLAlchemy's Pagination."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    return db.paginate(statement, page=bounds.query_int("page", 1, minimum=1),
                       per_page=per_page, max_per_page=200, error_out=False)


@dataclass
class KeysetPage:
    """One page of a keyset-paged list. ``pages`` and ``total`` are known only when the
    list was counted; ``next_cursor`` goes in ``?after=`` for the next page."""

    items: list
    page: int = 1
    per_page: int = 20
    total: int | None = None
    next_cursor: str | None = None
    keyset: bool = field(default=True, repr=False)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def is_first(self) -> bool:
        return self.page == 1

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.per_page))


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _restore(value, column):
    if value is None:
        return None
    kind = column.type.python_type
    if kind is datetime:
        return bounds.datetime_value(value)
    if kind is date:
        return bounds.date_value(value)
    if kind is int:
        return bounds.integer_value(value, minimum=bounds.BIGINT_MIN, maximum=bounds.BIGINT_MAX)
    if kind is str:
        if not isinstance(value, str) or len(value) > MAX_CURSOR:
            raise TypeError("not a text key")
        value.encode("utf-8")  # a lone surrogate cannot reach the database (UnicodeEncodeError)
        return value
    return kind(value)


MAX_CURSOR = 2000  # characters: a cursor of ours holds a page number and a few key values


def encode_cursor(page: int, values) -> str:
    raw = json.dumps([page, *[_plain(v) for v in values]], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str, columns) -> tuple[int, list] | None:
    """The page number and key values in a cursor; None when it is not one of ours
    (whatever the text: too long, nested without end, values of the wrong kind)."""
    if len(text) > MAX_CURSOR:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        page, values = bounds.integer_value(raw[0], minimum=2), raw[1:]
        if len(values) != len(columns) or page < 2:
            return None
        return page, [_restore(v, c) for v, c in zip(values, columns)]
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError, ArithmeticError):
        return None


def keyset(statement, key, *, descending: bool = False, per_page: int | None = None,
           count: bool = True, cursor: str | None = None) -> KeysetPage:
    """Page ``statement`` by ``key`` (columns that together are unique, e.g. name and id),
    ascending or descending; any ordering on ``statement`` is replaced. The cursor comes
    from ``?after=`` unless given. With ``count`` the total is counted too (one query)."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    key = list(key)
    if cursor is None:
        cursor = request.args.get("after", "")
    decoded = decode_cursor(cursor, key) if cursor else None
    page = 1
    total = None
    if count:
        total = db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar()
    paged = statement.order_by(None)
    if decoded:
        page, values = decoded
        paged = paged.where(tuple_(*key) < tuple_(*values) if descending else tuple_(*key) > tuple_(*values))
    paged = paged.order_by(*[c.desc() for c in key] if descending else key).limit(per_page + 1)
    rows = list(db.session.execute(paged).scalars())
    items = rows[:per_page]
    next_cursor = None
    if len(rows) > per_page:
        last = items[-1]
        next_cursor = encode_cursor(page + 1, [getattr(last, c.key) for c in key])
    return KeysetPage(items=items, page=page, per_page=per_page, total=total, next_cursor=next_cursor)
