"""Forms of the revenue-potential staff pages."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from portal.core.bounds import MoneyField
from portal.core.forms import Form, SubForm


class RevenueImportForm(Form):
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired(_l("Elija un archivo."))])
    year = IntegerField(_l("Año de las cifras (percibido y devengado)"),
                        validators=[InputRequired(_l("Indique el año de las cifras.")),
                                    NumberRange(1900, 2200, _l("Un año entre 1900 y 2200."))])
    decimal_comma = BooleanField(_l("Los números usan coma decimal (1.234,56)"))
    publish = BooleanField(_l("Publicar al guardar"))


class RowRuleForm(Form):
    """A row of the table as a projection rule of a scenario."""
    row = SelectField(_l("Fila de la tabla"), coerce=int, validate_choice=True)
    scenario = SelectField(_l("Escenario"), coerce=int, validate_choice=True)
    mode = SelectField(_l("Cómo entra en la proyección"),
                       choices=[SelectChoice("once", _l("Una sola vez, en el año indicado")),
                                SelectChoice("from", _l("Desde el año indicado en adelante"))])
    year = IntegerField(_l("Año"), validators=[InputRequired(_l("Indique el año.")),
                                               NumberRange(1900, 2200, _l("Un año entre 1900 y 2200."))])


class FeeReformForm(SubForm):
    """A fee reform to simulate (a GET form on the public page: no account, no token)."""
    service = SelectField(_l("Servicio"), validate_choice=True)
    fee = MoneyField(_l("Nueva tarifa mensual"), places=None,
                     validators=[InputRequired(_l("Indique la tarifa.")), NumberRange(0, 1_000_000)])
    payers = IntegerField(_l("Contribuyentes esperados"),
                          validators=[InputRequired(_l("Indique los contribuyentes.")), NumberRange(0, 10_000_000)])
    collection_rate = DecimalField(_l("Tasa de cobro (0.90 es 90 %)"), places=None,
                                   validators=[InputRequired(_l("Indique la tasa de cobro.")),
                                               NumberRange(0, 1, _l("Entre 0 y 1 (0.90 es el 90 por ciento)."))])


class ReformScenarioForm(Form):
    """A fee reform of a service of a cost study, into a scenario from a year on."""
    service = SelectField(_l("Servicio"), coerce=int, validate_choice=True)
    fee = MoneyField(_l("Nueva tarifa mensual"), places=None,
                     validators=[InputRequired(_l("Indique la tarifa.")), NumberRange(0, 1_000_000)])
    payers = IntegerField(_l("Contribuyentes esperados"),
                          validators=[InputRequired(_l("Indique los contribuyentes.")), NumberRange(0, 10_000_000)])
    collection_rate = DecimalField(_l("Tasa de cobro (0.90 es 90 %)"), places=None,
                                   validators=[InputRequired(_l("Indique la tasa de cobro.")),
                                               NumberRange(0, 1, _l("Entre 0 y 1 (0.90 es el 90 por ciento)."))])
    scenario = SelectField(_l("Escenario"), coerce=int, validate_choice=True)
    year = IntegerField(_l("Desde el año"), validators=[InputRequired(_l("Indique el año.")),
                                                        NumberRange(1900, 2200, _l("Un año entre 1900 y 2200."))])


KEY_CHOICES = [SelectChoice("direct", _l("Por los costos directos")),
               SelectChoice("households", _l("Por los hogares servidos")),
               SelectChoice("share", _l("Por la proporción de cada servicio"))]


class CostImportForm(Form):
    """The staff upload of a year's cost study (the columns of ``finance costs``)."""
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired(_l("Elija un archivo."))])
    year = IntegerField(_l("Año del estudio"), validators=[InputRequired(_l("Indique el año del estudio.")),
                                                          NumberRange(1900, 2200, _l("Un año entre 1900 y 2200."))])
    indirect = MoneyField(_l("Costos indirectos a repartir (al año)"), places=None, default=Decimal(0),
                          validators=[InputRequired(_l("Indique los costos indirectos (0 si no hay).")),
                                      NumberRange(0, None, _l("Los costos indirectos no pueden ser negativos."))])
    key = SelectField(_l("Cómo se reparten los costos indirectos"), choices=KEY_CHOICES, default="direct")
    decimal_comma = BooleanField(_l("Los números usan coma decimal (1.234,56)"))
    publish = BooleanField(_l("Publicar al guardar"))
