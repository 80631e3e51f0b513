"""Use cases of revenue potential. Every function takes the municipality first and only
flushes; views and the CLI commit.

A year's table is replaced whole by an import (its rows are the file's rows), published
as a unit, and any of its rows can become a projection rule of a scenario
(:func:`add_as_rule`), so the projected indicators show what the measure would do.
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.audit.services import append, number_text
from portal.core.publication import PUBLISHED
from portal.extensions import db
from portal.finance import projections, revenue, services
from portal.finance.classifier import rubro_of
from portal.finance.revenue_models import RevenueRow, RevenueStudy

ONCE, FROM = "once", "from"
MODES = (ONCE, FROM)
FIELDS = ("collected", "accrued", "payers", "monthly_payment", "arrears_balance", "recovery_rate", "rate")


def studies(municipality, published_only: bool = True) -> list[RevenueStudy]:
    stmt = (select(RevenueStudy).where(RevenueStudy.municipality_id == municipality.id)
            .options(selectinload(RevenueStudy.rows)).order_by(RevenueStudy.year))
    if published_only:
        stmt = stmt.where(RevenueStudy.status == PUBLISHED)
    return list(db.session.scalars(stmt))


def get_study(municipality, year: int | None = None, published_only: bool = True) -> RevenueStudy | None:
    """The year's table, or the latest one when ``year`` is None."""
    stmt = (select(RevenueStudy).where(RevenueStudy.municipality_id == municipality.id)
            .options(selectinload(RevenueStudy.rows)))
    if published_only:
        stmt = stmt.where(RevenueStudy.status == PUBLISHED)
    stmt = stmt.where(RevenueStudy.year == year) if year is not None else \
        stmt.order_by(RevenueStudy.year.desc()).limit(1)
    return db.session.scalars(stmt).first()


def plain_row(row: RevenueRow) -> revenue.Row:
    return revenue.Row(row.group, row.code, row.name, **{name: getattr(row, name) for name in FIELDS})


def table(study: RevenueStudy) -> revenue.Table:
    return revenue.compute([plain_row(r) for r in study.rows])


def replace(municipality, year: int, rows: list[revenue.Row], *, publish: bool = False,
            note: str = "") -> RevenueStudy:
    """Make the year's table exactly ``rows`` (checked by the importer); flushes only."""
    study = get_study(municipality, year, published_only=False)
    if study is None:
        study = RevenueStudy(municipality_id=municipality.id, year=year)
        db.session.add(study)
    if note:
        study.note = note[:500]
    existing = {(r.group, r.code): r for r in study.rows}
    keep = set()
    for position, item in enumerate(rows):
        row = existing.get((item.group, item.code))
        if row is None:
            row = RevenueRow(municipality_id=municipality.id, group=item.group, code=item.code, study=study)
            db.session.add(row)
        keep.add((item.group, item.code))
        row.position, row.name = position, item.name
        for name in FIELDS:
            setattr(row, name, getattr(item, name))
    dropped = [row for key, row in existing.items() if key not in keep]
    for row in dropped:  # deleted while still in the table, so the change record has them
        db.session.delete(row)
    db.session.flush()
    for row in dropped:
        study.rows.remove(row)
    if publish:
        publish_study(municipality, study)
    return study


def publish_study(municipality, study: RevenueStudy) -> None:
    """Publish the table; the change record keeps what it holds (its rows were drafts)."""
    if study.municipality_id != municipality.id:
        raise services.FinanceError(_l("el año no pertenece a este municipio"))
    if study.status == PUBLISHED:
        return
    study.publish()
    db.session.flush()
    computed = table(study)
    append(db.session, municipality_id=municipality.id, action="publish_contents", section="finance",
           object_type="RevenueStudy", object_id=study.id, summary=str(study.year),
           changes={f"{c.row.group}:{c.row.code}": [None, number_text(c.total)] for c in computed.rows}
           | {"total": [None, number_text(computed.total)]})


def as_rule(row: revenue.Row, amount: Decimal, mode: str, year: int) -> projections.Rule:
    """A projection rule carrying a row's yearly amount on the row's own line (its code):

    - ``once``: in ``year`` only (method ``direct``), e.g. a one-off arrears recovery;
    - ``from``: from ``year`` on (method ``oneoff``: the amount in ``year`` on its own
      line, then absorbed into its rubro's line, which grows by that line's rules).

    The code must be a line under a rubro (``12.AP``), never the rubro itself, which the
    rule would replace."""
    if mode not in MODES:
        raise services.FinanceError(_l("elija «una sola vez» o «desde un año»"))
    if rubro_of(row.code) == row.code:
        raise services.FinanceError(_l("el código %(code)s es un rubro: la fila necesita un código de línea bajo "
                                       "él (p. ej. %(code)s.01) para ser una regla", code=row.code))
    if mode == ONCE:
        return projections.Rule(row.code, "direct", year, year, amount=amount, name=row.name)
    return projections.Rule(row.code, "oneoff", year, None, amount=amount, name=row.name)


def add_as_rule(municipality, scenario, study: RevenueStudy, row_id: int, mode: str, year: int):
    """Add the row as a rule of ``scenario`` and recompute it; flushes only."""
    row = next((r for r in study.rows if r.id == row_id), None)
    if row is None or study.municipality_id != municipality.id:
        raise services.FinanceError(_l("la fila no existe"))
    if scenario.base_year is None:
        raise services.FinanceError(_l("el escenario no tiene año base: se importó con sus importes"))
    if year <= scenario.base_year:
        raise services.FinanceError(_l("el año debe ser posterior al año base del escenario (%(year)s)",
                                       year=scenario.base_year))
    computed = table(study)
    amount = next(c.total for c in computed.rows if (c.row.group, c.row.code) == (row.group, row.code))
    rule = as_rule(plain_row(row), amount, mode, year)
    services.add_rule(municipality, scenario, rule)
    services.recompute(municipality, scenario)
    return rule
