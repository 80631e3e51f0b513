"""Streamed downloads (CSV, XLSX) and the Data Package descriptor of a dataset.

CSV: UTF-8, comma separated, dot decimals, ISO dates, a header row of Spanish column
names (``lang=es``, the default) or English ones (``lang=en``). XLSX: one sheet, the
same header and rows, written with openpyxl's write-only mode into a temporary file that
is then streamed in chunks, so neither format holds the table in memory.
"""
import tempfile
from decimal import Decimal

from flask import Response, current_app, stream_with_context, url_for

from portal.core.api import csv_response, plain
from portal.core.text import clean_text
from portal.opendata import catalog_dates
from portal.opendata.datasets import Dataset

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024

LICENSES = {
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/", "Creative Commons Attribution 4.0"),
    "CC0-1.0": ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
    "ODbL-1.0": ("https://opendatacommons.org/licenses/odbl/1-0/", "Open Data Commons Open Database License 1.0"),
    "CC-BY-SA-4.0": ("https://creativecommons.org/licenses/by-sa/4.0/",
                     "Creative Commons Attribution Share-Alike 4.0"),
}


def license_of(municipality) -> tuple[str, str, str]:
    """(SPDX id, URL, title): ``OPENDATA_LICENSES`` maps a slug to an id of :data:`LICENSES`;
    ``OPENDATA_LICENSE`` is the default (CC-BY-4.0)."""
    per = current_app.config.get("OPENDATA_LICENSES") or {}
    key = per.get(getattr(municipality, "slug", None)) or current_app.config.get("OPENDATA_LICENSE") or "CC-BY-4.0"
    if key not in LICENSES:
        key = "CC-BY-4.0"
    return (key, *LICENSES[key])


def lang_of(value: str | None) -> str:
    return "en" if (value or "").lower().startswith("en") else "es"


def _ordered(dataset: Dataset, rows):
    names = [c.name for c in dataset.columns]
    for row in rows:
        yield [row.get(name) for name in names]


def csv_download(dataset: Dataset, municipality, lang: str) -> Response:
    suffix = "-en" if lang == "en" else ""
    return csv_response(_ordered(dataset, dataset.rows(municipality)), dataset.column_names(lang),
                        f"{municipality.slug}-{dataset.key}{suffix}.csv")


def _cell(value, column_type: str):
    if value is None:
        return None
    if column_type == "number" and not isinstance(value, (int, float, Decimal)):
        try:
            return Decimal(str(value))
        except ArithmeticError:
            return str(value)
    if isinstance(value, (bool, int, float, Decimal)) or hasattr(value, "isoformat"):
        return value
    return str(plain(value))


def xlsx_download(dataset: Dataset, municipality, lang: str) -> Response:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(dataset.key[:31])
    sheet.append(dataset.column_names(lang))
    types = [c.type for c in dataset.columns]
    for row in _ordered(dataset, dataset.rows(municipality)):
        sheet.append([clean_text(_cell(v, t)) for v, t in zip(row, types)])  # no control characters
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    size = spool.tell()
    spool.seek(0)

    def chunks():
        with spool:
            while block := spool.read(CHUNK):
                yield block
    suffix = "-en" if lang == "en" else ""
    response = Response(stream_with_context(chunks()), mimetype=XLSX, headers={
        "Content-Length": str(size),
        "Content-Disposition": f'attachment; filename="{municipality.slug}-{dataset.key}{suffix}.xlsx"'})
    response.call_on_close(spool.close)  # also when the body is never read (HEAD, a dropped client)
    return response


def _schema(dataset: Dataset, lang: str) -> dict:
    fields = []
    for column in dataset.columns:
        item = {"name": column.name if lang == "en" else column.es, "type": column.type}
        if column.description:
            item["description"] = column.description
        if lang == "es" and column.name != column.es:
            item["title"] = column.name
        if column.enum:
            item["constraints"] = {"enum": [v for v in column.enum if v]}
        if dataset.fiscal and column.column_type:
            item["columnType"] = column.column_type
        fields.append(item)
    return {"fields": fields, "missingValues": [""]}


def datapackage(dataset: Dataset, municipality) -> dict:
    """A Frictionless (Tabular) Data Package with two resources: the Spanish-headed CSV
    (``data.csv``) and the English-headed one (``data-en.csv``), paths relative to the
    descriptor. The budget dataset adds the Fiscal Data Package properties."""
    spdx, license_url, license_title = license_of(municipality)
    issued, modified = catalog_dates.dataset_dates(municipality, dataset)
    resources = []
    for lang, suffix in (("es", ""), ("en", "-en")):
        resources.append({
            "name": f"{dataset.key}{suffix}", "path": f"data{suffix}.csv", "profile": "tabular-data-resource",
            "title": dataset.title if lang == "es" else dataset.title_en, "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema(dataset, lang)})
    package = {
        "profile": "tabular-data-package",
        "name": f"{municipality.slug}-{dataset.key}",
        "id": url_for("opendata_pages.dataset", slug=municipality.slug, key=dataset.key, _external=True),
        "title": f"{municipality.name}: {dataset.title}",
        "description": dataset.description,
        "homepage": url_for("opendata_pages.dataset", slug=municipality.slug, key=dataset.key, _external=True),
        "keywords": list(dataset.keywords),
        "licenses": [{"name": spdx, "path": license_url, "title": license_title}],
        "contributors": [{"title": municipality.name, "role": "publisher",
                          "path": url_for("municipality.home", slug=municipality.slug, _external=True)}],
        "created": modified.isoformat(timespec="seconds") + "Z",
        "issued": issued.date().isoformat(),
        "resources": resources,
    }
    if dataset.fiscal:
        package.update(_fiscal(municipality))
    return package


def _fiscal(municipality) -> dict:
    """Fiscal Data Package: columnType on each field (set in :func:`_schema`), the
    country, the fiscal period and an OpenSpending model naming measures and dimensions."""
    from sqlalchemy import func, select

    from portal.core.publication import PUBLISHED
    from portal.extensions import db
    from portal.finance.models import BudgetYear

    first, last = db.session.execute(select(func.min(BudgetYear.year), func.max(BudgetYear.year)).where(
        BudgetYear.municipality_id == municipality.id, BudgetYear.status == PUBLISHED)).one()
    out = {"countryCode": municipality.country,
           "model": {
               "measures": {"amount": {"source": "monto", "currency": municipality.currency}},
               "dimensions": {
                   "date": {"attributes": {"year": {"source": "anio"}}, "primaryKey": "year",
                            "dimensionType": "datetime"},
                   "direction": {"attributes": {"direction": {"source": "direccion"}}, "primaryKey": "direction",
                                 "dimensionType": "fact"},
                   "phase": {"attributes": {"phase": {"source": "fase"}, "local_phase": {"source": "fase_local"}},
                             "primaryKey": "phase", "dimensionType": "fact"},
                   "economic-classification": {
                       "attributes": {"code": {"source": "codigo"}, "label": {"source": "nombre", "labelfor": "code"},
                                      "rubro": {"source": "rubro"}},
                       "primaryKey": "code", "dimensionType": "classification",
                       "classificationType": "economic"}}}}
    if first is not None:
        out["fiscalPeriod"] = {"start": f"{first}-01-01", "end": f"{last}-12-31"}
    return out
