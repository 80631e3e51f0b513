"""Database details: SQLite pragmas (WAL, foreign keys) and real transactions.

Python's sqlite3 module opens transactions on its own terms, which breaks
savepoints; as SQLAlchemy's documentation recommends, the driver's handling is
turned off and SQLAlchemy emits ``BEGIN`` itself.
"""
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _sqlite_connect(dbapi_connection, connection_record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _sqlite_begin(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


def init_app(app):
    if not event.contains(Engine, "connect", _sqlite_connect):
        event.listen(Engine, "connect", _sqlite_connect)
        event.listen(Engine, "begin", _sqlite_begin)
