"""Database details: SQLite pragmas (WAL, foreign keys) and real transactions.

Python's sqlite3 module opens transactions on its own terms, which breaks
savepoints; as SQLAlchemy's documentation recommends, the driver's handling is
turned off and SQLAlchemy emits ``BEGIN`` itself.
"""
import sqlite3
from functools import partial

from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from portal.extensions import db

DATABASE_INT_MAX = 2**31 - 1


def _sqlite_connect(dbapi_connection, connection_record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _writing_request() -> bool:
    """Whether this transaction serves a request that changes data (not GET/HEAD)."""
    from flask import has_request_context, request

    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


def _sqlite_begin(connection):
    """A request that writes takes SQLite's write lock when its transaction starts. A
    read transaction that later writes fails at once with "database is locked" when
    another process wrote in between (the busy timeout does not apply to that upgrade);
    ``BEGIN IMMEDIATE`` instead waits its turn, up to the busy timeout. Reads stay
    deferred and never wait (WAL)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing_request() else "BEGIN")


def init_app(app):
    # ``<int:...>`` in URLs matches only numbers that fit the database's integer columns:
    # a larger one names nothing (404), where PostgreSQL would refuse the query.
    app.url_map.converters["int"] = partial(IntegerConverter, max=DATABASE_INT_MAX)
    if not event.contains(Engine, "connect", _sqlite_connect):
        event.listen(Engine, "connect", _sqlite_connect)
        event.listen(Engine, "begin", _sqlite_begin)


BATCH = 500  # rows read at a time by streamed exports (``yield_per``)


def stream(stmt, scalars: bool = False):
    """Rows of a ``yield_per`` statement (a dataset's export); the (server-side, on
    PostgreSQL) cursor is closed as soon as the reader stops, e.g. when a JSON page has
    its rows."""
    result = db.session.execute(stmt)
    try:
        yield from (result.scalars() if scalars else result)
    finally:
        result.close()
