"""Signing up, in and out; confirming, resetting, changing and deleting one's account."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.accounts import services
from portal.accounts.forms import (AcceptInvitationForm, ChangeEmailForm, ChangePasswordForm,
                                   DeleteAccountForm, EmailOnlyForm, LoginForm, ResetPasswordForm,
                                   SignupForm)
from portal.accounts.permissions import public, signed_in
from portal.core.views import safe_next
from portal.extensions import db, limiter

bp = Blueprint("accounts", __name__, url_prefix="/cuenta")

# Visitor-facing forms: per address (IP) on every attempt ...
ATTEMPTS = "10 per minute; 50 per hour"
# ... and per e-mail address on failed sign-ins only, so guessing one account's
# password slows to a crawl whatever the number of addresses the guesser uses.
FAILURES = "5 per 15 minutes; 20 per day"


# Messages sent to one address (sign-up, reset): per e-mail, so nobody floods a mailbox
# from many addresses.
MAILS = "3 per hour; 10 per day"


def _submitted_email():
    return "signin-failures:" + services.normalize_email(request.form.get("email", ""))


def _mailed_email():
    return "mails-to:" + services.normalize_email(request.form.get("email", ""))


def _no_email():
    return not request.form.get("email", "").strip()


def _failed(response):
    return response.status_code == 200  # the form came back with an error


def _sign_in(user, remember=False):
    session.clear()  # a fresh session at sign-in (no fixation)
    login_user(user, remember=remember)


def _invalid_link():
    return render_template("accounts/link_invalid.html"), 400


@bp.route("/entrar", methods=["GET", "POST"])
@limiter.limit(ATTEMPTS, methods=["POST"])
@limiter.limit(FAILURES, methods=["POST"], key_func=_submitted_email, deduct_when=_failed)
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("El correo o la contraseña no son correctos."))
        elif user.confirmed_at is None:
            services.send_confirmation(user)
            db.session.commit()
            flash(_("Confirme primero su dirección de correo: le enviamos un nuevo enlace."), "info")
            return redirect(url_for("accounts.login"))
        else:
            _sign_in(user, form.remember.data)
            flash(_("Sesión iniciada."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("municipalities.index")))
    return render_template("accounts/login.html", form=form)


@bp.route("/salir", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        services.sign_out(current_user._get_current_object())
        db.session.commit()
    logout_user()
    flash(_("Sesión cerrada."), "success")
    return redirect(url_for("municipalities.index"))


@bp.route("/registro", methods=["GET", "POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
@limiter.limit(MAILS, methods=["POST"], key_func=_mailed_email, exempt_when=_no_email)
@public
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        services.register(form.email.data, form.password.data, form.display_name.data or "")
        db.session.commit()
        flash(_("Le enviamos un mensaje a %(email)s. Abra el enlace que contiene para confirmar "
                "su cuenta.", email=services.normalize_email(form.email.data)), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/signup.html", form=form)


@bp.route("/confirmar/<token>")
@public
def confirm(token):
    user = services.confirm(token)
    if user is None:
        return _invalid_link()
    db.session.commit()
    flash(_("Su dirección quedó confirmada. Ya puede entrar."), "success")
    return redirect(url_for("accounts.profile" if current_user.is_authenticated else "accounts.login"))


@bp.route("/contrasena/olvido", methods=["GET", "POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
@limiter.limit(MAILS, methods=["POST"], key_func=_mailed_email, exempt_when=_no_email)
@public
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("Si la dirección tiene una cuenta, le llegará un enlace para elegir una nueva "
                "contraseña. Revise su correo."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/contrasena/nueva/<token>", methods=["GET", "POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
@public
def reset_password(token):
    if services.user_for_reset(token) is None:
        return _invalid_link()
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        db.session.commit()
        flash(_("Su contraseña cambió. Entre con la nueva."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/perfil")
@signed_in
def profile():
    memberships = sorted(current_user.memberships, key=lambda m: (m.municipality.name, m.role))
    return render_template("accounts/profile.html", memberships=memberships)


@bp.route("/contrasena", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session; others end
            flash(_("Contraseña cambiada. Las demás sesiones se cerraron."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/correo", methods=["GET", "POST"])
@signed_in
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.password.data, form.email.data)
        except services.AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Le enviamos un enlace a %(email)s. El cambio se hace cuando lo abra.",
                    email=services.normalize_email(form.email.data)), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/correo/confirmar/<token>")
@public
def confirm_email_change(token):
    try:
        user = services.confirm_email_change(token)
    except services.AccountError:
        user = None
    if user is None:
        return _invalid_link()
    db.session.commit()
    flash(_("Su nueva dirección de correo quedó confirmada."), "success")
    return redirect(url_for("accounts.profile" if current_user.is_authenticated else "accounts.login"))


@bp.route("/eliminar", methods=["GET", "POST"])
@signed_in
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data)
        except services.AccountError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Su cuenta fue eliminada. Sus aportes públicos se conservan sin su nombre."), "success")
            return redirect(url_for("municipalities.index"))
    return render_template("accounts/delete_account.html", form=form)


@bp.route("/invitacion/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public
def accept_invitation(token):
    invitation = services.read_invitation(token)
    if invitation is None:
        return _invalid_link()
    signed_in_as = current_user if current_user.is_authenticated else None
    has_account = signed_in_as is None and services.find_by_email(invitation.email) is not None
    form = AcceptInvitationForm() if signed_in_as is None else EmailOnlyForm(email=signed_in_as.email)
    if request.method == "POST" and not has_account and (signed_in_as is not None or form.validate_on_submit()):
        try:
            user = services.accept_invitation(
                invitation, user=signed_in_as,
                password=form.password.data if signed_in_as is None else "",
                display_name=form.display_name.data if signed_in_as is None else "")
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            if signed_in_as is None:
                _sign_in(user)
            flash(_("Ahora colabora con %(name)s.", name=invitation.municipality.name), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/invitation.html", invitation=invitation, form=form,
                           has_account=has_account, signed_in_as=signed_in_as)
