"""Staff pages (``/m/<slug>/encuestas/gestion/...``): build, publish, copy, close,
enter paper questionnaires and moderate free-text answers."""
import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from portal.accounts.permissions import can, roles_required
from portal.core.tenancy import tenant_blueprint
from portal.extensions import db
from portal.participation.surveys import answering, responding, services
from portal.participation.surveys.forms import ModerationForm, QuestionForm, SectionForm, SurveyForm

bp = tenant_blueprint("survey_admin", __name__, "/encuestas/gestion")

KIOSK_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SURVEY_FIELDS = ("title", "purpose", "opens_on", "closes_on", "audience", "results_mode", "ask_district")


def _survey(survey_id):
    survey = services.get_survey(g.municipality, survey_id, published_only=False)
    if survey is None:
        abort(404)
    return survey


def _question_form(survey, formdata=None):
    form = QuestionForm(formdata=formdata)
    form.section.choices = [SelectChoice(s.id, s.title) for s in survey.sections]
    form.condition_question.choices = [SelectChoice(0, _("(siempre)"))] + [
        SelectChoice(q.id, f"{q.code}. {q.text[:60]}") for q in services.ordered_questions(survey)]
    return form


def _builder(survey, section_form=None, question_form=None, status=200):
    return render_template(
        "surveys/admin_builder.html", survey=survey, responses=services.response_count(g.municipality, survey),
        section_form=section_form or SectionForm(formdata=None), today=services.today(),
        question_form=question_form or _question_form(survey, formdata=None)), status


def _fail(error, form=None):
    if form is not None and error.field and error.field in form:
        form[error.field].errors.append(str(error))
    else:
        flash(str(error), "error")


@bp.route("/")
@roles_required("editor", "publisher", "moderator")
def index():
    return render_template("surveys/admin_list.html", surveys=services.all_surveys(g.municipality),
                           today=services.today())


@bp.route("/nueva", methods=["GET", "POST"])
@roles_required("editor")
def new():
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            survey = services.create_survey(g.municipality, **{f: form[f].data for f in SURVEY_FIELDS})
        except services.SurveyError as error:
            _fail(error, form)
        else:
            db.session.commit()
            flash(_("Encuesta creada. Agregue páginas y preguntas."), "success")
            return redirect(url_for(".builder", survey_id=survey.id))
    return render_template("surveys/admin_form.html", form=form, survey=None)


@bp.route("/<int:survey_id>/editar", methods=["GET", "POST"])
@roles_required("editor")
def edit(survey_id):
    survey = _survey(survey_id)
    form = SurveyForm(obj=survey)
    if form.validate_on_submit():
        try:
            services.ensure_may_change(survey, can("publisher"))
            services.update_survey(g.municipality, survey, **{f: form[f].data for f in SURVEY_FIELDS})
        except services.SurveyError as error:
            _fail(error, form)
        else:
            db.session.commit()
            flash(_("Cambios guardados."), "success")
            return redirect(url_for(".builder", survey_id=survey.id))
    return render_template("surveys/admin_form.html", form=form, survey=survey)


@bp.route("/<int:survey_id>/")
@roles_required("editor", "publisher", "moderator")
def builder(survey_id):
    return _builder(_survey(survey_id))


@bp.route("/<int:survey_id>/secciones", methods=["POST"])
@roles_required("editor")
def add_section(survey_id):
    survey = _survey(survey_id)
    form = SectionForm()
    if not form.validate_on_submit():
        return _builder(survey, section_form=form, status=422)
    try:
        services.ensure_may_change(survey, can("publisher"))
        services.add_section(g.municipality, survey, form.title.data, form.intro.data or "")
    except services.SurveyError as error:
        _fail(error)
        return _builder(survey, section_form=form, status=422)
    db.session.commit()
    return redirect(url_for(".builder", survey_id=survey.id))


@bp.route("/<int:survey_id>/preguntas", methods=["POST"])
@roles_required("editor")
def add_question(survey_id):
    survey = _survey(survey_id)
    form = _question_form(survey, formdata=request.form)
    if not form.validate_on_submit():
        return _builder(survey, question_form=form, status=422)
    sections = {s.id: s for s in survey.sections}
    questions = {q.id: q for q in survey.questions}
    try:
        services.ensure_may_change(survey, can("publisher"))
        services.add_question(
            g.municipality, survey, sections[form.section.data], kind=form.kind.data, text=form.text.data,
            code=form.code.data, help=form.help.data, required=form.required.data,
            options=(form.options.data or "").splitlines(), max_choices=form.max_choices.data,
            scale_labels=(form.scale_labels.data or "").splitlines(), rows=(form.rows.data or "").splitlines(),
            condition_question=questions.get(form.condition_question.data),
            condition_value=(form.condition_value.data or "").strip())
    except services.SurveyError as error:
        _fail(error, form)
        return _builder(survey, question_form=form, status=422)
    db.session.commit()
    flash(_("Pregunta agregada."), "success")
    return redirect(url_for(".builder", survey_id=survey.id))


def _question(survey, question_id):
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


@bp.route("/<int:survey_id>/preguntas/<int:question_id>/mover", methods=["POST"])
@roles_required("editor")
def move_question(survey_id, question_id):
    survey = _survey(survey_id)
    try:
        services.ensure_may_change(survey, can("publisher"))
        services.move_question(g.municipality, survey, _question(survey, question_id),
                               -1 if request.form.get("step") == "up" else 1)
    except services.SurveyError as error:
        _fail(error)
    else:
        db.session.commit()
    return redirect(url_for(".builder", survey_id=survey.id))


@bp.route("/<int:survey_id>/preguntas/<int:question_id>/borrar", methods=["POST"])
@roles_required("editor")
def delete_question(survey_id, question_id):
    survey = _survey(survey_id)
    try:
        services.ensure_may_change(survey, can("publisher"))
        services.delete_question(g.municipality, survey, _question(survey, question_id))
    except services.SurveyError as error:
        _fail(error)
    else:
        db.session.commit()
        flash(_("Pregunta borrada."), "success")
    return redirect(url_for(".builder", survey_id=survey.id))


@bp.route("/<int:survey_id>/publicar", methods=["POST"])
@roles_required("publisher")
def publish(survey_id):
    survey = _survey(survey_id)
    try:
        services.publish(g.municipality, survey)
    except services.SurveyError as error:
        _fail(error)
    else:
        db.session.commit()
        flash(_("Encuesta publicada."), "success")
    return redirect(url_for(".builder", survey_id=survey.id))


@bp.route("/<int:survey_id>/cerrar", methods=["POST"])
@roles_required("publisher")
def close(survey_id):
    survey = _survey(survey_id)
    services.close(g.municipality, survey)
    db.session.commit()
    flash(_("Encuesta cerrada."), "success")
    return redirect(url_for(".builder", survey_id=survey.id))


@bp.route("/<int:survey_id>/copiar", methods=["POST"])
@roles_required("editor")
def copy(survey_id):
    copy_ = services.copy_survey(g.municipality, _survey(survey_id))
    db.session.commit()
    flash(_("Copia creada como borrador."), "success")
    return redirect(url_for(".builder", survey_id=copy_.id))


@bp.route("/<int:survey_id>/papel", methods=["GET", "POST"])
@roles_required("editor")
def paper(survey_id):
    survey = _survey(survey_id)
    key = request.form.get("k") or services.new_key()
    values, errors = {}, {}
    if request.method == "POST":
        try:
            values, errors = responding.enter_paper(g.municipality, survey, key=key, posted=request.form.to_dict(flat=False),
                                                  entered_by=current_user)
        except services.SurveyError as error:
            _fail(error)
        else:
            if not errors:
                db.session.commit()
                flash(_("Cuestionario en papel guardado."), "success")
                return redirect(url_for(".paper", survey_id=survey.id))
    return render_template("surveys/admin_paper.html", survey=survey, key=key, values=values, errors=errors,
                           field_name=answering.field_name, not_used=answering.NOT_USED,
                           names=lambda q: answering.field_names(services.spec_of(q)),
                           count=services.response_count(g.municipality, survey)), (422 if errors else 200)


@bp.route("/<int:survey_id>/kiosco", methods=["GET", "POST"])
@roles_required("editor")
def kiosk(survey_id):
    """A tablet at a survey point: residents answer one after another on the staff
    member's signed-in device. Each form has its own key (made on the device when
    JavaScript runs), no account or device token ties answers together, and each is
    stored as ``channel = "kiosk"`` with the staff member who opened the kiosk."""
    survey = _survey(survey_id)
    if not survey.is_open(services.today()):
        flash(_("La encuesta no está abierta: el quiosco solo recibe respuestas mientras lo está."), "error")
        return redirect(url_for(".builder", survey_id=survey.id))
    key = request.form.get("k") or services.new_key()
    values, errors = {}, {}
    if request.method == "POST":
        if not KIOSK_KEY.match(key):
            abort(400)
        posted = {name: request.form.getlist(name) for name in request.form if name not in ("k", "csrf_token")}
        try:
            values, errors, _response = responding.submit_whole(
                g.municipality, survey, key=key, posted=posted, channel="kiosk", entered_by=current_user)
            db.session.commit()
        except IntegrityError:  # the same form sent twice at once: the first one counts
            db.session.rollback()
        if not errors:
            flash(_("Respuesta guardada. Listo para la siguiente persona."), "success")
            return redirect(url_for(".kiosk", survey_id=survey.id))
    return render_template("surveys/admin_kiosk.html", survey=survey, key=key, values=values, errors=errors,
                           field_name=answering.field_name, not_used=answering.NOT_USED,
                           names=lambda q: answering.field_names(services.spec_of(q)),
                           count=services.response_count(g.municipality, survey)), (422 if errors else 200)


@bp.route("/<int:survey_id>/moderacion")
@roles_required("moderator")
def moderation(survey_id):
    survey = _survey(survey_id)
    return render_template("surveys/admin_moderation.html", survey=survey, form=ModerationForm(formdata=None),
                           pending=services.texts_to_moderate(g.municipality, survey))


@bp.route("/<int:survey_id>/moderacion/<int:answer_id>", methods=["POST"])
@roles_required("moderator")
def moderate(survey_id, answer_id):
    survey = _survey(survey_id)
    form = ModerationForm()
    if form.validate_on_submit():
        try:
            services.moderate(g.municipality, survey, answer_id, form.decision.data, form.redacted.data)
        except services.SurveyError:
            abort(404)
        db.session.commit()
        flash(_("Respuesta revisada."), "success")
    return redirect(url_for(".moderation", survey_id=survey.id))
