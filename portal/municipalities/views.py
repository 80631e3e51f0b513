"""The platform home, each municipality's home, and creating municipalities."""
from datetime import date
from decimal import Decimal

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import gettext as _

from portal.accounts.models import ROLES
from portal.accounts.permissions import platform_admin, public, roles_required
from portal.core import imports
from portal.core.downloads import csv_file_response
from portal.core.pagination import keyset
from portal.core.sections import actions_now, headline_figures, panels, sections
from portal.core.tabular import template_csv
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.municipalities import importing, onboarding, services
from portal.municipalities.forms import CodeForm, ImportForm, MunicipalityForm

bp = Blueprint("municipalities", __name__)
tenant = tenant_blueprint("municipality", __name__)


@bp.route("/")
@public
def index():
    q = request.args.get("q", "").strip()
    country = request.args.get("country", "").strip()
    band = request.args.get("band", "").strip()
    page = keyset(services.search_statement(q, country, band), services.LIST_KEY)
    return render_template("municipalities/municipality_list.html", page=page, q=q,
                           country=country, band=band, countries=services.countries())


@bp.route("/admin/municipalities/new", methods=["GET", "POST"])
@platform_admin
def create():
    form = MunicipalityForm()
    if form.validate_on_submit():
        try:
            municipality = services.create(
                form.slug.data, form.name.data, form.country.data, population=form.population.data,
                currency=form.currency.data, locale=form.locale.data or None,
                department=form.department.data or "", code=form.code.data,
                timezone=form.timezone.data or None,
                districts=[d.strip() for d in (form.districts.data or "").splitlines() if d.strip()])
        except services.MunicipalityError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Municipio «%(name)s» creado.", name=municipality.name), "success")
            return redirect(url_for("municipality.home", slug=municipality.slug))
    return render_template("municipalities/municipality_new.html", form=form)


@bp.route("/admin/municipalities/import", methods=["GET", "POST"])
@platform_admin
def import_file():
    """Upload a country's list: a job checks every row, then writes them all at once; the
    progress page follows it and ends with what was created and updated, or the problems."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        run = imports.start("municipalities.import", upload.read(imports.MAX_BYTES + 1), upload.filename or "",
                            user=current_user, options={"country": (form.country.data or "").upper()})
        db.session.commit()
        return redirect(imports.progress_url(run))
    latest = imports.latest("municipalities.import")
    return render_template("municipalities/import.html", form=form, columns=onboarding.SPANISH, latest=latest,
                           latest_url=latest and imports.progress_url(latest))


@bp.route("/admin/municipalities/import/template.csv")
@public
def import_template():
    data = template_csv(list(onboarding.SPANISH.values()), importing.template_rows())
    return csv_file_response(data, "municipios.csv")


def _degrees(value):
    """A stored coordinate as a person wrote it: 13.18, not PostgreSQL's 13.180000."""
    return None if value is None else Decimal(format(value.normalize(), "f"))


@tenant.route("/codigo", methods=["GET", "POST"])
@platform_admin
def code():
    """The national statistics code (what national indices are matched by) and the
    place's centroid (the catalogs' location, the search engines' coordinates)."""
    municipality = g.municipality
    form = CodeForm(data={"code": municipality.code or "", "latitude": _degrees(municipality.latitude),
                          "longitude": _degrees(municipality.longitude)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_location(municipality, form.latitude.data, form.longitude.data)
        except services.MunicipalityError as error:
            getattr(form, error.field).errors.append(str(error))
            return render_template("municipalities/code.html", form=form, municipality=municipality)
        try:
            services.set_code(municipality, form.code.data)
        except services.MunicipalityError:
            form.code.errors.append(_("Ese código ya lo usa otro municipio del mismo país."))
        else:
            db.session.commit()
            flash(_("Código y ubicación guardados."), "success")
            return redirect(url_for("municipality.home"))
    return render_template("municipalities/code.html", form=form, municipality=municipality)


@tenant.route("/")
@public
def home():
    from portal.audit.services import head

    municipality = g.municipality
    cards = [(section, section.has_data(municipality)) for section in sections()]
    seq, head_hash = head(db.session, municipality)
    return render_template("municipalities/municipality_home.html", municipality=municipality,
                           cards=cards, chain_seq=seq, chain_head=head_hash,
                           panels=[(panel, panel.items(municipality)) for panel in panels()],
                           actions=actions_now(municipality, date.today()), figures=headline_figures(municipality))


@tenant.route("/admin/")
@roles_required(*ROLES)
def dashboard():
    """The staff's dashboard: what waits for them and their management screens."""
    from portal.municipalities.staff import dashboard as contents

    return render_template("municipalities/staff_dashboard.html", municipality=g.municipality,
                           **contents(g.municipality, current_user))
