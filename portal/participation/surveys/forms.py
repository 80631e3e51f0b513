"""Staff forms: the survey, its sections and questions, and moderation.

Residents' answer pages are built from the survey's questions and checked by the
pure :mod:`.answering` (the CSRF token is still checked by the global CSRFProtect).
"""
from flask_babel import lazy_gettext as _l
from portal.core.forms import Form
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.participation.surveys.models import DEFAULT_SCALE_LABELS, DEFAULT_SERVICES


class SurveyForm(Form):
    title = StringField(_l("Título"), validators=[DataRequired(), Length(max=200)])
    purpose = TextAreaField(_l("Para qué sirve"), validators=[Optional(), Length(max=4000)])
    opens_on = DateField(_l("Abre el"), validators=[DataRequired()])
    closes_on = DateField(_l("Cierra el"), validators=[DataRequired()])
    audience = SelectField(_l("Quién puede responder"), choices=[
        SelectChoice("anyone", _l("Cualquier persona (sin cuenta)")),
        SelectChoice("signed_in", _l("Personas con cuenta")),
        SelectChoice("verified", _l("Residentes verificados"))])
    results_mode = SelectField(_l("Resultados"), choices=[
        SelectChoice("at_close", _l("Se publican al cerrar")), SelectChoice("live", _l("En vivo mientras está abierta"))])
    ask_district = BooleanField(_l("Preguntar el distrito (para ver resultados por distrito)"), default=True)


class SectionForm(Form):
    title = StringField(_l("Título de la página"), validators=[DataRequired(), Length(max=200)])
    intro = TextAreaField(_l("Introducción"), validators=[Optional(), Length(max=2000)])


KIND_CHOICES = [
    SelectChoice("scale", _l("Escala de satisfacción (1 a 5)")),
    SelectChoice("rating", _l("Calificación de 0 a 10")),
    SelectChoice("single", _l("Una opción")),
    SelectChoice("multiple", _l("Varias opciones (con un máximo)")),
    SelectChoice("short_text", _l("Texto corto")),
    SelectChoice("long_text", _l("Texto largo")),
    SelectChoice("matrix", _l("Matriz de servicios")),
]


class QuestionForm(Form):
    section = SelectField(_l("Página"), coerce=int)
    kind = SelectField(_l("Tipo"), choices=KIND_CHOICES)
    text = TextAreaField(_l("Pregunta"), validators=[DataRequired(), Length(max=1000)])
    help = StringField(_l("Ayuda"), validators=[Optional(), Length(max=500)])
    code = StringField(_l("Código (para fuentes y descargas)"), validators=[Optional(), Length(max=30)])
    required = BooleanField(_l("Obligatoria"))
    options = TextAreaField(_l("Opciones (una por línea)"), validators=[Optional(), Length(max=4000)])
    max_choices = IntegerField(_l("Máximo de opciones elegidas"), validators=[Optional(), NumberRange(min=1)])
    scale_labels = TextAreaField(_l("Etiquetas de la escala (cinco líneas, de 1 a 5)"),
                                 default="\n".join(DEFAULT_SCALE_LABELS), validators=[Optional()])
    rows = TextAreaField(_l("Servicios de la matriz (uno por línea)"), default="\n".join(DEFAULT_SERVICES),
                         validators=[Optional()])
    condition_question = SelectField(_l("Mostrar solo si la pregunta"), coerce=int)
    condition_value = StringField(_l("tiene la respuesta"), validators=[Optional(), Length(max=200)])


class ModerationForm(Form):
    redacted = TextAreaField(_l("Texto que se publica"), validators=[Optional(), Length(max=2000)])
    decision = SelectField(_l("Decisión"), choices=[SelectChoice("approved", _l("Publicar")),
                                                   SelectChoice("rejected", _l("No publicar"))])
