from flask_babel import lazy_gettext as _l
from portal.core.forms import Form
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from portal.accounts.addresses import MAX_LENGTH, InvalidAddress, clean_address
from portal.accounts.models import ROLES
from portal.accounts.permissions import ROLE_LABELS, role_label  # noqa: F401 (role_label: used by the admin views)

MIN_PASSWORD = 10

class EmailAddress:
    """WTForms validator with the portal's one address rule (:mod:`portal.accounts.addresses`)."""

    def __call__(self, form, field):
        try:
            clean_address(field.data)
        except InvalidAddress:
            raise ValidationError(_l("Escriba una dirección de correo válida.")) from None


def _email_field(label=None):
    return EmailField(label or _l("Correo electrónico"),
                      validators=[DataRequired(), Length(max=MAX_LENGTH), EmailAddress()])


def _new_password(label=None):
    return PasswordField(label or _l("Contraseña"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD, max=200,
                               message=_l("Use al menos %(n)s caracteres.", n=MIN_PASSWORD))])


def _repeat(field):
    return PasswordField(_l("Repita la contraseña"), validators=[
        DataRequired(), EqualTo(field, message=_l("Las dos contraseñas no coinciden."))])


class LoginForm(Form):
    email = _email_field()
    password = PasswordField(_l("Contraseña"), validators=[DataRequired()])
    remember = BooleanField(_l("Recordarme en este dispositivo"))


class SignupForm(Form):
    display_name = StringField(_l("Nombre que verán los demás"), validators=[Optional(), Length(max=120)])
    email = _email_field()
    password = _new_password()
    confirm = _repeat("password")


class EmailOnlyForm(Form):
    email = _email_field()


class ResetPasswordForm(Form):
    password = _new_password(_l("Nueva contraseña"))
    confirm = _repeat("password")


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Contraseña actual"), validators=[DataRequired()])
    password = _new_password(_l("Nueva contraseña"))
    confirm = _repeat("password")


class ChangeEmailForm(Form):
    email = _email_field(_l("Nueva dirección de correo"))
    password = PasswordField(_l("Contraseña actual"), validators=[DataRequired()])


class DeleteAccountForm(Form):
    password = PasswordField(_l("Contraseña actual"), validators=[DataRequired()])
    sure = BooleanField(_l("Entiendo que mi cuenta se elimina y no se puede recuperar"),
                        validators=[DataRequired(message=_l("Marque la casilla para confirmar."))])


class AcceptInvitationForm(Form):
    display_name = StringField(_l("Nombre que verán los demás"), validators=[Optional(), Length(max=120)])
    password = _new_password()
    confirm = _repeat("password")


class InviteForm(Form):
    email = _email_field()
    role = SelectField(_l("Rol"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], validators=[DataRequired()])


class GrantRoleForm(Form):
    role = SelectField(_l("Rol"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], validators=[DataRequired()])


class FirstAdminForm(Form):
    municipality = SelectField(_l("Municipio"), validators=[DataRequired()])
    email = _email_field(_l("Correo de la primera persona administradora"))


class PostForm(Form):
    """A form with only its CSRF token (for one-button actions)."""
