from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Correo electrónico"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Contraseña"), validators=[DataRequired()])
    remember = BooleanField(_l("Recordarme en este dispositivo"))
