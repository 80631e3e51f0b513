"""Pieces every domain's read API shares.

``api_blueprint`` gives routes under ``/api/v1/municipalities/<slug>`` with the
municipality loaded into ``g`` (404 JSON if unknown). Decimals go out as exact
strings (:func:`dec`), lists page with ``?page=&per_page=`` (:func:`page_args`),
and any list can also be served as CSV (:func:`portal.core.downloads.csv_response`, the
one writer of every CSV and XLSX file).
"""
from datetime import date, datetime
from decimal import Decimal

from flask import Blueprint, request
from sqlalchemy import func, select

from portal.core import bounds
from portal.core.downloads import csv_response, exact, xlsx_response  # noqa: F401 (the one writer, re-exported)
from portal.core.pagination import encode_cursor, keyset
from portal.core.tenancy import _add_slug, _load_municipality
from portal.extensions import db


def api_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix=f"/api/v1/municipalities/<slug>{url_prefix}")
    bp.url_value_preprocessor(_load_municipality)
    bp.url_defaults(_add_slug)
    return bp


def dec(value) -> str | None:
    """An exact decimal as a string (``"1064147.34"``), or None."""
    if value is None:
        return None
    return exact(value if isinstance(value, Decimal) else Decimal(str(value)))


def plain(value):
    if isinstance(value, Decimal):
        return dec(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def page_args(default: int = 50, maximum: int = 500) -> tuple[int, int]:
    page = bounds.query_int("page", 1, minimum=1)
    per_page = min(bounds.query_int("per_page", default, minimum=1), maximum)
    return page, per_page


def paged(items, page: int, per_page: int, total: int) -> dict:
    return {"items": items, "page": page, "per_page": per_page, "total": total,
            "pages": (total + per_page - 1) // per_page if per_page else 0}


def keyset_paged(statement, key, row, default: int = 50, maximum: int = 500) -> dict:
    """A list page: ``?after=`` (keyset: pass the previous answer's ``next``; as fast deep
    in the list as at its start) or ``?page=`` (offset, kept for existing clients). Every
    answer carries ``next``, the cursor of the following page (null on the last)."""
    page, per_page = page_args(default, maximum)
    after = request.args.get("after", "")
    if after or page == 1:
        result = keyset(statement, key, per_page=per_page, cursor=after)
        items, page, total, cursor = result.items, result.page, result.total, result.next_cursor
    else:
        total = db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar()
        items = list(db.session.execute(statement.order_by(*key).limit(per_page).offset((page - 1) * per_page))
                     .scalars())
        cursor = encode_cursor(page + 1, [getattr(items[-1], c.key) for c in key]) \
            if items and page * per_page < total else None
    body = paged([row(item) for item in items], page, per_page, total)
    body["next"] = cursor
    return body


def wants_csv() -> bool:
    return request.args.get("format") == "csv" or request.path.endswith(".csv")


def init_app(app):
    """Read API conventions on every ``/api/`` response: open CORS for reading, and
    conditional GETs (a strong ETag from the body; 304 when it matches)."""
    @app.after_request
    def api_headers(response):
        if not request.path.startswith("/api/"):
            return response
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Vary"] = "Accept, Accept-Language"
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed:
            response.add_etag()
            response.headers.setdefault("Cache-Control", "public, max-age=60")
            response = response.make_conditional(request)
        return response
