"""When each dataset was first issued and last modified, from the published-change
record (the section of each dataset's topic). One grouped query per request, cached on
``g``, however many municipalities and datasets a page or catalog lists."""
from datetime import datetime

from flask import g
from sqlalchemy import func, select

from portal.audit.models import ChangeRecord
from portal.extensions import db
from portal.opendata import services


def _table() -> dict:
    table = getattr(g, "_opendata_dates", None)
    if table is None:
        rows = db.session.execute(
            select(ChangeRecord.municipality_id, ChangeRecord.section, func.min(ChangeRecord.created_at),
                   func.max(ChangeRecord.created_at))
            .where(ChangeRecord.municipality_id.is_not(None))
            .group_by(ChangeRecord.municipality_id, ChangeRecord.section)).all()
        table = {(m, section): (first, last) for m, section, first, last in rows}
        g._opendata_dates = table
    return table


def dataset_dates(municipality, dataset) -> tuple[datetime, datetime]:
    """(issued, modified): the first and last recorded change of the dataset's sections;
    the municipality's creation when nothing was recorded yet."""
    table = _table()
    found = [table[(municipality.id, s)] for s in services.TOPICS[dataset.topic] if (municipality.id, s) in table]
    if not found:
        return municipality.created_at, municipality.created_at
    return min(f for f, _ in found), max(last for _, last in found)
