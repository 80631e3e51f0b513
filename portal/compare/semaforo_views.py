"""The platform-wide fiscal semáforo: ``/comparar/semaforo`` (page), ``/comparar/semaforo.csv``
and ``/api/v1/semaforo``.

What it shows is declared by a domain through the registry
(:class:`portal.core.registry.Semaforo`: finance stores each municipality's light when it
publishes monthly execution); these views only page and filter the stored lights, with
a constant number of queries per page however many municipalities there are.
"""
import re

from flask import Blueprint, abort, jsonify, render_template, request

from portal.accounts.permissions import public
from portal.core import bounds, registry
from portal.core.downloads import csv_response
from portal.core.pagination import keyset
from portal.compare.views import bp
from portal.extensions import db
from portal.municipalities import services as municipalities

api = Blueprint("compare_api", __name__, url_prefix="/api/v1")
PER_PAGE = 50  # municipalities per page (the CSV holds them all)
API_PER_PAGE, API_MAX = 100, 500
CSV_BATCH = 1000
CSV_COLUMNS = ["municipio", "slug", "pais", "semaforo", "codigo_semaforo", "anio", "mes", "motivo", "enlace"]
COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def _declared() -> registry.Semaforo:
    found = registry.semaforo()
    if found is None:
        abort(404)
    return found


def _filters(declared, light_param: str) -> tuple[str, str]:
    """The country and light asked for; unknown values are no filter."""
    country = request.args.get("country", "").strip()
    light = request.args.get(light_param, "").strip()
    return (country.upper() if COUNTRY.match(country) else "",
            light if light in {code for code, _name in declared.choices()} else "")


@bp.route("/semaforo")
@public
def semaforo():
    declared = _declared()
    country, light = _filters(declared, "luz")
    page = keyset(declared.statement(country, light), declared.key(), per_page=PER_PAGE)
    return render_template("compare/semaforo.html", page=page, rows=declared.rows(page.items),
                           countries=municipalities.countries(), country=country, light=light,
                           choices=declared.choices(), meanings=declared.meanings)


@bp.route("/semaforo.csv")
@public
def semaforo_csv():
    declared = _declared()
    country, light = _filters(declared, "luz")

    def lines():
        found = list(db.session.execute(declared.statement(country, light).order_by(*declared.key())).scalars())
        for start in range(0, len(found), CSV_BATCH):
            for row in declared.rows(found[start:start + CSV_BATCH]):
                yield [row["municipality"], row["slug"], row["country"], row["label"], row["light"], row["year"],
                       row["month"], " ".join(row["reasons"]), row["url"]]
    return csv_response(lines, CSV_COLUMNS, "semaforo-fiscal.csv")


@api.route("/semaforo")
@public
def semaforo_api():
    """Every municipality's fiscal traffic light, from its monthly execution, with its reasons.

    :query after: the previous answer's ``next`` (keyset paging; preferred)
    :query per_page: items per page (at most 500)
    :query country: ISO 3166 code, e.g. SV
    :query light: ``red``, ``amber``, ``green`` or ``no_data``
    """
    declared = _declared()
    country, light = _filters(declared, "light")
    per_page = min(bounds.query_int("per_page", API_PER_PAGE, minimum=1), API_MAX)
    page = keyset(declared.statement(country, light), declared.key(), per_page=per_page)
    items = []
    for row in declared.rows(page.items):
        items.append({"municipality": row["municipality"], "slug": row["slug"], "country": row["country"],
                      "light": row["light"], "label": row["label"], "reasons": row["reasons"],
                      "year": row["year"], "month": row["month"],
                      "url": row["url"]})
    return jsonify({"items": items, "page": page.page, "per_page": page.per_page, "total": page.total,
                    "pages": page.pages, "next": page.next_cursor})

