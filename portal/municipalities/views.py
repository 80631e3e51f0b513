"""The platform home, each municipality's home, and creating municipalities."""
from datetime import date

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.accounts.models import ROLES
from portal.accounts.permissions import platform_admin, public, roles_required
from portal.audit.services import acting_as
from portal.core.downloads import csv_file_response
from portal.core.pagination import keyset
from portal.core.sections import actions_now, headline_figures, panels, sections
from portal.core.tabular import TableError, template_csv
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.municipalities import importing, onboarding, services
from portal.municipalities.forms import CodeForm, ImportConfirmForm, ImportForm, MunicipalityForm

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
    """Upload a country's list: the preview says what each row creates or updates."""
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        data = form.file.data.read(importing.MAX_FILE_BYTES + 1)
        filename = form.file.data.filename or ""
        country = (form.country.data or "").upper()
        try:
            plan = importing.plan(data, filename, country)
        except TableError as error:
            problems = error.problems
        else:
            confirm = ImportConfirmForm(formdata=None, content=importing.pack(data), filename=filename[:200],
                                        country=country)
            return render_template("municipalities/import_preview.html", plan=plan, confirm=confirm,
                                   filename=filename)
    return render_template("municipalities/import.html", form=form, problems=problems,
                           describe=importing.describe, columns=onboarding.SPANISH)


@bp.route("/admin/municipalities/import/confirm", methods=["POST"])
@platform_admin
def import_confirm():
    """Write the previewed file (validated again: the database may have changed meanwhile)."""
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(_("La confirmación no era válida; suba el archivo de nuevo."), "error")
        return redirect(url_for("municipalities.import_file"))
    try:
        with acting_as("platform_admin"):
            result = importing.import_file(importing.unpack(form.content.data), form.filename.data or "",
                                           (form.country.data or "").upper())
    except TableError as error:  # validated before any write: nothing to undo
        return render_template("municipalities/import.html", form=ImportForm(formdata=None),
                               problems=error.problems, describe=importing.describe, columns=onboarding.SPANISH)
    db.session.commit()
    flash(_("Importación terminada. Creados: %(created)s; actualizados: %(updated)s; sin cambios: %(same)s.",
            created=result["created"], updated=result["updated"], same=result["unchanged"]), "success")
    return redirect(url_for("municipalities.index"))


@bp.route("/admin/municipalities/import/template.csv")
@public
def import_template():
    data = template_csv(list(onboarding.SPANISH.values()), importing.template_rows())
    return csv_file_response(data, "municipios.csv")


@tenant.route("/codigo", methods=["GET", "POST"])
@platform_admin
def code():
    """The national statistics code (what national indices are matched by)."""
    municipality = g.municipality
    form = CodeForm(data={"code": municipality.code or ""} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_code(municipality, form.code.data)
        except services.MunicipalityError:
            form.code.errors.append(_("Ese código ya lo usa otro municipio del mismo país."))
        else:
            db.session.commit()
            flash(_("Código guardado."), "success")
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
    from flask_login import current_user

    from portal.municipalities.staff import dashboard as contents

    return render_template("municipalities/staff_dashboard.html", municipality=g.municipality,
                           **contents(g.municipality, current_user))
