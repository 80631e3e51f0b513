"""Who may do what. Every view carries exactly one of these decorators.

The decorator also records the view's access level on the function
(``view.access``), which the route-walking test reads to prove that no route was
left without a policy.

Role implications: ``admin`` may do everything staff may do in its municipality;
``publisher`` may also edit. Signed-in people who hold no role in the municipality
are refused with 403 on staff pages; objects of another municipality answer 404
because every query filters by the municipality of the URL.
"""
from functools import wraps

from flask import abort, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.core.access import mark as _mark
from portal.core.access import public  # noqa: F401 - the core's marker, beside the policies below
from portal.extensions import login_manager

IMPLIED = {
    "admin": {"editor", "publisher", "moderator", "admin", "verifier"},
    "publisher": {"publisher", "editor"},
    "editor": {"editor"},
    "moderator": {"moderator"},
    "verifier": {"verifier"},
}


# How each role (and each actor of the change record) is named to people.
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
    "demo": _l("Datos de demostración"),
}


def role_label(role: str) -> str:
    """The role in words, in the reader's language (an unknown role is shown as it is)."""
    return str(ROLE_LABELS.get(role, role))


def effective_roles(user, municipality) -> set[str]:
    if user is None or not user.is_authenticated or municipality is None:
        return set()
    roles = set()
    for role in user.roles_in(municipality.id):
        roles |= IMPLIED.get(role, {role})
    if user.is_platform_admin:
        roles |= IMPLIED["admin"]
    return roles


def can(role: str, municipality=None, user=None) -> bool:
    """Whether the user (default: current) holds ``role`` in the municipality (default: the URL's)."""
    user = user if user is not None else current_user
    municipality = municipality if municipality is not None else g.get("municipality")
    return role in effective_roles(user, municipality)


def is_staff(municipality=None, user=None) -> bool:
    user = user if user is not None else current_user
    municipality = municipality if municipality is not None else g.get("municipality")
    return bool(effective_roles(user, municipality))


def may_open(endpoint: str, municipality=None, user=None) -> bool:
    """Whether the user (default: current) may open ``endpoint``, by its policy decorator
    (public and signed-in pages: anyone; staff pages: one of their roles)."""
    from flask import current_app

    view = current_app.view_functions.get(endpoint)
    access = getattr(view, "access", None)
    if access is None:
        return False
    if access.startswith("roles:"):
        user = user if user is not None else current_user
        municipality = municipality if municipality is not None else g.get("municipality")
        return bool(effective_roles(user, municipality) & set(access[len("roles:"):].split(",")))
    if access == "platform_admin":
        user = user if user is not None else current_user
        return bool(user and user.is_authenticated and user.is_platform_admin)
    return True


def signed_in(view):
    """Any signed-in person (a resident wherever they take part)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)
    return _mark(wrapper, "signed_in")


def roles_required(*roles):
    """Staff holding one of ``roles`` in the URL's municipality."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            held = effective_roles(current_user, g.get("municipality"))
            if not held & set(roles):
                abort(403)
            return view(*args, **kwargs)
        return _mark(wrapper, "roles:" + ",".join(roles))
    return decorator


def platform_admin(view):
    """Platform administrators only."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)
    return _mark(wrapper, "platform_admin")


def init_app(app):
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["is_staff"] = is_staff
    app.jinja_env.globals["may_open"] = may_open
