"""The fiscal semáforo: each municipality's light, stored when its monthly execution is
published (:mod:`portal.finance.warning_jobs`) and read by the comparisons through the
registry (finance's manifest declares :data:`DECLARATION`).

The light comes from the early warnings of the latest published year of monthly
execution (:mod:`portal.finance.fiscal_light`); the reason is written in the reader's
language when shown, from the warnings kept with the light. Pages read the stored
lights with a constant number of queries per page, however many municipalities there are.
"""
import dataclasses
import json
from decimal import Decimal

from flask import get_template_attribute, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core.clock import utcnow
from portal.core.publication import PUBLISHED
from portal.core.registry import Semaforo
from portal.extensions import db
from portal.finance import early_warning, execution, fiscal_light
from portal.finance.execution_models import ExecutionYear
from portal.finance.warning_models import FiscalLight
from portal.municipalities.models import Municipality

LABELS = {fiscal_light.RED: _l("Rojo"), fiscal_light.AMBER: _l("Ámbar"), fiscal_light.GREEN: _l("Verde"),
          fiscal_light.NO_DATA: _l("Sin datos mensuales")}
MEANINGS = {
    fiscal_light.RED: _l("Un límite legal se incumpliría al cierre proyectado del año."),
    fiscal_light.AMBER: _l("Un indicador dejaría de cumplir su umbral al cierre, o la inversión va atrasada."),
    fiscal_light.GREEN: _l("Ninguna alerta temprana con la ejecución mensual publicada."),
    fiscal_light.NO_DATA: _l("No publica ejecución mensual: no se puede anticipar el cierre."),
}
KEY = (Municipality.name, Municipality.id)


def _plain(value):
    return format(value, "f") if isinstance(value, Decimal) else value


def encode(warnings) -> str:
    """Warnings (:class:`portal.finance.early_warning.Warning`) as stored JSON: exact strings for figures."""
    return json.dumps([{k: _plain(v) for k, v in dataclasses.asdict(w).items()} for w in warnings],
                      ensure_ascii=False, sort_keys=True)


def decode(text: str) -> list:
    """The stored warnings back as :class:`portal.finance.early_warning.Warning` values."""
    fields = {f.name for f in dataclasses.fields(early_warning.Warning)}
    numbers = ("value", "threshold", "previous", "expected")
    out = []
    for item in json.loads(text or "[]"):
        item = {k: v for k, v in item.items() if k in fields}
        for name in numbers:
            if item.get(name) is not None:
                item[name] = Decimal(item[name])
        out.append(early_warning.Warning(**item))
    return out


def light_of(data) -> str:
    """The light for an execution report (:func:`portal.finance.execution.report`; None: no data)."""
    if data is None:
        return fiscal_light.light((), has_data=False)
    return fiscal_light.light(w.kind for w in data["warnings"])


def store(municipality) -> FiscalLight | None:
    """Compute the municipality's light from its latest published monthly execution and
    keep it (removed when it publishes none). Flushes only."""
    data = execution.report(municipality)
    found = db.session.execute(select(FiscalLight).where(FiscalLight.municipality_id == municipality.id)
                               ).scalar_one_or_none()
    if data is None:
        if found is not None:
            db.session.delete(found)
            db.session.flush()
        return None
    if found is None:
        found = FiscalLight(municipality_id=municipality.id)
        db.session.add(found)
    found.year, found.month, found.light = data["year"], data["month"], light_of(data)
    found.warnings, found.updated_at = encode(data["warnings"]), utcnow()
    db.session.flush()
    return found


def with_execution() -> list[int]:
    """Ids of the municipalities with published monthly execution or a stored light."""
    published = select(ExecutionYear.municipality_id).where(ExecutionYear.status == PUBLISHED)
    return sorted(set(db.session.execute(published.distinct()).scalars())
                  | set(db.session.execute(select(FiscalLight.municipality_id)).scalars()))


def stored(municipality) -> FiscalLight | None:
    return db.session.execute(select(FiscalLight).where(FiscalLight.municipality_id == municipality.id)
                              ).scalar_one_or_none()


# ---- what the comparisons read (declared in finance's manifest) ---------------------------

def statement(country: str = "", light: str = ""):
    """Every municipality, with ``country`` (ISO code) and ``light`` as filters (unknown
    values are no filter); paged by :data:`KEY`."""
    stmt = select(Municipality).outerjoin(FiscalLight, FiscalLight.municipality_id == Municipality.id)
    if country:
        stmt = stmt.where(Municipality.country == country.upper())
    if light == fiscal_light.NO_DATA:
        stmt = stmt.where(FiscalLight.id.is_(None))
    elif light in fiscal_light.LIGHTS:
        stmt = stmt.where(FiscalLight.light == light)
    return stmt


def key():
    return KEY


def reasons(row: FiscalLight | None) -> list[str]:
    """The light's reason in words, in the reader's language: each warning as the finance
    page writes it, or what green and "no monthly data" mean."""
    if row is None:
        return [str(MEANINGS[fiscal_light.NO_DATA])]
    warnings = decode(row.warnings)
    if not warnings:
        return [_("Ninguna alerta temprana con la ejecución hasta %(month)s de %(year)s.",
                  month=execution.month_name(row.month), year=row.year)]
    text = get_template_attribute("finance/_execution.html", "warning_text")
    return [str(text(w, row.year)).strip() for w in warnings]


def rows(municipalities) -> list[dict]:
    """One dict per municipality (in the order given), with its stored light: two queries at most."""
    ids = [m.id for m in municipalities]
    found = {r.municipality_id: r for r in db.session.execute(
        select(FiscalLight).where(FiscalLight.municipality_id.in_(ids))).scalars()} if ids else {}
    out = []
    for m in municipalities:
        row = found.get(m.id)
        light = row.light if row is not None else fiscal_light.NO_DATA
        out.append({
            "municipality": m.name, "slug": m.slug, "country": m.country, "light": light,
            "label": str(LABELS[light]), "reasons": reasons(row),
            "year": row.year if row is not None else None, "month": row.month if row is not None else None,
            "period": _("%(month)s de %(year)s", month=execution.month_name(row.month), year=row.year)
            if row is not None else "",
            "path": _link(m, row), "url": _link(m, row, external=True),
        })
    return out


def _link(municipality, row, external: bool = False) -> str:
    """Its monthly execution page (its finance page without one); absolute ones from ``PUBLIC_URL``."""
    if row is None:
        return url_for("finance.index", slug=municipality.slug, _external=external)
    return url_for("finance_execution.execution", slug=municipality.slug, year=row.year, _external=external)


def choices() -> list[tuple[str, str]]:
    """(code, name) of the lights, worst first, for the filter."""
    return [(code, str(LABELS[code])) for code in fiscal_light.LIGHTS]


DECLARATION = Semaforo(statement=statement, key=key, rows=rows, choices=choices, meanings=MEANINGS)
