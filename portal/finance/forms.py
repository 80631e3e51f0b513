from flask_babel import lazy_gettext as _l
from portal.core.bounds import MoneyField
from portal.core.forms import Form
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

KIND_CHOICES = [SelectChoice("lines", _l("Líneas del presupuesto (año, código, nombre, importes por fase)")),
                SelectChoice("facts", _l("Hechos (año, hecho, valor)")),
                SelectChoice("scenario", _l("Líneas de un escenario (año, código, nombre, importe)")),
                SelectChoice("rules", _l("Reglas de proyección (código, método, tasa, desde, hasta, importe)"))]


class ImportForm(Form):
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired(_l("Elija un archivo."))])
    kind = SelectField(_l("Qué contiene"), choices=KIND_CHOICES, default="lines")
    scenario = StringField(_l("Escenario (para líneas de escenario o reglas)"), validators=[Optional(), Length(max=120)])
    base_year = IntegerField(_l("Año base (para reglas)"), validators=[Optional(), NumberRange(1900, 2200)])
    decimal_comma = BooleanField(_l("Los números usan coma decimal (1.234,56)"))
    publish = BooleanField(_l("Publicar al importar"))


class ConfirmForm(Form):
    token = HiddenField(validators=[DataRequired()])


class ActionForm(Form):
    """A button that only needs the CSRF token."""


class RuleForm(Form):
    code = StringField(_l("Código de la línea"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Nombre"), validators=[Optional(), Length(max=200)])
    method = SelectField(_l("Método"), choices=[SelectChoice("percentage", _l("Porcentaje (tasa anual)")),
                                                SelectChoice("average", _l("Promedio de años anteriores")),
                                                SelectChoice("direct", _l("Evaluación directa (importe)")),
                                                SelectChoice("oneoff", _l("Medida única en un año (importe)"))])
    rate = DecimalField(_l("Tasa (0.05 es 5 %)"), places=None, validators=[Optional()])
    from_year = IntegerField(_l("Desde el año"), validators=[DataRequired(), NumberRange(1900, 2200)])
    to_year = IntegerField(_l("Hasta el año"), validators=[Optional(), NumberRange(1900, 2200)])
    amount = MoneyField(_l("Importe"), places=None, validators=[Optional()])


class WithdrawForm(Form):
    """Taking a published year back to draft needs the reason, kept in the change record."""
    reason = TextAreaField(_l("Motivo (queda en el registro de cambios)"),
                           validators=[DataRequired(_l("Escriba el motivo.")), Length(min=5, max=500)])
