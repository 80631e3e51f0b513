"""Cabildo: the open-government and citizen-participation portal.

``create_app`` builds the Flask app: settings, extensions, the core pieces and every
domain in :data:`DOMAINS`, each bound through its package's ``init_app(app)``.
"""
from importlib import import_module
from pathlib import Path

from portal.config import build_config
from portal.core.urls import PortalFlask
from portal.extensions import babel, compress, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# Each domain package exposes init_app(app): blueprints, CLI, sections, sources, demo.
DOMAINS = [
    "portal.municipalities",
    "portal.accounts",
    "portal.audit",
    "portal.diagnostic",
    "portal.finance",
    "portal.roadmap",
    "portal.participation.budgeting",
    "portal.participation.surveys",
    "portal.participation.complaints",
    "portal.opendata",
    "portal.backup",
    "portal.offline",
    "portal.compare",
]


def create_app(overrides: dict | None = None) -> PortalFlask:
    app = PortalFlask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    app.config.update(build_config(app.instance_path, overrides))

    compress.init_app(app)  # first, so that it runs after every other after_request (the page cache stores plain pages)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    from portal.core import ratelimit

    app.config["RATELIMIT_STORAGE_URI"] = ratelimit.storage_uri(app.config)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"

    from portal.core import i18n

    babel.init_app(app, locale_selector=i18n.select_language)
    i18n.init_app(app)

    from portal.core import api, assets, database, errors, resubmit, security, sessions, templating, urls

    assets.init_app(app)
    sessions.init_app(app)
    resubmit.init_app(app)
    api.init_app(app)
    database.init_app(app)
    errors.init_app(app)
    urls.init_app(app)
    security.init_app(app)
    templating.init_app(app)

    from portal.audit.services import install
    from portal.core import uploads

    install()
    uploads.install()

    from portal.accounts import permissions
    from portal.accounts.services import load_user

    login_manager.user_loader(load_user)
    login_manager.localize_callback = _translate
    permissions.init_app(app)

    from portal.core import cli as core_cli
    from portal.core.views import bp as core_bp

    app.register_blueprint(core_bp)
    core_cli.init_app(app)
    from portal.core import jobs, jobs_cli

    jobs.init_app(app)  # the queue before the domains, which declare their jobs on it
    app.cli.add_command(jobs_cli.group)
    for name in DOMAINS:
        import_module(name).init_app(app)
    from portal.core import caching

    caching.init_app(app)  # after the domains: it answers some of their pages from the cache
    from portal import demo

    demo.init_app(app)
    from portal.core import pagecache

    pagecache.init_app(app)  # around Flask: cached pages are answered before its request work
    if app.config.get("PROXY_COUNT"):  # outermost: every layer sees the client's address and scheme
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    return app


def _translate(message):
    from flask_babel import gettext

    return gettext(message)
