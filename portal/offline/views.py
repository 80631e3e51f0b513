"""Manifest, service worker and the offline page."""
import hashlib
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from portal.accounts.permissions import public

bp = Blueprint("offline", __name__)

# Bump when the shell changes so devices drop their old caches.
SHELL_VERSION = "3"


@bp.route("/manifest.webmanifest")
@public
def manifest():
    data = {
        "name": "Cabildo",
        "short_name": "Cabildo",
        "description": _("Cuentas abiertas y participación ciudadana de los municipios."),
        "lang": "es",
        "start_url": url_for("municipalities.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [
            {"src": url_for("static", filename="offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": url_for("static", filename="offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": url_for("static", filename="icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = current_app.json.response(data)
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/sw.js")
@public
def service_worker():
    """Served from the root so that it may control every page."""
    source = (Path(current_app.static_folder) / "offline" / "sw.js").read_text()
    shell = [url_for("static", filename=name) for name in
             ("cabildo.css", "offline/queue.js", "icon.svg", "offline/icon-192.png")]
    # Static URLs carry their content's fingerprint: a changed file makes a new version,
    # so devices drop the caches that hold the old one.
    version = f"{SHELL_VERSION}-{hashlib.sha256(','.join(shell).encode()).hexdigest()[:8]}"
    body = source.replace("__VERSION__", version).replace(
        "__SHELL__", ",".join(f'"{path}"' for path in shell + [url_for("offline.page")]))
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/sin-conexion")
@public
def page():
    return render_template("offline/offline.html")


@bp.route("/sin-conexion/token")
@public
def token():
    """A fresh form token for sending what a device kept offline: the one in a page
    saved hours ago may belong to an ended session."""
    response = current_app.json.response({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response
