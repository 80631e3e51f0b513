"""When each dataset was first issued and last modified, from the published-change
record (the section of each dataset's topic). One grouped query per request for the
municipalities a page or catalog lists (:func:`prime` them together), cached on ``g``;
the query reads only those municipalities' records, through the index on
(municipality, section, time), so it costs the same with 20 municipalities or 2,000."""
from datetime import datetime

from flask import g

from portal.audit import services as audit
from portal.opendata import services


def _table() -> dict:
    if not hasattr(g, "_opendata_dates"):
        g._opendata_dates, g._opendata_dated = {}, set()
    return g._opendata_dates


def prime(municipalities) -> None:
    """Read the dates of every municipality in ``municipalities`` not read yet: one query."""
    table = _table()
    wanted = {m.id for m in municipalities} - g._opendata_dated
    if not wanted:
        return
    table.update(audit.section_dates(wanted))
    g._opendata_dated |= wanted


def dataset_dates(municipality, dataset) -> tuple[datetime, datetime]:
    """(issued, modified): the first and last recorded change of the dataset's sections;
    the municipality's creation when nothing was recorded yet."""
    prime([municipality])
    table = _table()
    found = [table[(municipality.id, s)] for s in services.topics()[dataset.topic] if (municipality.id, s) in table]
    if not found:
        return municipality.created_at, municipality.created_at
    return min(f for f, _ in found), max(last for _, last in found)


def forget() -> None:
    """Drop what was read (a long catalog streams batch after batch)."""
    g._opendata_dates, g._opendata_dated = {}, set()
