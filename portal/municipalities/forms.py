from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DecimalField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from portal.core.bounds import Bounded, decimal_value
from portal.core.forms import Form
from portal.municipalities.services import LATITUDE, LONGITUDE


class MunicipalityForm(Form):
    code = StringField(_l("Código nacional de estadística"), validators=[Optional(), Length(max=20)])
    slug = StringField(_l("Identificador (slug)"), validators=[
        DataRequired(), Regexp(r"^[a-z0-9][a-z0-9-]{1,58}$", message=_l("Use de 2 a 59 minúsculas, dígitos o guiones."))])
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=120)])
    country = StringField(_l("País (código ISO de 2 letras)"), validators=[
        DataRequired(), Regexp(r"^[A-Za-z]{2}$", message=_l("Use un código de 2 letras, por ejemplo SV."))])
    department = StringField(_l("Departamento o estado"), validators=[Optional(), Length(max=120)])
    population = IntegerField(_l("Población"), validators=[Optional(), NumberRange(min=0)])
    currency = StringField(_l("Moneda (código ISO de 3 letras)"), default="USD", validators=[
        DataRequired(), Regexp(r"^[A-Za-z]{3}$", message=_l("Use un código de 3 letras, por ejemplo USD."))])
    locale = StringField(_l("Formato regional (por ejemplo es_SV)"), validators=[Optional(), Length(max=10)])
    timezone = StringField(_l("Zona horaria (por ejemplo America/El_Salvador; vacía: la del país)"),
                           validators=[Optional(), Length(max=60)])
    districts = TextAreaField(_l("Distritos (uno por línea)"), validators=[Optional()])


class ImportForm(Form):
    """Step 1 of the import: the file (CSV or XLSX) and, optionally, its country."""
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired(_l("Elija un archivo."))])
    country = StringField(_l("País (código de dos letras, para las filas sin país)"), validators=[
        Optional(), Regexp(r"^[A-Za-z]{2}$", message=_l("Use un código de 2 letras, por ejemplo SV."))])


class CodeForm(Form):
    code = StringField(_l("Código nacional de estadística"), validators=[Optional(), Length(max=20)])
    latitude = DecimalField(_l("Latitud"), places=None,
                            validators=[Optional(), Bounded(decimal_value, **LATITUDE)])
    longitude = DecimalField(_l("Longitud"), places=None,
                             validators=[Optional(), Bounded(decimal_value, **LONGITUDE)])
