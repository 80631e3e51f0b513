"""Bulk writing for large synthetic data sets: rows are buffered per table and written
with SQLAlchemy Core (one ``INSERT`` statement executed for many rows at a time), in
the order the foreign keys need, a chunk at a time, so memory stays bounded whatever
the number of rows.

Primary keys are given here (from the table's current maximum) so children can point
at parents without reading ids back; on PostgreSQL the id sequences are moved past
them at the end (:meth:`BulkWriter.finish`).
"""
import time

from sqlalchemy import func, insert, select, text

from portal.extensions import db


class BulkWriter:
    def __init__(self, session=None, chunk: int = 5000):
        self.session = session or db.session
        self.chunk = chunk
        self.buffers: dict = {}
        self.next_ids: dict = {}
        self.counts: dict = {}
        self.pending = 0
        self.started = time.perf_counter()
        self.order = {table.name: position for position, table in enumerate(db.metadata.sorted_tables)}

    def new_id(self, model) -> int:
        table = model.__table__
        if table.name not in self.next_ids:
            current = self.session.execute(select(func.max(table.c.id))).scalar()
            self.next_ids[table.name] = (current or 0) + 1
        value = self.next_ids[table.name]
        self.next_ids[table.name] = value + 1
        return value

    def add(self, model, **row) -> int:
        """Queue one row (every row of a table must give the same columns); returns its id."""
        if "id" not in row:
            row["id"] = self.new_id(model)
        self.buffers.setdefault(model.__table__, []).append(row)
        self.pending += 1
        if self.pending >= self.chunk:
            self.flush()
        return row["id"]

    def flush(self) -> None:
        """Write every buffered row, parents before children, and commit: one compiled
        ``INSERT`` per table executed for all its rows (the driver's executemany; psycopg
        pipelines it). Asking for the ids back (multi-row VALUES) measured slower here."""
        for table in sorted(self.buffers, key=lambda t: self.order[t.name]):
            rows = self.buffers[table]
            if not rows:
                continue
            statement = insert(table)
            self.session.execute(statement, rows)
            self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        self.buffers = {}
        self.pending = 0
        self.session.commit()

    def finish(self, analyze: bool = True) -> dict:
        """Flush, move PostgreSQL's id sequences past the ids given, refresh the planner's
        statistics of the tables written (``ANALYZE``), return the counts."""
        self.flush()
        dialect = self.session.get_bind().dialect
        if dialect.name == "postgresql":
            for name, next_id in self.next_ids.items():
                self.session.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                                          "GREATEST(:last, 1))"), {"table": name, "last": next_id - 1})
        if analyze:
            for name in self.counts:  # table names from our own metadata, quoted as identifiers
                self.session.execute(text("ANALYZE " + dialect.identifier_preparer.quote(name)))
        self.session.commit()
        return dict(self.counts)

    @property
    def rows(self) -> int:
        return sum(self.counts.values()) + self.pending

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started
