"""Forms of the comparison pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import Length, Optional


class ExternalImportForm(FlaskForm):
    file = FileField(_l("Archivo CSV o XLSX"), validators=[FileRequired(_l("Elija un archivo."))])
    source = StringField(_l("Fuente (si el archivo no tiene la columna «fuente»)"),
                         validators=[Optional(), Length(max=120)])
    published_on = DateField(_l("Fecha de publicación (si el archivo no tiene la columna «fecha»)"),
                             validators=[Optional()])
    url = StringField(_l("Enlace a la fuente"), validators=[Optional(), Length(max=500)])
    country = StringField(_l("País (código de dos letras, si los códigos se repiten entre países)"),
                          validators=[Optional(), Length(min=2, max=2)])
    decimal_comma = BooleanField(_l("Los números usan coma decimal (1.234,56)"))


class ActionForm(FlaskForm):
    """A button that only needs its CSRF token."""
