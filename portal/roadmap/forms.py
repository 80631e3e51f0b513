"""Forms of the roadmap: quick follow-up from a phone, file imports, goals, reviews."""
from flask_babel import lazy_gettext as _l
from portal.core.bounds import MoneyField
from portal.core.forms import Form
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, DecimalField, IntegerField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from portal.roadmap.labels import STATE_LABELS


class FollowUpForm(Form):
    state = RadioField(_l("Estado"), choices=[SelectChoice(k, v) for k, v in STATE_LABELS.items()], validators=[DataRequired()])
    progress = DecimalField(_l("Avance (%)"), places=None, validators=[Optional(), NumberRange(min=0, max=100)])
    verification_url = StringField(_l("Enlace a la fuente de verificación"),
                                   validators=[Optional(), URL(message=_l("Escriba un enlace completo (https://...).")),
                                               Length(max=500)])
    document = FileField(_l("O suba el documento o foto de evidencia (PDF, JPG o PNG)"))
    observations = TextAreaField(_l("Observaciones"), validators=[Optional(), Length(max=2000)])
    limitation = TextAreaField(_l("Limitación"), validators=[Optional(), Length(max=2000)])
    actual_cost = MoneyField(_l("Costo real"), places=None, validators=[Optional(), NumberRange(min=0)])


class ImportForm(Form):
    plan = StringField(_l("Nombre del plan"), validators=[DataRequired(), Length(max=200)])
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired()])
    publish = BooleanField(_l("Publicar el plan al importar"))


class MatrixImportForm(Form):
    file = FileField(_l("Matriz de seguimiento llenada (XLSX o CSV)"), validators=[FileRequired()])


class GoalForm(Form):
    title = StringField(_l("Meta"), validators=[DataRequired(message=_l("Escriba qué se quiere lograr.")),
                                                Length(max=200)])
    source_key = SelectField(_l("Indicador que la mide"), choices=[], validate_choice=False)
    source_param = StringField(_l("Parámetro del indicador (opcional)"), validators=[Optional(), Length(max=80)])
    direction = SelectField(_l("Sentido"), choices=[SelectChoice(">=", _l("al menos (≥)")),
                                                    SelectChoice("<=", _l("como máximo (≤)")),
                                                    SelectChoice(">", _l("más de (>)")),
                                                    SelectChoice("<", _l("menos de (<)")),
                                                    SelectChoice("=", _l("exactamente (=)"))])
    target = DecimalField(_l("Valor de la meta"), places=None,
                          validators=[InputRequired(message=_l("Escriba el valor de la meta, p. ej. 0.25."))])
    unit = SelectField(_l("Unidad"), choices=[SelectChoice("ratio", _l("proporción (0 a 1)")),
                                              SelectChoice("percent", _l("porcentaje")),
                                              SelectChoice("money", _l("dinero")), SelectChoice("number", _l("número"))])
    year = IntegerField(_l("Año de la meta"), validators=[
        InputRequired(message=_l("Escriba el año, p. ej. 2026.")), NumberRange(min=1990, max=2100)])
    baseline = DecimalField(_l("Línea de base (opcional)"), places=None, validators=[Optional()])
    baseline_year = IntegerField(_l("Año de la línea de base (opcional)"),
                                 validators=[Optional(), NumberRange(min=1990, max=2100)])


class ReviewForm(Form):
    held_on = DateField(_l("Fecha de la revisión"), validators=[InputRequired(message=_l("Indique la fecha."))])
    title = StringField(_l("Título (opcional)"), validators=[Optional(), Length(max=200)])
    summary = TextAreaField(_l("Qué se encontró"), validators=[
        DataRequired(message=_l("Escriba qué se encontró en la revisión.")), Length(max=5000)])
    approved_changes = TextAreaField(_l("Cambios aprobados por el Concejo (opcional)"),
                                     validators=[Optional(), Length(max=5000)])
    council_act = StringField(_l("Acta del Concejo (opcional)"), validators=[Optional(), Length(max=200)])


class ActionForm(Form):
    """A button that changes something (publish, delete): only its CSRF token."""
