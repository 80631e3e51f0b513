"""National indices imported as external indicators, and their disagreements.

File columns (CSV or XLSX; Spanish or English headers), one row per municipality,
indicator and period:

- ``codigo_municipio`` / ``municipality_code`` (required): the municipality's national
  statistics code (its ``code``); its slug is accepted too;
- ``indicador`` / ``indicator`` (required), ``periodo`` / ``period`` (required, e.g. 2023),
  ``valor`` / ``value`` (required, a number);
- ``fuente`` / ``source`` (else the ``--source`` given), ``fecha`` / ``date``
  (publication date, YYYY-MM-DD; else ``--date``), ``url``;
- ``banda`` / ``band``: the index's own band for that value, kept as written;
- ``escala_min`` / ``scale_min`` and ``escala_max`` / ``scale_max``: the index's range;
- ``compara_con`` / ``compares_with``: the key of one of our indicators measuring the
  same thing (needs the scale). Both are put on a 0-1 scale; a gap of
  :data:`DISAGREEMENT` or more is flagged for monitors.

Every row is validated before anything is written; a row already imported (same
municipality, source, indicator and period) is replaced. The platform admin's upload
(``/comparar/importar``) runs as a job (:mod:`portal.compare.jobs`) with a progress page;
``flask --app wsgi compare import-external`` runs here and now.
"""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select

from portal.compare import metrics
from portal.compare.models import ComparisonValue, ExternalValue
from portal.core.tabular import Problem, TableError, parse_date, parse_decimal, read_table
from portal.extensions import db
from portal.municipalities.models import Municipality
from portal.municipalities.services import cell_text as _text

DISAGREEMENT = Decimal("0.25")
COLUMNS = {
    "codigo_municipio": ("municipality_code", "codigo", "code", "municipio_codigo"),
    "indicador": ("indicator",),
    "periodo": ("period", "anio", "year"),
    "valor": ("value",),
    "fuente": ("source",),
    "fecha": ("date", "fecha_publicacion", "published"),
    "url": ("source_url", "enlace"),
    "banda": ("band", "categoria", "category"),
    "escala_min": ("scale_min",),
    "escala_max": ("scale_max",),
    "compara_con": ("compares_with",),
}
REQUIRED = ("codigo_municipio", "indicador", "periodo", "valor")
TEMPLATE_COLUMNS = list(COLUMNS)


def read(data: bytes, filename: str, *, source: str = "", published_on: date | None = None, url: str = "",
         country: str = "", decimal_comma: bool = False, progress=None) -> list[dict]:
    """Validated rows, ready to store; raises TableError listing every problem.
    ``progress`` (:class:`portal.core.imports.Progress`) hears the row count."""
    rows = read_table(data, filename, COLUMNS, REQUIRED)
    if progress is not None:
        progress.total(len(rows))
    query = select(Municipality.id, Municipality.code, Municipality.slug, Municipality.country)
    if country:
        query = query.where(Municipality.country == country.upper())
    by_code, by_slug = {}, {}
    for mid, code, slug, _ in db.session.execute(query):
        if code:
            by_code.setdefault(code, []).append(mid)
        by_slug[slug] = mid
    problems, out, seen = [], [], {}
    for row in rows:
        n = row["_row"]
        item = {}
        code = _text(row.get("codigo_municipio"))
        ids = by_code.get(code) or ([by_slug[code]] if code in by_slug else [])
        if not code:
            problems.append(Problem(n, "codigo_municipio", _l("vacía: escriba el código nacional del municipio")))
        elif not ids:
            problems.append(Problem(n, "codigo_municipio", _l("ningún municipio tiene el código «%(code)s»", code=code)))
        elif len(ids) > 1:
            problems.append(Problem(n, "codigo_municipio",
                                    _l("el código «%(code)s» se usa en varios países: indique --country", code=code)))
        else:
            item["municipality_id"] = ids[0]
        for name, limit in (("indicador", 120), ("periodo", 20)):
            text = _text(row.get(name))
            if not text:
                problems.append(Problem(n, name, _l("vacía")))
            elif len(text) > limit:
                problems.append(Problem(n, name, _l("tiene más de %(n)s caracteres", n=limit)))
            item[name] = text
        for name in ("valor", "escala_min", "escala_max"):
            try:
                item[name] = parse_decimal(row.get(name), decimal_comma)
            except ValueError as error:
                problems.append(Problem(n, name, error.args[0]))
                item[name] = None
        if row.get("valor") in (None, ""):
            problems.append(Problem(n, "valor", _l("vacía: escriba el valor del índice")))
        item["fuente"] = _text(row.get("fuente")) or source
        if not item["fuente"]:
            problems.append(Problem(n, "fuente", _l("sin fuente: agregue una columna «fuente» o indique --source")))
        elif len(item["fuente"]) > 120:
            problems.append(Problem(n, "fuente", _l("tiene más de %(n)s caracteres", n=120)))
        try:
            item["fecha"] = parse_date(row.get("fecha")) or published_on
        except ValueError as error:
            problems.append(Problem(n, "fecha", error.args[0]))
        item["url"] = (_text(row.get("url")) or url)[:500]
        if item["url"] and not re.match(r"https?://[^\s/]", item["url"], re.IGNORECASE):
            problems.append(Problem(n, "url", _l("«%(value)s» no es una dirección web; escriba una que empiece "
                                                 "por https://", value=item["url"][:80])))
        item["banda"] = _text(row.get("banda"))[:60]
        compares = _text(row.get("compara_con"))
        if compares and metrics.get(compares) is None:
            problems.append(Problem(n, "compara_con", _l("indicador desconocido «%(key)s»; use uno de: %(keys)s", key=compares,
                                       keys=", ".join(m.key for m in metrics.builtin()))))
        elif compares and (item.get("escala_min") is None or item.get("escala_max") is None):
            problems.append(Problem(n, "escala_min", _l("una comparación necesita escala_min y escala_max")))
        elif compares and item["escala_min"] == item["escala_max"]:
            problems.append(Problem(n, "escala_max", _l("debe ser distinta de escala_min")))
        item["compara_con"] = compares
        key = (item.get("municipality_id"), item["fuente"], item["indicador"], item["periodo"])
        if None not in key:
            if key in seen:
                problems.append(Problem(n, "periodo", _l("repite la fila %(row)s (mismo municipio, fuente, indicador y "
                                           "período)", row=seen[key])))
            seen.setdefault(key, n)
        out.append(item)
    if problems:
        raise TableError(problems, getattr(rows, "headers", None))
    if not out:
        raise TableError([Problem(None, None, _l("el archivo no tiene filas"))])
    return out


WRITE_BATCH = 1000


def store(items: list[dict], progress=None) -> int:
    """Write validated rows (replacing earlier imports of the same keys); flush only.
    ``progress`` hears how many rows were written, every :data:`WRITE_BATCH`."""
    existing = {}
    for row in db.session.execute(select(ExternalValue).where(
            ExternalValue.municipality_id.in_({i["municipality_id"] for i in items}))).scalars():
        existing[(row.municipality_id, row.source, row.indicator, row.period)] = row
    for number, item in enumerate(items, start=1):
        if progress is not None and number % WRITE_BATCH == 0:
            db.session.flush()
            progress.written(number)
        key = (item["municipality_id"], item["fuente"], item["indicador"], item["periodo"])
        row = existing.get(key)
        if row is None:
            row = ExternalValue(municipality_id=key[0], source=key[1], indicator=key[2], period=key[3])
            db.session.add(row)
        row.value, row.band, row.published_on = item["valor"], item["banda"], item["fecha"]
        row.source_url, row.scale_min, row.scale_max = item["url"], item["escala_min"], item["escala_max"]
        row.compares_with = item["compara_con"]
    db.session.flush()
    return len(items)


def import_file(data: bytes, filename: str, **options) -> int:
    return store(read(data, filename, **options))



@dataclass(frozen=True)
class Disagreement:
    external: ExternalValue
    own: ComparisonValue | None
    external_normalized: Decimal | None
    own_normalized: Decimal | None

    @property
    def metric(self):
        return metrics.get(self.external.compares_with)

    @property
    def gap(self) -> Decimal | None:
        if self.external_normalized is None or self.own_normalized is None:
            return None
        return self.external_normalized - self.own_normalized

    @property
    def flagged(self) -> bool:
        return self.gap is not None and abs(self.gap) >= DISAGREEMENT


def _judge(external: ExternalValue, own: ComparisonValue | None) -> Disagreement:
    """Both values on a 0-1 scale (ours by the indicator's natural scale)."""
    metric = metrics.get(external.compares_with)
    ext = own_n = None
    if metric is not None and external.scale_min is not None and external.scale_max is not None:
        ext = metrics.normalized(external.value, external.scale_min, external.scale_max)
        if own is not None:
            own_n = metrics.normalized(own.value, *metric.scale)
    return Disagreement(external, own, ext, own_n)


def comparisons(municipality=None) -> list[Disagreement]:
    """Imported values that name one of our indicators, with ours beside them (one query)."""
    statement = (select(ExternalValue, ComparisonValue)
                 .outerjoin(ComparisonValue, and_(ComparisonValue.municipality_id == ExternalValue.municipality_id,
                                                  ComparisonValue.metric == ExternalValue.compares_with))
                 .where(ExternalValue.compares_with != "")
                 .order_by(ExternalValue.source, ExternalValue.indicator, ExternalValue.id))
    if municipality is not None:
        statement = statement.where(ExternalValue.municipality_id == municipality.id)
    return [_judge(external, own) for external, own in db.session.execute(statement)]


def disagreements() -> list[Disagreement]:
    """Large disagreements, for monitors (the municipalities load with them)."""
    from sqlalchemy.orm import joinedload

    statement = (select(ExternalValue, ComparisonValue)
                 .outerjoin(ComparisonValue, and_(ComparisonValue.municipality_id == ExternalValue.municipality_id,
                                                  ComparisonValue.metric == ExternalValue.compares_with))
                 .where(ExternalValue.compares_with != "").options(joinedload(ExternalValue.municipality))
                 .order_by(ExternalValue.source, ExternalValue.indicator, ExternalValue.id))
    found = [_judge(external, own) for external, own in db.session.execute(statement)]
    return [d for d in found if d.flagged]
