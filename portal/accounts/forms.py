from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from portal.accounts.models import ROLES

MIN_PASSWORD = 10

ROLE_LABELS = {
    "editor": _l("Edición (personal municipal)"),
    "publisher": _l("Publicación (concejo o delegado)"),
    "moderator": _l("Moderación"),
    "admin": _l("Administración"),
    "verifier": _l("Verificación externa"),
    "platform_admin": _l("Administración de la plataforma"),
    "resident": _l("Residente"),
    "anonymous": _l("Visitante"),
    "system": _l("Sistema"),
    "cli": _l("Línea de comandos"),
    "demo": _l("Carga de datos de ejemplo"),
    "demo": _l("Datos de demostración"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def _email_field(label=None):
    return EmailField(label or _l("Correo electrónico"),
                      validators=[DataRequired(), Email(message=_l("Escriba una dirección de correo válida.")),
                                  Length(max=254)])


def _new_password(label=None):
    return PasswordField(label or _l("Contraseña"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD, max=200,
                               message=_l("Use al menos %(n)s caracteres.", n=MIN_PASSWORD))])


def _repeat(field):
    return PasswordField(_l("Repita la contraseña"), validators=[
        DataRequired(), EqualTo(field, message=_l("Las dos contraseñas no coinciden."))])


class LoginForm(FlaskForm):
    email = EmailField(_l("Correo electrónico"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Contraseña"), validators=[DataRequired()])
    remember = BooleanField(_l("Recordarme en este dispositivo"))


class SignupForm(FlaskForm):
    display_name = StringField(_l("Nombre que verán los demás"), validators=[Optional(), Length(max=120)])
    email = _email_field()
    password = _new_password()
    confirm = _repeat("password")


class EmailOnlyForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password(_l("Nueva contraseña"))
    confirm = _repeat("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Contraseña actual"), validators=[DataRequired()])
    password = _new_password(_l("Nueva contraseña"))
    confirm = _repeat("password")


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("Nueva dirección de correo"))
    password = PasswordField(_l("Contraseña actual"), validators=[DataRequired()])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Contraseña actual"), validators=[DataRequired()])
    sure = BooleanField(_l("Entiendo que mi cuenta se elimina y no se puede recuperar"),
                        validators=[DataRequired(message=_l("Marque la casilla para confirmar."))])


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(_l("Nombre que verán los demás"), validators=[Optional(), Length(max=120)])
    password = _new_password()
    confirm = _repeat("password")


class InviteForm(FlaskForm):
    email = _email_field()
    role = SelectField(_l("Rol"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], validators=[DataRequired()])


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Rol"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], validators=[DataRequired()])


class FirstAdminForm(FlaskForm):
    municipality = SelectField(_l("Municipio"), validators=[DataRequired()])
    email = _email_field(_l("Correo de la primera persona administradora"))


class PostForm(FlaskForm):
    """A form with only its CSRF token (for one-button actions)."""
