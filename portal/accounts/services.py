"""Use cases for people: accounts, their e-mailed links, roles per municipality.

Answers never reveal whether an address has an account: the functions a visitor
can reach with an arbitrary address (:func:`register`, :func:`request_password_reset`)
return nothing and send, at most, a message to that address.
"""
from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from werkzeug.security import generate_password_hash

from portal.accounts import tokens
from portal.accounts.addresses import InvalidAddress, clean_address
from portal.accounts.models import ROLES, Invitation, Membership, User
from portal.core import mail
from portal.core.clock import utcnow
from portal.extensions import db
from portal.municipalities.models import Municipality

MIN_PASSWORD = 10
ANONYMOUS_NAME = "—"


class AccountError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    email = normalize_email(email)
    if not email:
        return None
    return db.session.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none()


def _check_password_rule(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError("password", _l("La contraseña necesita al menos %(n)s caracteres.", n=MIN_PASSWORD))


def valid_email(email: str) -> str:
    """The address as stored (see :mod:`portal.accounts.addresses`), or AccountError."""
    try:
        return clean_address(email)
    except InvalidAddress:
        raise AccountError("email", _l("«%(address)s» no es una dirección de correo válida.",
                                      address=(email or "")[:80])) from None


def create_user(email: str, password: str, *, display_name: str = "", confirmed: bool = False,
                platform_admin: bool = False) -> User:
    email = valid_email(email)
    if find_by_email(email) is not None:
        raise AccountError("email", _l("Esa dirección ya tiene una cuenta."))
    _check_password_rule(password)
    user = User(email=email, display_name=(display_name or email.split("@")[0])[:120],
                is_platform_admin=platform_admin, confirmed_at=utcnow() if confirmed else None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


# --- e-mailed links -------------------------------------------------------------

def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _send(to: str, subject: str, template: str, **context) -> None:
    body = render_template(f"accounts/email/{template}.txt", **context)
    mail.send(to, subject, body)


def send_confirmation(user: User) -> None:
    token = tokens.make(_secret(), tokens.CONFIRM, {"uid": user.id, "email": user.email})
    _send(user.email, _("Confirme su correo en Cabildo"), "confirm", user=user,
          link=url_for("accounts.confirm", token=token, _external=True))


def register(email: str, password: str, display_name: str = "") -> None:
    """Sign up. A new address gets a confirmation link; a known one gets a notice
    (a new link if still unconfirmed). The caller answers the same either way."""
    existing = find_by_email(email)
    if existing is None:
        user = create_user(email, password, display_name=display_name)
        send_confirmation(user)
        return
    generate_password_hash(password or "")  # spend the same time as a real sign-up
    if existing.confirmed_at is None and existing.is_active:
        send_confirmation(existing)
    else:
        _send(existing.email, _("Ya tiene una cuenta en Cabildo"), "already_registered",
              login_link=url_for("accounts.login", _external=True),
              reset_link=url_for("accounts.forgot_password", _external=True))


def confirm(token: str) -> User | None:
    """Confirm the address a confirmation link was sent to; None if the link is bad."""
    payload = tokens.read(_secret(), tokens.CONFIRM, token)
    if not payload:
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or not user.is_active or user.email != payload.get("email"):
        return None
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
        db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None or not user.is_active:
        # Spend the same time as a real check so timing does not reveal accounts.
        User(password_hash="scrypt:32768:8:1$x$" + "0" * 128).check_password(password or "")
        return None
    return user if user.check_password(password or "") else None


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the address has an active account; silent otherwise."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    token = tokens.make(_secret(), tokens.RESET,
                        {"uid": user.id, "fp": tokens.fingerprint(user.password_hash)})
    _send(user.email, _("Restablecer su contraseña de Cabildo"), "reset", user=user,
          link=url_for("accounts.reset_password", token=token, _external=True))


def user_for_reset(token: str) -> User | None:
    """The user a reset link is for, while the link is valid and the password unchanged."""
    payload = tokens.read(_secret(), tokens.RESET, token)
    if not payload:
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or not user.is_active or tokens.fingerprint(user.password_hash) != payload.get("fp"):
        return None
    return user


def reset_password(token: str, password: str) -> User | None:
    user = user_for_reset(token)
    if user is None:
        return None
    _check_password_rule(password)
    user.set_password(password)
    if user.confirmed_at is None:  # the link proved the address
        user.confirmed_at = utcnow()
    db.session.flush()
    return user


def _require_password(user: User, password: str, field: str = "current_password") -> None:
    if not user.check_password(password or ""):
        raise AccountError(field, _("La contraseña actual no es correcta."))


def change_password(user: User, current: str, new: str) -> None:
    """Change the password; every other session of the user is signed out."""
    _require_password(user, current)
    _check_password_rule(new)
    user.set_password(new)
    db.session.flush()


def request_email_change(user: User, password: str, new_email: str) -> None:
    """Send a link to the new address; the change happens when it is followed."""
    _require_password(user, password, "password")
    new_email = valid_email(new_email)
    if new_email == user.email:
        raise AccountError("email", _("Esa ya es su dirección de correo."))
    if find_by_email(new_email) is not None:
        # Tell only the owner of that address; the person asking sees the usual answer.
        _send(new_email, _("Alguien quiso usar su dirección en Cabildo"), "email_taken")
        return
    token = tokens.make(_secret(), tokens.EMAIL_CHANGE,
                        {"uid": user.id, "old": user.email, "new": new_email})
    _send(new_email, _("Confirme su nueva dirección de correo"), "email_change", user=user,
          link=url_for("accounts.confirm_email_change", token=token, _external=True))


def confirm_email_change(token: str) -> User | None:
    payload = tokens.read(_secret(), tokens.EMAIL_CHANGE, token)
    if not payload:
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or not user.is_active or user.email != payload.get("old"):
        return None
    if find_by_email(payload.get("new")) is not None:
        raise AccountError("email", _("Esa dirección ya tiene una cuenta."))
    user.email = payload["new"]
    user.confirmed_at = utcnow()
    db.session.flush()
    return user


def delete_account(user: User, password: str) -> None:
    """Anonymize the account: contributions stay, personal data and roles go.

    The change record keeps its entries (the role and the hash chain are untouched);
    only the link to the person (``actor_id``, outside the hashed content) is cleared.
    """
    from portal.audit.services import forget_actor

    _require_password(user, password, "password")
    sole = sole_admin_of(user)
    if sole:
        raise AccountError("sure", _("Usted es la única persona administradora de %(names)s. Invite a otra "
                                     "persona como administradora antes de eliminar su cuenta.",
                                     names=", ".join(sole)))
    forget_actor(user.id)
    user.memberships.clear()
    user.email = None
    user.display_name = ANONYMOUS_NAME
    user.password_hash = None
    user.is_platform_admin = False
    user.deleted_at = utcnow()
    user.end_sessions()
    db.session.flush()


# --- roles and invitations --------------------------------------------------------

def sole_admin_of(user: User) -> list[str]:
    """Names of the municipalities where ``user`` is the only admin (one query)."""
    other = aliased(Membership)
    others = (select(func.count(other.id)).where(other.municipality_id == Membership.municipality_id,
                                                 other.role == "admin", other.user_id != user.id)
              .scalar_subquery())
    return list(db.session.execute(
        select(Municipality.name).join(Membership, Membership.municipality_id == Municipality.id)
        .where(Membership.user_id == user.id, Membership.role == "admin", others == 0)
        .order_by(Municipality.name)).scalars())


def grant(user: User, municipality, role: str) -> Membership:
    if role not in ROLES:
        raise AccountError("role", _l("Rol desconocido «%(role)s»; use uno de %(roles)s.", role=role,
                                         roles=", ".join(ROLES)))
    existing = db.session.execute(select(Membership).filter_by(
        user_id=user.id, municipality_id=municipality.id, role=role)).scalar_one_or_none()
    if existing:
        return existing
    membership = Membership(user=user, municipality_id=municipality.id, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def revoke(municipality, membership_id: int) -> Membership | None:
    """Remove one role; refuses to remove the municipality's last admin."""
    membership = db.session.execute(select(Membership).where(
        Membership.id == membership_id, Membership.municipality_id == municipality.id)).scalar_one_or_none()
    if membership is None:
        return None
    if membership.role == "admin":
        admins = db.session.execute(select(func.count(Membership.id)).where(
            Membership.municipality_id == municipality.id, Membership.role == "admin")).scalar_one()
        if admins <= 1:
            raise AccountError("role", _("No se puede quitar al último administrador del municipio."))
    db.session.delete(membership)
    db.session.flush()
    return membership


def members(municipality) -> list[tuple[User, list[Membership]]]:
    """People holding roles in the municipality, with their memberships (one query)."""
    rows = db.session.execute(
        select(Membership, User).join(User, Membership.user_id == User.id)
        .where(Membership.municipality_id == municipality.id)
        .order_by(User.email, Membership.role)).all()
    grouped: dict[int, tuple[User, list[Membership]]] = {}
    for membership, user in rows:
        grouped.setdefault(user.id, (user, []))[1].append(membership)
    return list(grouped.values())


def invite(municipality, email: str, role: str) -> Invitation:
    """Record the invitation and e-mail its signed link (creates the account if needed
    and grants the role; works once, for 7 days, unless cancelled)."""
    if role not in ROLES:
        raise AccountError("role", _l("Rol desconocido «%(role)s».", role=role))
    invitation = Invitation(municipality_id=municipality.id, email=valid_email(email), role=role)
    db.session.add(invitation)
    db.session.flush()
    token = tokens.make(_secret(), tokens.INVITE, {"i": invitation.id, "email": invitation.email})
    _send(invitation.email, _("Invitación a %(name)s en Cabildo", name=municipality.name), "invite",
          municipality=municipality, role=role,
          link=url_for("accounts.accept_invitation", token=token, _external=True))
    return invitation


def read_invitation(token: str) -> Invitation | None:
    """The pending invitation a link stands for, or None (bad, expired, used or cancelled)."""
    payload = tokens.read(_secret(), tokens.INVITE, token)
    if not payload:
        return None
    invitation = db.session.get(Invitation, payload.get("i"))
    if invitation is None or not invitation.is_pending or invitation.email != payload.get("email"):
        return None
    return invitation


def accept_invitation(invitation: Invitation, *, user: User | None = None, password: str = "",
                      display_name: str = "") -> User:
    """Grant the invited role to ``user`` (already signed in with the invited address),
    or create the account, confirmed because the link proved the address."""
    if user is None:
        user = create_user(invitation.email, password, display_name=display_name, confirmed=True)
    elif normalize_email(user.email) != invitation.email:
        raise AccountError("email", _("Esta invitación es para otra dirección de correo."))
    grant(user, invitation.municipality, invitation.role)
    invitation.accepted_at = utcnow()
    db.session.flush()
    return user


def pending_invitations(municipality) -> list[Invitation]:
    return list(db.session.execute(select(Invitation).where(
        Invitation.municipality_id == municipality.id, Invitation.accepted_at.is_(None),
        Invitation.cancelled_at.is_(None)).order_by(Invitation.created_at.desc(), Invitation.id.desc())).scalars())


def cancel_invitation(municipality, invitation_id: int) -> Invitation | None:
    invitation = db.session.execute(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.municipality_id == municipality.id)).scalar_one_or_none()
    if invitation is None:
        return None
    if invitation.is_pending:
        invitation.cancelled_at = utcnow()
        db.session.flush()
    return invitation


def sign_out(user: User) -> None:
    """End the session on the server too: a copied session or remember cookie stops
    working (and so do the person's sessions on other devices)."""
    user.end_sessions()
    db.session.flush()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<session_version>"``."""
    try:
        raw_id, version = user_id.split(":")
        user = db.session.get(User, int(raw_id))
    except (ValueError, AttributeError):
        return None
    if user is None or str(user.session_version) != version or not user.is_active:
        return None
    return user
