"""Forms of participatory budgeting (the ballot form is built for each process)."""
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from portal.core import bounds
from portal.core.bounds import MoneyField
from portal.core.forms import Form
from flask_wtf.file import FileAllowed, FileField
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, widgets)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError, Length, NumberRange, Optional, Regexp

from portal.participation.budgeting.ballots import Choice
from portal.participation.budgeting.labels import RULE_LABELS
from portal.participation.budgeting.models import RULE_NAMES
BALLOT_LABELS = {"approval": _l("Aprobación (elegir proyectos)"),
                 "cumulative": _l("Acumulativo (repartir puntos)"),
                 "ranking": _l("Ordenar los preferidos")}


class ProcessForm(Form):
    title = StringField(_l("Título"), validators=[DataRequired(), Length(max=200)])
    purpose = TextAreaField(_l("Propósito"), validators=[Optional()])
    budget = MoneyField(_l("Presupuesto total"), places=2, validators=[DataRequired(), NumberRange(min=0)])
    year = IntegerField(_l("Año de ejecución"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    district_budgets = TextAreaField(_l("Presupuesto por distrito (una línea: distrito; monto)"),
                                     validators=[Optional()])
    proposals_open = DateField(_l("Propuestas: desde"), validators=[Optional()])
    proposals_close = DateField(_l("Propuestas: hasta"), validators=[Optional()])
    review_close = DateField(_l("Revisión técnica: hasta"), validators=[Optional()])
    voting_open = DateField(_l("Votación: desde"), validators=[Optional()])
    voting_close = DateField(_l("Votación: hasta"), validators=[Optional()])
    results_date = DateField(_l("Resultados"), validators=[Optional()])
    execution_start = DateField(_l("Inicio de la ejecución"), validators=[Optional()])
    ballot_type = SelectField(_l("Tipo de papeleta"), choices=[SelectChoice(k, v) for k, v in BALLOT_LABELS.items()])
    min_choices = IntegerField(_l("Mínimo de proyectos a elegir"), default=1, validators=[Optional(), NumberRange(min=0)])
    max_choices = IntegerField(_l("Máximo de proyectos a elegir"), validators=[Optional(), NumberRange(min=1)])
    knapsack = BooleanField(_l("Lo elegido no puede costar más que el presupuesto"))
    points = IntegerField(_l("Puntos a repartir (acumulativo)"), validators=[Optional(), NumberRange(min=1)])
    rank_k = IntegerField(_l("Cuántos ordenar (ordenar)"), validators=[Optional(), NumberRange(min=1)])
    eligibility = SelectField(_l("Quién vota"), choices=[
        SelectChoice("municipality", _l("Residentes del municipio")),
        SelectChoice("district", _l("Residentes del distrito del proyecto"))])
    min_age = IntegerField(_l("Edad mínima"), validators=[Optional(), NumberRange(min=0, max=120)])
    rule = SelectField(_l("Regla para elegir ganadores"), choices=[SelectChoice(r, RULE_LABELS[r]) for r in RULE_NAMES])
    allow_change = BooleanField(_l("Se puede cambiar el voto hasta el cierre"))

    @property
    def district_rows(self) -> list[tuple[str, Decimal]]:
        """The «distrito; monto» lines as (district, amount); empty without district budgets."""
        return district_lines(self.district_budgets.data)[0]

    def validate_district_budgets(self, field):
        errors = district_lines(field.data)[1]
        if errors:
            raise ValidationError(" ".join(errors))


def district_lines(text) -> tuple[list[tuple[str, Decimal]], list[str]]:
    """Parse «distrito; monto» lines: (rows, errors); each bad line is named with how to
    fix it. Amounts are money within the portal's bounds."""
    rows, errors, seen = [], [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, amount = line.rpartition(";")
        name = name.strip()
        try:
            value, why = bounds.money_value(amount.strip().replace(" ", "").replace(",", ""), name), None
        except bounds.OutOfBounds as error:
            value, why = None, error.detail
        if not sep or not name:
            errors.append(_("Línea %(n)s: escriba «distrito; monto».", n=number))
        elif value is None:
            errors.append(_("Línea %(n)s: el monto de %(d)s no es válido: %(why)s", n=number, d=name,
                            why=why or _("escriba un número.")))
        elif name in seen:
            errors.append(_("Línea %(n)s: %(d)s está repetido.", n=number, d=name))
        else:
            seen.add(name)
            rows.append((name, value))
    return rows, errors


class ProposalForm(Form):
    title = StringField(_l("Título"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Descripción"), validators=[DataRequired()])
    cost = MoneyField(_l("Costo estimado"), places=2, validators=[DataRequired(), NumberRange(min=1)])
    district = SelectField(_l("Distrito"), choices=[], validate_choice=False)
    place = StringField(_l("Lugar"), validators=[Optional(), Length(max=300)])
    photo = FileField(_l("Foto (opcional)"), validators=[FileAllowed(["jpg", "jpeg", "png", "webp"])])
    idempotency_key = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])


class ReviewForm(Form):
    review_status = SelectField(_l("Decisión"), choices=[
        SelectChoice("in_review", _l("En revisión")), SelectChoice("accepted", _l("Viable: va a la papeleta")),
        SelectChoice("changed", _l("Viable con cambios")), SelectChoice("rejected", _l("No viable"))])
    cost = MoneyField(_l("Costo revisado"), places=2, validators=[Optional(), NumberRange(min=0)])
    review_reason = TextAreaField(_l("Motivo (se publica)"), validators=[Optional()])


class VerifyForm(Form):
    document = StringField(_l("Número de documento (DUI)"), validators=[Optional(), Length(max=30)])
    birth_date = DateField(_l("Fecha de nacimiento"), validators=[Optional()])
    code = StringField(_l("Código de votación de un solo uso"), validators=[Optional(), Length(max=30)])


class InPersonForm(Form):
    document = StringField(_l("Número de documento"), validators=[DataRequired(), Length(max=30)])
    birth_date = DateField(_l("Fecha de nacimiento"), validators=[Optional()])
    district = StringField(_l("Distrito"), validators=[Optional(), Length(max=120)])


class CodesForm(Form):
    count = IntegerField(_l("Cuántos códigos"), default=20, validators=[DataRequired(), NumberRange(min=1, max=200)])
    batch = StringField(_l("Mesa o lote"), validators=[Optional(), Length(max=40)])


class CensusForm(Form):
    file = FileField(_l("Padrón (CSV o XLSX)"),
                     validators=[DataRequired()])


class ReceiptForm(Form):
    receipt = StringField(_l("Código de comprobante"), validators=[DataRequired(), Length(max=40)])


class ConfirmForm(Form):
    """A button with CSRF protection."""


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def ballot_form(process, projects, paper=False, formdata=None, districts=()):
    """The ballot for the process's ballot type (works without JavaScript). A paper
    ballot of a process with district budgets asks for the voter's district."""
    choices = [SelectChoice(p.ref, p.title) for p in projects]

    class BallotForm(Form):
        pass

    if process.ballot_type == "approval":
        BallotForm.picks = MultiCheckboxField(_l("Proyectos"), choices=choices)
    elif process.ballot_type == "cumulative":
        for p in projects:
            setattr(BallotForm, f"pts_{p.id}", IntegerField(p.title, default=0,
                                                            validators=[Optional(), NumberRange(min=0)]))
    else:
        for i in range(1, (process.rank_k or len(projects)) + 1):
            setattr(BallotForm, f"rank_{i}", SelectField(_l("Puesto %(n)s", n=i),
                                                         choices=[SelectChoice("", "—")] + choices))
    if process.allow_change:
        BallotForm.receipt = StringField(_l("Si ya votó: su código de comprobante, para cambiar el voto"),
                                         validators=[Optional(), Length(max=40)])
    if paper:
        BallotForm.document = StringField(_l("Documento de quien votó"), validators=[DataRequired(), Length(max=30)])
        BallotForm.birth_date = DateField(_l("Fecha de nacimiento de quien votó"), validators=[Optional()])
        if districts:
            BallotForm.district = SelectField(_l("Distrito de quien votó"), choices=[
                SelectChoice("", _l("Sin distrito (solo proyectos de todo el municipio)"))] +
                [SelectChoice(d, d) for d in districts])
        BallotForm.idempotency_key = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])
    return BallotForm(formdata=formdata) if formdata is not None else BallotForm()


def choices_from(process, projects, form):
    if process.ballot_type == "approval":
        return [Choice(r) for r in form.picks.data or []]
    if process.ballot_type == "cumulative":
        return [Choice(p.ref, form[f"pts_{p.id}"].data or 0) for p in projects
                if (form[f"pts_{p.id}"].data or 0) > 0]
    refs = [form[f"rank_{i}"].data for i in range(1, (process.rank_k or len(projects)) + 1)]
    return [Choice(r) for r in refs if r]
