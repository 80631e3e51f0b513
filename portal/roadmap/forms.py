"""Forms of the roadmap: quick follow-up from a phone, and file imports."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, URL

from portal.roadmap.labels import STATE_LABELS


class FollowUpForm(FlaskForm):
    state = RadioField(_l("Estado"), choices=[SelectChoice(k, v) for k, v in STATE_LABELS.items()], validators=[DataRequired()])
    progress = DecimalField(_l("Avance (%)"), places=None, validators=[Optional(), NumberRange(min=0, max=100)])
    verification_url = StringField(_l("Enlace a la fuente de verificación"),
                                   validators=[Optional(), URL(message=_l("Escriba un enlace completo (https://...).")),
                                               Length(max=500)])
    document = FileField(_l("O suba el documento o foto de evidencia (PDF, JPG o PNG)"))
    observations = TextAreaField(_l("Observaciones"), validators=[Optional(), Length(max=2000)])
    limitation = TextAreaField(_l("Limitación"), validators=[Optional(), Length(max=2000)])
    actual_cost = DecimalField(_l("Costo real"), places=None, validators=[Optional(), NumberRange(min=0)])


class ImportForm(FlaskForm):
    plan = StringField(_l("Nombre del plan"), validators=[DataRequired(), Length(max=200)])
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired()])
    publish = BooleanField(_l("Publicar el plan al importar"))


class MatrixImportForm(FlaskForm):
    file = FileField(_l("Matriz de seguimiento llenada (XLSX o CSV)"), validators=[FileRequired()])
