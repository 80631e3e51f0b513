"""Residents' pages: processes, proposals, verifying, voting, receipts, results."""
import secrets
from datetime import date

from flask import Response, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.utils import secure_filename
from wtforms.fields.choices import SelectChoice

from portal.accounts.permissions import public, signed_in
from portal.core import ical
from portal.core.downloads import csv_response
from portal.core.tenancy import tenant_blueprint
from portal.core.uploads import UploadError
from portal.extensions import db, limiter
from portal.participation.budgeting import counting, exports, forms, services
from portal.participation.budgeting.labels import ballot_file

bp = tenant_blueprint("budgeting", __name__, "/presupuesto")


def _process(process_id, published_only=True):
    process = services.get_process(g.municipality, process_id, published_only)
    if process is None:
        abort(404)
    return process


def _key(process, name):
    return f"pb{process.id}_{name}"


def _verified(process):
    return services.verification(g.municipality, process, session.get(_key(process, "v")))


@bp.route("/")
@public
def index():
    return render_template("budgeting/process_list.html",
                           processes=services.processes(g.municipality), today=date.today())


@bp.route("/<int:process_id>")
@public
def process(process_id):
    process = _process(process_id)
    return render_template("budgeting/process_show.html", process=process, today=date.today(),
                           projects=[p for p in process.projects if p.status == "published"],
                           results=services.results(g.municipality, process),
                           pots=counting.pots(process) if process.district_budgets else [])


@bp.route("/<int:process_id>/proyectos/<int:project_id>")
@public
def project(process_id, project_id):
    process = _process(process_id)
    found = services.get_project(g.municipality, process, project_id)
    if found is None:
        abort(404)
    progress = services.progress_for(g.municipality, [found]).get(found.work_ref)
    return render_template("budgeting/project_show.html", process=process, project=found,
                           progress=progress)


@bp.route("/<int:process_id>/proponer", methods=["GET", "POST"])
@signed_in
def propose(process_id):
    process = _process(process_id)
    if process.phase(date.today()) != "proposals":
        flash(_("El plazo de propuestas no está abierto."), "error")
        return redirect(url_for(".process", process_id=process.id))
    form = forms.ProposalForm()
    if services.proposal_by_key(g.municipality, process, form.idempotency_key.data) is not None:
        return redirect(url_for(".mine"))  # a repeated send (offline sync): already stored
    form.idempotency_key.data = form.idempotency_key.data or secrets.token_urlsafe(24)
    form.district.choices = [SelectChoice("", "—")] + [SelectChoice(d.name, d.name) for d in g.municipality.districts]
    if form.validate_on_submit():
        photo = form.photo.data.read() if form.photo.data else None
        try:
            services.propose(g.municipality, process, current_user, title=form.title.data,
                             description=form.description.data, cost=form.cost.data,
                             district=form.district.data, place=form.place.data, photo=photo,
                             idempotency_key=form.idempotency_key.data)
        except UploadError as error:
            form.photo.errors.append(str(error))
        else:
            try:
                db.session.commit()
            except IntegrityError:  # the same proposal sent twice at once: the first one counts
                db.session.rollback()
            flash(_("Propuesta enviada. Puede seguir su estado en «Mis propuestas»."), "success")
            return redirect(url_for(".mine"))
    return render_template("budgeting/proposal_new.html", process=process, form=form)


@bp.route("/mis-propuestas")
@signed_in
def mine():
    return render_template("budgeting/proposal_mine.html",
                           proposals=services.my_proposals(g.municipality, current_user))


def _verified_document():
    """Failed verifications are also counted per census document (and process): guessing
    one person's birth date from many addresses slows down all the same."""
    document = services.normalize_document(request.form.get("document", ""))
    return f"verify-document:{request.view_args.get('process_id')}:{document}"


def _no_document():
    return not services.normalize_document(request.form.get("document", ""))


def _verification_failed(response):
    return response.status_code == 200  # the form came back with an error


@bp.route("/<int:process_id>/verificar", methods=["GET", "POST"])
@limiter.limit("10 per minute; 30 per hour", methods=["POST"])
@limiter.limit("5 per 15 minutes; 20 per day", methods=["POST"], key_func=_verified_document,
               exempt_when=_no_document, deduct_when=_verification_failed)
@public
def verify(process_id):
    process = _process(process_id)
    form = forms.VerifyForm()
    if form.validate_on_submit():
        try:
            if form.code.data:
                found = services.redeem_code(g.municipality, process, form.code.data)
            elif form.document.data and form.birth_date.data:
                found = services.verify_census(g.municipality, process, form.document.data,
                                               form.birth_date.data, date.today())
            else:
                raise services.BudgetingError(_("Escriba su documento y fecha de nacimiento, o un código."))
        except services.BudgetingError as error:
            form.document.errors.append(str(error))
        else:
            db.session.commit()
            session[_key(process, "v")] = found.id
            return redirect(url_for(".vote", process_id=process.id))
    return render_template("budgeting/verify.html", process=process, form=form)


@bp.route("/<int:process_id>/votar", methods=["GET", "POST"])
@public
def vote(process_id):
    process = _process(process_id)
    who = _verified(process)
    if who is None:
        return redirect(url_for(".verify", process_id=process.id))
    projects = services.ballot_projects(process, who.district)
    form = forms.ballot_form(process, projects)
    voted = services.has_voted(g.municipality, process, who.voter_key)
    if form.validate_on_submit():
        choices = forms.choices_from(process, projects, form)
        try:
            services.check_choices(process, choices, who.district)
            if voted and not (process.allow_change and getattr(form, "receipt", None) and form.receipt.data):
                raise services.BudgetingError(_("Ya votó en este proceso."))
            if voted:  # the receipt must be this person's own
                services.own_ballot(g.municipality, process, who.voter_key, form.receipt.data)
        except services.BudgetingError as error:
            flash(str(error), "error")
        else:
            session[_key(process, "pending")] = [[c.ref, c.points] for c in choices]
            session[_key(process, "change")] = form.receipt.data if voted else ""
            return redirect(url_for(".review", process_id=process.id))
    return render_template("budgeting/vote.html", process=process, form=form, projects=projects,
                           voted=voted, open=process.phase(date.today()) == "voting",
                           limits=services.ballot_limits(process, projects),
                           pots=[p for p in counting.pots(process) if p.district in ("", who.district)]
                           if process.district_budgets else [])


@bp.route("/<int:process_id>/votar/revisar", methods=["GET", "POST"])
@public
def review(process_id):
    process = _process(process_id)
    who = _verified(process)
    pending = session.get(_key(process, "pending"))
    if who is None or not pending:
        return redirect(url_for(".vote", process_id=process.id))
    choices = [services.Choice(ref, points) for ref, points in pending]
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        change = session.get(_key(process, "change"))
        try:
            if change:
                services.change_ballot(g.municipality, process, who.voter_key, change, choices)
                receipt = change
            else:
                receipt = services.cast_ballot(g.municipality, process, who.voter_key, choices,
                                               district=who.district, today=date.today())
        except services.BudgetingError as error:
            flash(str(error), "error")
            return redirect(url_for(".vote", process_id=process.id))
        db.session.commit()
        session.pop(_key(process, "pending"), None)
        session[_key(process, "receipt")] = receipt
        return redirect(url_for(".receipt", process_id=process.id))
    by_ref = {p.ref: p for p in services.ballot_projects(process, who.district)}
    return render_template("budgeting/vote_review.html", process=process, form=form,
                           picked=[(by_ref[c.ref], c.points) for c in choices if c.ref in by_ref])


@bp.route("/<int:process_id>/comprobante")
@public
def receipt(process_id):
    process = _process(process_id)
    code = session.get(_key(process, "receipt"))
    if not code:
        return redirect(url_for(".check", process_id=process.id))
    return render_template("budgeting/receipt.html", process=process, code=code)


@bp.route("/<int:process_id>/verificar-comprobante", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public
def check(process_id):
    process = _process(process_id)
    form = forms.ReceiptForm()
    found = None
    if form.validate_on_submit():
        found = services.find_receipt(g.municipality, process, form.receipt.data.strip())
        if found is None:
            form.receipt.errors.append(_("No hay ningún voto con ese código en este proceso."))
    by_ref = {p.ref: p for p in process.projects}
    picked = [(by_ref.get(c.ref), c.points) for c in services.decode(found.choices)] if found else []
    return render_template("budgeting/receipt_check.html", process=process, form=form,
                           ballot=found, picked=picked)


@bp.route("/<int:process_id>/resultados")
@public
def results(process_id):
    process = _process(process_id)
    result = services.result_for(g.municipality, process, request.args.get("rule"))
    lines = result.lines if result else []
    computing = counting.pending(g.municipality, process)
    progress = services.progress_for(g.municipality, [line.project for line in lines if line.selected])
    return render_template("budgeting/results.html", process=process, result=result,
                           all_results=services.results(g.municipality, process),
                           turnout=services.turnout(g.municipality, process), progress=progress,
                           computing=computing, district_rows=services.district_rows(g.municipality, process, result),
                           reason=lambda line: services.reason_text(line, g.municipality.currency,
                                                                    process.ballot_type))


@bp.route("/<int:process_id>/papeletas.csv")
@public
def ballots_csv(process_id):
    process = _process(process_id)
    if not services.results(g.municipality, process):
        abort(404)
    columns, rows = ballot_file(services.ballots(g.municipality, process))
    return csv_response(rows, columns, f"papeletas-{process.id}.csv")


@bp.route("/<int:process_id>/resultado.pb")
@public
def pabulib_export(process_id):
    process = _process(process_id)
    result = services.result_for(g.municipality, process, request.args.get("rule"))
    if result is None:
        abort(404)
    district = request.args.get("district", "")
    try:
        text = services.export_pabulib(g.municipality, process, result, district)
    except services.BudgetingError:
        abort(404)
    name = f"{g.municipality.slug}-{process.id}" + (f"-{secure_filename(district) or 'distrito'}" if district else "")
    return Response(text.encode("utf-8"), content_type="text/plain; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}.pb"'})


@bp.route("/calendario.ics")
@public
def calendar():
    """Every process's dated phases, as an iCalendar file."""
    return ical.response(lambda: _("Presupuesto participativo"), exports.calendar_events)


@bp.route("/<int:process_id>/calendario.ics")
@public
def process_calendar(process_id):
    """One process's dated phases, as an iCalendar file."""
    found = services.get_process(g.municipality, process_id)
    if found is None:
        abort(404)
    url = url_for("budgeting.process", process_id=found.id, _external=True)
    return ical.response(lambda: found.title, lambda municipality: exports.process_events(found, url))
