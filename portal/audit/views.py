"""The public "Historial de cambios" of each municipality, its CSV and its entries."""
from flask import Blueprint, abort, g, render_template, request
from sqlalchemy import select

from portal.accounts.permissions import public
from portal.audit import checkpoints, history
from portal.audit.services import head
from portal.core.api import api_blueprint
from portal.core.downloads import csv_response
from portal.core.pagination import keyset
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.municipalities.models import Municipality

bp = tenant_blueprint("audit", __name__)
api = api_blueprint("checkpoints_api", __name__, "/checkpoints")
platform_api = Blueprint("checkpoints_platform", __name__)


def _filters():
    return history.HistoryFilter.parse(request.args.get("seccion"), request.args.get("desde"),
                                       request.args.get("hasta"))


@bp.route("/historial", endpoint="history")
@public
def history_page():
    municipality = g.municipality
    filters = _filters()
    page = keyset(history.statement(municipality, filters), history.KEY, descending=True, per_page=25)
    seq, digest = head(db.session, municipality)
    return render_template("audit/history.html", page=page, filters=filters,
                           sections=history.sections(municipality), chain_seq=seq, chain_head=digest,
                           describe=lambda record: history.describe(record, municipality))


@bp.route("/historial.csv")
@public
def history_csv():
    municipality = g.municipality
    rows = list(history.csv_rows(municipality, _filters()))
    return csv_response(rows, history.CSV_COLUMNS, f"historial-{municipality.slug}.csv")


@bp.route("/historial/<int:seq>")
@bp.route("/historial/id/<int:entry_id>")
@public
def entry(seq=None, entry_id=None):
    """One entry, by its position in the chain (``seq``) or by its row id (feeds link this way)."""
    record = history.entry(g.municipality, seq=seq, entry_id=entry_id)
    if record is None:
        abort(404)
    seq_head, _ = head(db.session, g.municipality)
    return render_template("audit/entry.html", record=record, described=history.describe(record, g.municipality),
                           chain_seq=seq_head)


@bp.route("/historial/checkpoints")
@public
def checkpoints_page():
    """Signed heads of this municipality's chain, newest first, and the public key."""
    municipality = g.municipality
    chain = str(municipality.id)
    return render_template("audit/checkpoints.html", doc=checkpoints.document(chain, {chain: municipality.slug}),
                           chain_seq=head(db.session, municipality)[0])


@api.route("")
@public
def checkpoints_json():
    """Signed checkpoints of the municipality's change record, newest first, with the public key."""
    chain = str(g.municipality.id)
    return checkpoints.document(chain, {chain: g.municipality.slug})


@platform_api.route("/api/v1/checkpoints")
@public
def all_checkpoints_json():
    """Signed checkpoints of every change-record chain (the platform's too): the file a monitor saves."""

    slugs = {str(i): s for i, s in db.session.execute(select(Municipality.id, Municipality.slug))}
    return checkpoints.document(None, slugs)
