"""Forms of the comparison pages."""
from flask_babel import lazy_gettext as _l
from portal.core.bounds import MoneyField
from portal.core.forms import Form
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, DecimalField, StringField
from wtforms.validators import Length, NumberRange, Optional


class ExternalImportForm(Form):
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired(_l("Elija un archivo."))])
    source = StringField(_l("Fuente (si el archivo no tiene la columna «fuente»)"),
                         validators=[Optional(), Length(max=120)])
    published_on = DateField(_l("Fecha de publicación (si el archivo no tiene la columna «fecha»)"),
                             validators=[Optional()])
    url = StringField(_l("Enlace a la fuente"), validators=[Optional(), Length(max=500)])
    country = StringField(_l("País (código de dos letras, si los códigos se repiten entre países)"),
                          validators=[Optional(), Length(min=2, max=2)])
    decimal_comma = BooleanField(_l("Los números usan coma decimal (1.234,56)"))


class ActionForm(Form):
    """A button that only needs its CSRF token."""


class CapacityForm(Form):
    """Declared capacity inputs; shares are typed as percentages."""
    urban_share = DecimalField(_l("Población urbana (% de los habitantes)"), places=None,
                               validators=[Optional(), NumberRange(0, 100, _l("Entre 0 y 100."))])
    poverty_rate = DecimalField(_l("Pobreza (% de los habitantes)"), places=None,
                                validators=[Optional(), NumberRange(0, 100, _l("Entre 0 y 100."))])
    own_revenue_pc = MoneyField(_l("Ingresos propios por habitante (solo si no publica su presupuesto)"),
                                  places=None, validators=[Optional(), NumberRange(0, None, _l("No puede ser negativo."))])
    budget_pc = MoneyField(_l("Presupuesto por habitante (solo si no publica su presupuesto)"), places=None,
                             validators=[Optional(), NumberRange(0, None, _l("No puede ser negativo."))])
    source = StringField(_l("Fuente (censo, encuesta, año)"), validators=[Optional(), Length(max=300)])
