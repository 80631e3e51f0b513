"""Signing in and out."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from portal.accounts import services
from portal.accounts.forms import LoginForm
from portal.accounts.permissions import public
from portal.core.views import safe_next
from portal.extensions import limiter

bp = Blueprint("accounts", __name__, url_prefix="/cuenta")


@bp.route("/entrar", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("El correo o la contraseña no son correctos."))
        else:
            session.clear()  # a fresh session at sign-in (no fixation)
            login_user(user, remember=form.remember.data)
            flash(_("Sesión iniciada."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("municipalities.index")))
    return render_template("accounts/login.html", form=form)


@bp.route("/salir", methods=["POST"])
@public
def logout():
    logout_user()
    flash(_("Sesión cerrada."), "success")
    return redirect(url_for("municipalities.index"))
