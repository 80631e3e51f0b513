"""Comparison pages: ``/comparar/`` for everyone, ``/m/<slug>/comparar/`` for one
municipality, the method page, disagreements, and the platform admin's import."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import platform_admin, public, roles_required
from portal.compare import external, jobs, labels, metrics, peers, ranking, services
from portal.compare.forms import ActionForm, CapacityForm, ExternalImportForm
from portal.core import imports
from portal.core.downloads import csv_file_response, csv_response
from portal.core.tabular import template_csv
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.core import bounds

bp = Blueprint("compare", __name__, url_prefix="/comparar")
tenant = tenant_blueprint("compare_m", __name__, "/comparar")
PER_PAGE = 50  # municipalities per page of /comparar/ (the CSV holds them all)


def _choices(known):
    """The page's choices from the query string (unknown values fall back to defaults);
    ``known``: the indicators one can choose (the portal's and the national indices)."""
    key = request.args.get("indicador", "")
    grouping = request.args.get("agrupacion", peers.CAPACITY)
    by = request.args.get("orden", ranking.IMPROVED)
    chosen = next((m for m in known if m.key == key), None) or metrics.default()
    return (chosen, grouping if grouping in peers.GROUPINGS else peers.CAPACITY,
            by if by in ranking.ORDERS else ranking.IMPROVED, request.args.get("no_verificados") == "1")


@bp.route("/")
@public
def index():
    known = services.all_metrics()
    key, grouping, by, unverified = _choices(known)
    page = bounds.query_int("pagina", 1, minimum=1)
    stored = services.stored_page(key, grouping, by, unverified, page, PER_PAGE)
    if stored is not None:  # one range of places of what the last refresh arranged
        result, shown, summaries = stored
    else:  # nothing arranged yet for these values: the whole comparison
        whole = services.comparison(key, grouping, by, unverified)
        result, shown, summaries = whole, services.page_of(whole, page, PER_PAGE), services.group_summaries(whole)
    if shown is None:
        abort(404)
    return render_template("compare/index.html", result=result, summaries=summaries, shown=shown,
                           pending=services.changes_since(result.computed_at),
                           metrics_list=known, groupings=peers.GROUPINGS, orders=ranking.ORDERS,
                           labels=labels, refresh_form=ActionForm())


@bp.route("/<key>.csv")
@public
def download(key):
    _, grouping, by, unverified = _choices(())
    result = services.comparison(key, grouping, by, unverified)
    if result is None:
        abort(404)
    return csv_response(list(services.csv_rows(result)), services.CSV_COLUMNS, f"comparacion-{key}-{grouping}.csv")


@bp.route("/metodo")
@public
def method():
    return render_template("compare/method.html", metrics_list=services.all_metrics(), fits=services.regressions(),
                           terms_of=services.terms_of, labels=labels, peers=peers,
                           disagreement=external.DISAGREEMENT, grace=metrics.GRACE_DAYS)


@bp.route("/desacuerdos")
@public
def disagreements():
    return render_template("compare/disagreements.html", items=external.disagreements(), labels=labels,
                           threshold=external.DISAGREEMENT)


@bp.route("/recalcular", methods=["POST"])
@platform_admin
def recalculate():
    form = ActionForm()
    if form.validate_on_submit():  # a whole refresh takes long: the job worker runs it
        jobs.refresh_all.enqueue(key="button")
        db.session.commit()
        flash(_("La comparación se recalcula aparte, en unos minutos; esta página la muestra al terminar."),
              "success")
    return redirect(url_for("compare.index"))


@bp.route("/importar", methods=["GET", "POST"])
@platform_admin
def import_external():
    """Upload a national index: a job checks every row, writes them all at once and
    refreshes the comparison; the progress page follows it."""
    form = ExternalImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        options = {"source": (form.source.data or "").strip(), "url": (form.url.data or "").strip(),
                   "published_on": form.published_on.data.isoformat() if form.published_on.data else None,
                   "country": (form.country.data or "").strip(), "decimal_comma": bool(form.decimal_comma.data)}
        run = imports.start("compare.external", upload.read(imports.MAX_BYTES + 1), upload.filename or "",
                            user=current_user, options=options)
        db.session.commit()
        return redirect(imports.progress_url(run))
    latest = imports.latest("compare.external")
    return render_template("compare/import.html", form=form, columns=external.TEMPLATE_COLUMNS, latest=latest,
                           latest_url=latest and imports.progress_url(latest))


@bp.route("/importar/plantilla.csv")
@public
def template():
    data = template_csv(external.TEMPLATE_COLUMNS, [
        ["1411", "Índice de ejemplo", "2023", "61.5", "Índice Nacional (ejemplo)", "2024-03-01",
         "https://example.org/indice", "Medio", "0", "100", "diagnostic.global"]])
    return csv_file_response(data, "indices-externos.csv")


@tenant.route("/")
@public
def municipality():
    grouping = request.args.get("agrupacion", peers.CAPACITY)
    grouping = grouping if grouping in peers.GROUPINGS else peers.CAPACITY
    return render_template("compare/municipality.html",
                           standings=services.standings(g.municipality, grouping=grouping), grouping=grouping,
                           groupings=peers.GROUPINGS, profile=services.profile_of(g.municipality),
                           externals=external.comparisons(g.municipality),
                           indices=services.index_history(g.municipality), labels=labels)


@tenant.route("/capacidad", methods=["GET", "POST"])
@roles_required("publisher")
def capacity():
    profile = services.profile_of(g.municipality)
    form = CapacityForm()
    if request.method == "GET" and profile is not None:
        form.process(data=services.declared(profile))
    if form.validate_on_submit():
        services.declare_inputs(g.municipality, urban_share=services.share(form.urban_share.data),
                                poverty_rate=services.share(form.poverty_rate.data),
                                own_revenue_pc=form.own_revenue_pc.data, budget_pc=form.budget_pc.data,
                                source=(form.source.data or "").strip())
        db.session.commit()
        flash(_("Datos de capacidad guardados; el próximo cálculo de la comparación los usará."), "success")
        return redirect(url_for("compare_m.municipality"))
    return render_template("compare/capacity.html", form=form)


@tenant.route("/datos.csv")
@public
def municipality_csv():
    grouping = request.args.get("agrupacion", peers.CAPACITY)
    grouping = grouping if grouping in peers.GROUPINGS else peers.CAPACITY
    rows = [services.csv_row(s.metric, grouping, s.entry) for s in
            services.standings(g.municipality, grouping=grouping) if s.entry is not None]
    return csv_response(rows, services.CSV_COLUMNS, f"comparacion-{g.municipality.slug}.csv")


def home_summary(municipality):
    """The home card: the headline indicators with the position in the capacity group (2 queries)."""
    from markupsafe import Markup

    keys = [m.key for m in metrics.builtin() if m.headline]
    return Markup(render_template("compare/_home.html", standings=services.standings(municipality, keys=keys),
                                  labels=labels))
