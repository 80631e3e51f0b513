"""Open datasets: the read API's dataset endpoints (paged JSON, CSV, XLSX, Data Package),
the DCAT catalog and ``data.json``, and the "Datos abiertos" pages."""
from functools import partial
from itertools import islice

import sqlalchemy as sa
from flask import Blueprint, Response, abort, g, jsonify, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from portal.accounts.permissions import public
from portal.audit.services import size as audit_size
from portal.core.i18n import language
from portal.municipalities.models import Municipality
from portal.core.api import api_blueprint, plain
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.opendata import catalog, catalog_dates, datajson, datasets, downloads, texts
from portal.core import bounds

catalog_bp = Blueprint("opendata_catalog", __name__)
pages = tenant_blueprint("opendata_pages", __name__, "/datos")
tenant_catalog = tenant_blueprint("opendata_mcatalog", __name__)
api = api_blueprint("datasets_api", __name__, "/datasets")

RESERVED = {"limit", "offset", "lang", "format"}
MAX_LIMIT = 1000


def _dataset(key) -> datasets.Dataset:
    dataset = datasets.get(key)
    if dataset is None:
        abort(404)
    return dataset


def _municipalities_statement(country: str = ""):
    from sqlalchemy import select

    from portal.municipalities.models import Municipality

    statement = select(Municipality)
    return statement.where(Municipality.country == country) if country else statement


def _count(statement) -> int:
    from sqlalchemy import func, select

    return db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()


def _slice(statement, offset: int, limit: int) -> list:
    """Municipalities ``offset`` to ``offset + limit`` by name (an index range scan)."""
    from portal.municipalities.models import Municipality

    return list(db.session.execute(statement.order_by(Municipality.name, Municipality.id)
                                   .offset(offset).limit(limit)).scalars())


def _batches(size: int = 50):
    """Every municipality by name, ``size`` at a time (keyset: each batch costs the same)."""
    from sqlalchemy import tuple_

    from portal.municipalities.models import Municipality

    after = None
    while True:
        statement = _municipalities_statement()
        if after is not None:
            statement = statement.where(tuple_(Municipality.name, Municipality.id) > tuple_(*after))
        batch = _slice(statement, 0, size)
        if batch:
            yield batch
        if len(batch) < size:
            return
        after = (batch[-1].name, batch[-1].id)


def summary(municipality, dataset) -> dict:
    """What the catalog, the pages and the API list about one dataset."""
    issued, modified = catalog_dates.dataset_dates(municipality, dataset)
    spdx, license_url, _title = downloads.license_of(municipality)
    return {"key": dataset.key, "municipality": municipality.slug, "municipality_code": municipality.code,
            "title": dataset.title,
            "title_en": dataset.title_en, "description": dataset.description, "topic": dataset.topic,
            "uri": catalog.dataset_uri(municipality, dataset), "license": spdx, "license_url": license_url,
            "issued": issued.replace(microsecond=0).isoformat() + "Z",
            "modified": modified.replace(microsecond=0).isoformat() + "Z",
            "columns": [{"name": c.name, "es": c.es, "type": c.type} for c in dataset.columns],
            "distributions": {d.id: d.url for d in catalog.distributions(municipality, dataset)},
            "feed": url_for("feeds.municipality_feed", slug=municipality.slug, topic=dataset.topic, _external=True)}


# --- read API ---------------------------------------------------------------------------

@api.route("")
@public
def listing():
    """The municipality's open datasets, with their columns, licence, dates and download links."""
    return jsonify({"municipality": g.municipality.slug,
                    "items": [summary(g.municipality, d) for d in datasets.all_datasets()]})


def _page_args():
    limit = min(bounds.query_int("limit", 100, minimum=1), MAX_LIMIT)
    offset = bounds.query_int("offset", 0)
    return limit, offset


def _matches(dataset, filters):
    def keep(row):
        for name, wanted in filters.items():
            value = row.get(name)
            text = "" if value is None else str(plain(value))
            if text.lower() != wanted.lower():
                return False
        return True
    return keep


@api.route("/<key>")
@public
def rows(key):
    """One dataset's rows as JSON, a page at a time; decimals are exact strings, dates ISO.

    Any column (English name) filters by equality, e.g. ``?year=2024&direction=expenditure``.

    :query limit: rows per page (1-1000, default 100)
    :query offset: rows to skip (default 0)
    """
    dataset = _dataset(key)
    names = {c.name for c in dataset.columns}
    filters = {k: v for k, v in request.args.items() if k not in RESERVED}
    unknown = sorted(set(filters) - names)
    if unknown:
        return jsonify({"error": {"status": 400, "message": f"Unknown filter {', '.join(unknown)}; "
                                                            f"filter by one of: {', '.join(sorted(names))}."}}), 400
    limit, offset = _page_args()
    if dataset.skips and not filters:  # the database skips the rows before the page
        source, start = dataset.rows(g.municipality, offset=offset), 0
    else:
        source, start = dataset.rows(g.municipality), offset
    try:
        found = list(islice(filter(_matches(dataset, filters), source), start, start + limit + 1))
    finally:
        source.close()  # stop reading (and close the database cursor) once the page is full
    items = [{c.name: plain(row.get(c.name)) for c in dataset.columns} for row in found[:limit]]

    def link(new_offset):
        return url_for("datasets_api.rows", key=key, _external=True,
                       **{**filters, "limit": limit, "offset": new_offset})
    return jsonify({"municipality": g.municipality.slug, "dataset": key, "limit": limit, "offset": offset,
                    "count": len(items), "filters": filters, "items": items,
                    "next": link(offset + limit) if len(found) > limit else None,
                    "previous": link(max(offset - limit, 0)) if offset else None})


def _download(key, fmt, lang):
    dataset = _dataset(key)
    lang = downloads.lang_of(request.args.get("lang", lang))
    if fmt == "csv":
        return downloads.csv_download(dataset, g.municipality, lang)
    return downloads.xlsx_download(dataset, g.municipality, lang)


@api.route("/<key>/data.csv")
@public
def csv_es(key):
    """The dataset as CSV: UTF-8, dot decimals, ISO dates, Spanish column names.

    :query lang: en for English column names
    """
    return _download(key, "csv", "es")


@api.route("/<key>/data-en.csv")
@public
def csv_en(key):
    """The dataset as CSV with English column names."""
    return _download(key, "csv", "en")


@api.route("/<key>/data.xlsx")
@public
def xlsx_es(key):
    """The dataset as an XLSX workbook, Spanish column names.

    :query lang: en for English column names
    """
    return _download(key, "xlsx", "es")


@api.route("/<key>/data-en.xlsx")
@public
def xlsx_en(key):
    """The dataset as an XLSX workbook with English column names."""
    return _download(key, "xlsx", "en")


@api.route("/<key>/datapackage.json")
@public
def package(key):
    """The dataset's Frictionless Data Package (Table Schema of both CSVs; Fiscal Data Package for the budget)."""
    return jsonify(downloads.datapackage(_dataset(key), g.municipality))


@catalog_bp.route("/api/v1/datasets")
@public
def platform_datasets():
    """Every municipality's open datasets, a page at a time.

    :query limit: items per page (1-1000, default 100)
    :query offset: items to skip
    :query country: ISO 3166 code, e.g. SV
    :query topic: finance, diagnostic, roadmap, budgeting, surveys or complaints
    """
    limit, offset = _page_args()
    country = request.args.get("country", "").upper()
    topic = request.args.get("topic", "")
    chosen_datasets = [d for d in datasets.all_datasets() if not topic or d.topic == topic]
    statement = _municipalities_statement(country)
    per = len(chosen_datasets)
    total = _count(statement) * per
    municipalities = _slice(statement, offset // per, -(-(offset % per + limit) // per)) if per else []
    catalog_dates.prime(municipalities)
    pairs = [(m, d) for m in municipalities for d in chosen_datasets]
    chosen = pairs[offset % per:offset % per + limit] if per else []

    def link(new_offset):
        args = {k: v for k, v in (("country", country), ("topic", topic)) if v}
        return url_for("opendata_catalog.platform_datasets", _external=True, limit=limit, offset=new_offset, **args)
    return jsonify({"total": total, "limit": limit, "offset": offset,
                    "items": [summary(m, d) for m, d in chosen],
                    "next": link(offset + limit) if offset + limit < total else None,
                    "previous": link(max(offset - limit, 0)) if offset else None})


# --- catalog ----------------------------------------------------------------------------

def _catalog_response(municipalities, fmt, title, description, catalog_url, **options):
    """One municipality's catalog, written by the same writer as the platform's pages (no
    graph of the whole), whole: its ETag is its content's."""
    if fmt not in catalog.SERIALIZATIONS:
        abort(404)
    body = "".join(catalog.stream(fmt, municipalities, title, description, catalog_url, **options))
    return _harvestable(Response(body, mimetype=catalog.SERIALIZATIONS[fmt][1]))


def _harvestable(response):
    """Catalog answers as harvesters like them: open CORS, an ETag and 304 when it matches."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.setdefault("Cache-Control", "public, max-age=300")
    response.add_etag()
    return response.make_conditional(request)


CATALOG_PAGE = 10  # municipalities per page of the platform catalog (about 0.5 MB of Turtle)
DATOS_PAGE = 12  # municipalities per page of /datos/: 13 datasets each keeps a page under 60 KB of HTML


@catalog_bp.route("/catalog.<fmt>")
@public
def platform_catalog(fmt):
    """Every municipality's datasets, 10 municipalities a page (``?page=``, Hydra paging links)."""
    if fmt not in catalog.SERIALIZATIONS:
        abort(404)
    statement = _municipalities_statement()
    total = _count(statement)
    pages = max((total + CATALOG_PAGE - 1) // CATALOG_PAGE, 1)
    page = bounds.query_int("page", 1, minimum=1)
    if not 1 <= page <= pages:
        abort(404)
    first = _first_created()

    def page_url(number):
        return url_for("opendata_catalog.platform_catalog", fmt=fmt, page=number, _external=True)
    texts = (_("Cabildo: datos abiertos de los municipios"),
             _("Todos los conjuntos de datos que publican los municipios del portal."),
             url_for("opendata_catalog.platform_page", _external=True))
    return _streamed_page(fmt, statement, page, texts, (page_url, page, pages, CATALOG_PAGE, total), first)


def _streamed_page(fmt, statement, page, texts, paging, first):
    """A page of the platform catalog in ``fmt``, streamed a municipality at a time. Its
    ETag, like ``data.json``'s, is the format, the language, the page, the number of
    municipalities and the change record's size and last position: a harvester that
    already has the page gets a 304 without it being written."""
    count, changes, last_change = db.session.execute(sa.select(
        sa.select(sa.func.count(Municipality.id)).scalar_subquery(), *audit_size())).one()
    etag = f"catalog-{fmt}-{language()}-{page}-{count}-{changes}-{last_change or 0}"
    headers = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}
    if etag in request.if_none_match:
        response = Response(status=304, headers=headers)
    else:
        chosen = _slice(statement, (page - 1) * CATALOG_PAGE, CATALOG_PAGE)
        body = catalog.stream(fmt, chosen, *texts, paging=paging, platform=True, issued=first)
        response = Response(stream_with_context(body), mimetype=catalog.SERIALIZATIONS[fmt][1], headers=headers)
    response.set_etag(etag)
    return response


def _first_created():
    """When the platform's first municipality was created: the platform catalog's issue date."""
    from sqlalchemy import func, select

    from portal.municipalities.models import Municipality

    return db.session.execute(select(func.min(Municipality.created_at))).scalar_one()


@tenant_catalog.route("/catalog.<fmt>")
@public
def municipality_catalog(fmt):
    m = g.municipality
    return _catalog_response([m], fmt, _("%(name)s: datos abiertos", name=m.name),
                             _("Los conjuntos de datos que publica %(name)s.", name=m.name),
                             url_for("opendata_pages.index", _external=True))


@catalog_bp.route("/data.json")
@public
def data_json():
    """Every municipality's datasets in one document, streamed a batch of municipalities at a
    time; its ETag is the change record's size and last position, so a harvester that
    already has it gets a 304 without the document being written."""
    from sqlalchemy import func, select

    from portal.audit.services import size
    from portal.core.i18n import language
    from portal.municipalities.models import Municipality

    # The record is append-only: its size moves with every commit, even when two
    # municipalities commit out of id order (PostgreSQL), where its last id may not.
    count, changes, last_change = db.session.execute(select(
        select(func.count(Municipality.id)).scalar_subquery(), *size())).one()
    if not count:
        abort(404)
    etag = f"datajson-{language()}-{count}-{changes}-{last_change or 0}"
    headers = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}
    if etag in request.if_none_match:
        response = Response(status=304, headers=headers)
    else:
        body = datajson.stream(_batches(), _("Cabildo: datos abiertos de los municipios"),
                               _("Todos los conjuntos de datos que publican los municipios del portal."),
                               url_for("opendata_catalog.data_json", _external=True),
                               url_for("opendata_catalog.platform_page", _external=True))
        response = Response(stream_with_context(body), mimetype="application/json", headers=headers)
    response.set_etag(etag)
    return response


@tenant_catalog.route("/data.json")
@public
def municipality_data_json():
    m = g.municipality
    return _harvestable(jsonify(datajson.document(
        [m], _("%(name)s: datos abiertos", name=m.name), _("Los conjuntos de datos que publica %(name)s.", name=m.name),
        url_for("opendata_mcatalog.municipality_data_json", _external=True),
        url_for("opendata_pages.index", _external=True))))


# --- pages ------------------------------------------------------------------------------

@catalog_bp.route("/datos/")
@public
def platform_page():
    """Every municipality's datasets, 20 municipalities a page (keyset by name)."""
    from portal.core.pagination import keyset
    from portal.municipalities.services import LIST_KEY

    page = keyset(_municipalities_statement(), LIST_KEY, per_page=DATOS_PAGE)
    catalog_dates.prime(page.items)
    entries = [(m, [summary(m, d) for d in datasets.all_datasets()]) for m in page.items]
    return render_template("opendata/datos_platform.html", entries=entries, page=page, datasets=datasets.all_datasets())


@pages.route("/")
@public
def index():
    m = g.municipality
    return render_template("opendata/datos.html", items=[(d, summary(m, d)) for d in datasets.all_datasets()],
                           license=downloads.license_of(m))


@pages.route("/<key>")
@public
def dataset(key):
    item = _dataset(key)
    from portal.opendata import schemaorg

    return render_template("opendata/dataset.html", dataset=item, info=summary(g.municipality, item),
                           license=downloads.license_of(g.municipality),
                           type_name=texts.type_name, shown=partial(texts.shown, gettext=_),
                           jsonld=schemaorg.script(schemaorg.dataset(g.municipality, item)))
