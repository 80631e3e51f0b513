"""Dataset downloads (CSV, XLSX) and the Data Package descriptor of a dataset.

CSV: UTF-8 with a byte-order mark (``?bom=0`` without), comma separated, dot decimals,
ISO dates, a header row of Spanish column names (``lang=es``, the default) or English
ones (``lang=en``). XLSX: one sheet, the same header and rows. Both are written by the
portal's one writer (:mod:`portal.core.downloads`): text that could be read as a formula
gets a leading ``'``, numbers stay numbers. The CSV streams: its rows are read inside the
stream, with the municipality loaded again there.
"""
from decimal import Decimal

from flask import Response, current_app, url_for

from portal.core.downloads import XLSX_TYPE as XLSX, csv_response, fresh, xlsx_response  # noqa: F401
from portal.opendata import catalog_dates
from portal.opendata.datasets import Dataset

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


def _cell(value, column_type: str):
    """A value of a ``number`` column as a Decimal (text that is not a number stays text)."""
    if column_type == "number" and value is not None and not isinstance(value, (bool, int, float, Decimal)):
        try:
            return Decimal(str(value))
        except ArithmeticError:
            return str(value)
    return value


def _ordered(dataset: Dataset, rows, lang: str):
    columns = dataset.columns
    for row in rows:
        if dataset.file_row is not None:
            row = dataset.file_row(row)
        yield [_cell(c.value_in(row.get(c.name), lang), c.type) for c in columns]


def _filename(dataset: Dataset, municipality, lang: str, ext: str) -> str:
    return f"{municipality.slug}-{dataset.key}{'-en' if lang == 'en' else ''}.{ext}"


def csv_download(dataset: Dataset, municipality, lang: str) -> Response:
    return csv_response(lambda: _ordered(dataset, dataset.rows(fresh(municipality)), lang),
                        dataset.column_names(lang), _filename(dataset, municipality, lang, "csv"))


def xlsx_download(dataset: Dataset, municipality, lang: str) -> Response:
    return xlsx_response(_ordered(dataset, dataset.rows(municipality), lang), dataset.column_names(lang),
                         _filename(dataset, municipality, lang, "xlsx"), sheet=dataset.key)


def _schema(dataset: Dataset, lang: str) -> dict:
    fields = []
    for column in dataset.columns:
        item = {"name": column.name if lang == "en" else column.es, "type": column.type}
        if column.description:
            item["description"] = column.description
        if lang == "es" and column.name != column.es:
            item["title"] = column.name
        if column.enum:
            item["constraints"] = {"enum": column.enum_in(lang)}
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
    if dataset.package is not None:  # what the declaring domain adds (finance: the Fiscal Data Package model)
        package.update(dataset.package(municipality))
    return package
