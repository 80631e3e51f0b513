"""The portal's clock: one place that says what time it is.

Every stored timestamp is naive UTC (``DateTime`` columns without a zone, the same on
SQLite and PostgreSQL), so the clock answers naive UTC too. Tests that need another
moment patch the name where it is used (``monkeypatch.setattr("portal.x.utcnow", ...)``).
This module is pure: it imports nothing from Flask, SQLAlchemy or the database.
"""
from datetime import datetime, timezone


def utcnow():
    """The current moment in UTC, without a zone (microsecond resolution)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
