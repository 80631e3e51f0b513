"""Forms for residents and staff. The report form grows one field per extra question of
the chosen category (:func:`report_form_for`)."""
from flask_babel import lazy_gettext as _l
from portal.core.forms import Form
from flask_wtf.file import FileField
from wtforms import (BooleanField, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ReportForm(Form):
    description = TextAreaField(_l("¿Qué pasa?"), validators=[DataRequired(message=_l("Describa el problema.")),
                                                             Length(max=4000)])
    district = SelectField(_l("Distrito"), coerce=optional_int, validators=[Optional()], validate_choice=False)
    neighbourhood = SelectField(_l("Barrio, colonia o caserío"), coerce=optional_int, validators=[Optional()],
                                validate_choice=False)
    address = StringField(_l("Dirección o punto de referencia"), validators=[
        DataRequired(message=_l("Diga dónde está el problema.")), Length(max=300)])
    lat = StringField(_l("Latitud (opcional)"), validators=[Optional(), Length(max=20)])
    long = StringField(_l("Longitud (opcional)"), validators=[Optional(), Length(max=20)])
    photo = FileField(_l("Foto (opcional, JPEG, PNG o WebP, hasta 8 MB)"))
    photo_name = HiddenField()
    contact_name = StringField(_l("Nombre (opcional)"), validators=[Optional(), Length(max=160)])
    contact_email = StringField(_l("Correo electrónico (opcional, para avisarle de cada cambio)"), validators=[
        Optional(), Length(max=254), Regexp(EMAIL, message=_l("Escriba un correo como nombre@ejemplo.com."))])
    contact_phone = StringField(_l("Teléfono (opcional)"), validators=[Optional(), Length(max=40)])
    website = StringField(_l("Deje este campo vacío"), validators=[Optional()])  # honeypot
    idempotency_key = HiddenField()
    confirm_new = HiddenField()


def report_form_for(category, formdata=None):
    """A ReportForm with one field per extra question (``attr_<code>``) of the category."""
    class CategoryReportForm(ReportForm):
        pass

    questions = []
    for attribute in category.attributes:
        if not attribute.variable:
            continue
        name = "attr_" + attribute.code
        validators = [DataRequired(message=_l("Responda esta pregunta."))] if attribute.required else [Optional()]
        label = attribute.description or attribute.code
        if attribute.datatype == "singlevaluelist":
            field = RadioField(label, choices=choices(attribute.values), validators=validators)
        elif attribute.datatype == "multivaluelist":
            field = MultiCheckboxField(label, choices=choices(attribute.values), validators=validators)
        elif attribute.datatype == "text":
            field = TextAreaField(label, validators=validators + [Length(max=2000)])
        else:
            field = StringField(label, validators=validators + [Length(max=200)],
                                description=attribute.datatype_description)
        setattr(CategoryReportForm, name, field)
        questions.append((name, attribute))
    form = CategoryReportForm(formdata=formdata) if formdata is not None else CategoryReportForm()
    form.questions = [(form[name], attribute) for name, attribute in questions]
    return form


class TrackForm(Form):
    class Meta:
        csrf = False

    codigo = StringField(_l("Código de seguimiento"), validators=[DataRequired(), Length(max=20)])


class ConfirmForm(Form):
    answer = RadioField(_l("¿Quedó realmente resuelto?"), choices=choices([
        ("yes", _l("Sí")), ("partly", _l("En parte")), ("no", _l("No"))]),
        validators=[DataRequired(message=_l("Elija una respuesta."))])
    comment = TextAreaField(_l("Comentario (opcional)"), validators=[Optional(), Length(max=1000)])


class SupportForm(Form):
    pass


class VersionedForm(Form):
    version = HiddenField(validators=[DataRequired()])


class StatusForm(VersionedForm):
    status = SelectField(_l("Nuevo estado"), choices=choices([
        ("received", _l("Recibido")), ("in_progress", _l("En proceso")), ("fixed", _l("Resuelto")),
        ("not_ours", _l("No es competencia municipal")), ("wont_fix", _l("No se atenderá")),
        ("duplicate", _l("Duplicado"))]))
    reason = TextAreaField(_l("Adónde acudir o por qué no se atenderá (obligatorio en esos estados)"),
                           validators=[Optional(), Length(max=2000)])
    duplicate_of = StringField(_l("Número del reporte original (si es duplicado)"),
                               validators=[Optional(), Length(max=20)])
    note = TextAreaField(_l("Nota pública (opcional)"), validators=[Optional(), Length(max=4000)])


class AssignForm(VersionedForm):
    unit = SelectField(_l("Unidad responsable"), coerce=optional_int, validate_choice=False)


class UpdateForm(VersionedForm):
    body = TextAreaField(_l("Texto"), validators=[DataRequired(message=_l("Escriba la actualización.")),
                                                  Length(max=4000)])
    visibility = RadioField(_l("Visibilidad"), choices=choices([
        ("public", _l("Actualización pública (la ve el vecino)")), ("note", _l("Nota interna"))]),
        default="public", validators=[DataRequired()])


class HideForm(VersionedForm):
    reason = StringField(_l("Motivo"), validators=[Optional(), Length(max=300)])


class ModerateForm(VersionedForm):
    description = TextAreaField(_l("Texto público del reporte"), validators=[DataRequired(), Length(max=4000)])
    remove_photo = BooleanField(_l("Quitar la foto"))
    reason = StringField(_l("Motivo de la moderación"), validators=[DataRequired(), Length(max=300)])


class ApiKeyForm(Form):
    app_name = StringField(_l("Nombre de la aplicación"), validators=[DataRequired(), Length(max=120)])


class CategoryEditForm(Form):
    name = StringField(_l("Nombre del servicio"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(_l("Descripción"), validators=[Optional(), Length(max=2000)])
    service_days = IntegerField(_l("Plazo de atención (días)"),
                                validators=[DataRequired(), NumberRange(min=1, max=365)])
    default_unit = SelectField(_l("Unidad responsable por defecto"), coerce=optional_int, validate_choice=False)
    active = BooleanField(_l("Recibe reportes"), default=True)


class CategoryForm(CategoryEditForm):
    code = StringField(_l("Código (para la API)"), validators=[
        DataRequired(), Regexp(r"^[a-z0-9][a-z0-9-]{0,39}$", message=_l("Minúsculas, dígitos y guiones."))])


class UnitForm(Form):
    name = StringField(_l("Nombre de la unidad"), validators=[DataRequired(), Length(max=160)])
    email = StringField(_l("Correo de la unidad (recibe los avisos de reaperturas)"), validators=[
        Optional(), Length(max=254), Regexp(EMAIL, message=_l("Escriba un correo como nombre@ejemplo.com."))])


class QuestionForm(Form):
    code = StringField(_l("Código (attribute[CÓDIGO] en la API)"), validators=[
        DataRequired(), Regexp(r"^[A-Za-z0-9_-]{1,40}$", message=_l("Letras, dígitos, guion o guion bajo."))])
    description = StringField(_l("Pregunta"), validators=[DataRequired(), Length(max=500)])
    datatype = SelectField(_l("Tipo de respuesta"), choices=choices([
        ("string", _l("Texto corto")), ("text", _l("Texto largo")), ("number", _l("Número")),
        ("datetime", _l("Fecha y hora")), ("singlevaluelist", _l("Una opción")),
        ("multivaluelist", _l("Varias opciones"))]))
    required = BooleanField(_l("Obligatoria"))
    options = TextAreaField(_l("Opciones (una por línea: clave=Nombre)"), validators=[Optional(), Length(max=4000)])


class NeighbourhoodForm(Form):
    district = SelectField(_l("Distrito"), coerce=optional_int, validate_choice=False)
    name = StringField(_l("Barrio, colonia o caserío"), validators=[DataRequired(), Length(max=120)])
