"""Site-wide pages: language choice, health check."""
from urllib.parse import urlparse

from flask import Blueprint, current_app, jsonify, redirect, request, url_for
from sqlalchemy import text

from portal.core.access import public
from portal.core.i18n import LANGUAGE_COOKIE
from portal.core.text import clean_text
from portal.extensions import db

bp = Blueprint("core", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only redirect to a path on this site (no scheme, no host, no ``//``, no control
    characters: a line break would split the Location header)."""
    if not target or clean_text(target) != target or any(c in target for c in "\t\r\n"):
        return fallback
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return fallback
    return target


@bp.route("/lang/<code>")
@public
def set_language(code):
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    response = redirect(safe_next(request.args.get("next"), url_for("municipalities.index")))
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                        httponly=True, secure=current_app.config.get("PRODUCTION", False))
    return response


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        return jsonify({"status": "ok", "database": "ok"})
    except Exception:  # any database failure is reported, not raised
        db.session.rollback()
        return jsonify({"status": "error", "database": "unavailable"}), 503


# Uploads can be withdrawn by a moderator at any moment: browsers and proxies keep a copy
# but ask again each time (``no-cache`` with a validator: a cheap 304 while the file stays,
# a 404 as soon as it is withdrawn).
UPLOAD_CACHE_CONTROL = "public, no-cache"


@bp.route("/files/<int:municipality_id>/<name>")
@public
def upload(municipality_id, name):
    from flask import abort, send_file

    from portal.core.uploads import path_for

    path = path_for(municipality_id, name)
    if path is None:
        abort(404)
    mimetype = "application/pdf" if name.endswith(".pdf") else "image/jpeg"
    response = send_file(path, mimetype=mimetype, conditional=True, etag=True, max_age=0)
    response.headers["Cache-Control"] = UPLOAD_CACHE_CONTROL
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
