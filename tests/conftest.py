"""Shared fixtures in the style of the Flask tutorial: ``app``, ``db``, ``client``,
``runner``, a ``login`` helper and factories; plus a live server for browser tests.

Each xdist worker gets its own database: an SQLite file in a temporary folder, or,
when ``TEST_DATABASE_URL`` names a PostgreSQL database, a schema of its own there.
The demo is loaded once per worker; each test runs inside a transaction that is
rolled back at its end (``session.commit()`` in views commits a savepoint only).
"""
import tempfile
from pathlib import Path
import os
import socket
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db as _db
from portal.extensions import limiter

PASSWORD = "correct horse battery"


def pytest_configure(config):
    """Collection reads the registry (parametrized lists of datasets, topics, metrics):
    declare every domain before any app is built (``create_app`` declares them again, in
    place and in the same order)."""
    from importlib import import_module

    from portal import DOMAINS
    from portal.core.registry import register

    for name in DOMAINS:
        register(import_module(f"{name}.manifest").DOMAIN)


def _database_url(tmp_path_factory, worker: str, suffix: str = "") -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path_factory.mktemp('db' + suffix) / 'test.db'}"
    import psycopg

    schema = f"t_{worker}{suffix}".replace("-", "_")
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    return f"{plain.replace('postgresql://', 'postgresql+psycopg://', 1)}{sep}options=-csearch_path%3D{schema}"


def build_app(url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        "PUBLIC_URL": "http://localhost",
        # each app its own signing key, never the instance's (a test must not leave one there)
        "AUDIT_CHECKPOINT_KEY": str(Path(tempfile.mkdtemp(prefix="cabildo-key-")) / "checkpoint_ed25519.pem"),
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        _db.create_all()
        from portal.demo.cli import load_demo

        load_demo(echo=lambda *_: None)
    return app


@pytest.fixture(scope="session")
def fresh_database(tmp_path_factory, worker_id_):
    """``fresh_database(suffix)``: the URL of a new, empty database for this worker."""
    return lambda suffix: _database_url(tmp_path_factory, worker_id_, suffix)


@pytest.fixture(scope="session")
def app_factory():
    """``app_factory(url, **config)``: a new app with tables created and the demo loaded."""
    return build_app


@pytest.fixture(scope="session")
def worker_id_(request):
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session")
def app(tmp_path_factory, worker_id_):
    app = build_app(_database_url(tmp_path_factory, worker_id_),
                    UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")),
                    OUTBOX_DIR=str(tmp_path_factory.mktemp("outbox")))
    yield app
    dispose(app)


def dispose(app):
    """Close the app's pooled connections (PostgreSQL warns about connections left open)."""
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _rate_limits(request):
    """Rate limits on for every test but the browser journeys. The limiter is one object
    shared by every app of the session, so the flag is set per test, not per app."""
    saved = limiter.enabled
    limiter.enabled = "live_server" not in request.fixturenames
    yield
    limiter.enabled = saved


@pytest.fixture
def db(app):
    """The database session for one test, rolled back at its end."""
    with app.app_context():
        engines = _db.engines
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection  # Flask-SQLAlchemy binds sessions to this entry
        session = _db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint"})
        original = _db.session
        _db.session = session
        limiter.reset()
        try:
            yield _db
        finally:
            session.remove()
            if transaction.is_active:
                transaction.rollback()
            connection.close()
            engines[None] = engine
            _db.session = original


class FreshSessionClient(FlaskClient):
    """Each request starts from a clean identity map, as a real request does (the test's
    app context, and so its session, is shared with the requests it makes)."""

    def open(self, *args, **kwargs):
        from flask import g

        _db.session.flush()
        _db.session.expire_all()
        g.pop("_login_user", None)  # Flask-Login caches the user on the app context
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app, db):
    app.test_client_class = FreshSessionClient
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def muni(db):
    """The demo's Intipucá."""
    from portal.municipalities.services import get_by_slug

    return get_by_slug("intipuca")


class Factory:
    """Makes users and municipalities for tests."""

    def __init__(self, db):
        self.db = db
        self.counter = 0

    def municipality(self, slug=None, **kwargs):
        from portal.municipalities import services

        self.counter += 1
        slug = slug or f"muni-{self.counter}-{os.getpid()}"
        kwargs.setdefault("population", 5000)
        return services.create(slug, kwargs.pop("name", slug.title()), kwargs.pop("country", "SV"), **kwargs)

    def user(self, role=None, municipality=None, email=None, platform_admin=False, confirmed=True):
        from portal.accounts import services

        self.counter += 1
        email = email or f"user{self.counter}-{os.getpid()}@example.org"
        user = services.create_user(email, PASSWORD, confirmed=confirmed, platform_admin=platform_admin)
        if role:
            services.grant(user, municipality, role)
        self.db.session.flush()
        return user


@pytest.fixture
def make(db):
    return Factory(db)


@pytest.fixture
def login(client, make, muni):
    """``login(role="editor", municipality=muni)`` signs a new user in and returns it;
    ``login(user)`` signs that user in; ``login(role="resident")`` a plain resident."""
    def _login(user=None, role=None, municipality=None, platform_admin=False):
        if user is None:
            real_role = None if role in (None, "resident") else role
            user = make.user(role=real_role, municipality=municipality or muni, platform_admin=platform_admin)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user
    return _login


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _read_whole(app):
    """``app`` with every response read whole and closed before it is sent. Werkzeug's
    development server skips ``close()`` when a browser drops a connection mid-response
    (Chromium cancels script and image requests when a page navigates away), which left a
    static file open and failed a later test with an unraisable ResourceWarning."""
    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
    return wsgi


@contextmanager
def serving(app):
    port = free_port()
    server = make_server("127.0.0.1", port, _read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, worker_id_):
    """An app with its own database for browser tests, with CSRF on as in production."""
    return build_app(_database_url(tmp_path_factory, worker_id_, "live"),
                     WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False,
                     UPLOAD_DIR=str(tmp_path_factory.mktemp("live-uploads")),
                     OUTBOX_DIR=str(tmp_path_factory.mktemp("live-outbox")))


@pytest.fixture(scope="session")
def live_server(live_app):
    with serving(live_app) as url:
        live_app.config["PUBLIC_URL"] = url  # links in its e-mails lead back to it
        yield url
    dispose(live_app)


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    chromium = "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")


def _phone_page(browser, javascript):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1, locale="es-SV",
                                  java_script_enabled=javascript)
    page = context.new_page()

    def shot(name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)

    def page_width():
        """The document's width once the page and its stylesheet have loaded."""
        page.wait_for_load_state("load")
        return page.evaluate("document.documentElement.scrollWidth")
    page.shot = shot
    page.page_width = page_width
    return context, page


@pytest.fixture
def phone(browser):
    """A phone-sized page (360x740); ``phone.shot(name)`` saves a screenshot artifact and
    ``phone.page_width()`` measures the loaded page."""
    context, page = _phone_page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def phone_nojs(browser):
    """A phone-sized page with JavaScript turned off."""
    context, page = _phone_page(browser, javascript=False)
    yield page
    context.close()


def count_queries(app):
    """Context manager counting SQL statements: ``with count_queries(app) as n: ...; n()``."""
    from sqlalchemy import event

    @contextmanager
    def _counter():
        statements = []

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                statements.append(statement)
        engine = _db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", before)
    return _counter()


@pytest.fixture
def queries(app, db):
    return lambda: count_queries(app)


@pytest.fixture
def sql_text():
    return text


@pytest.fixture
def memory_cache(app):
    """An in-process cache for one test (the suite runs with none)."""
    from flask_caching.backends import SimpleCache

    from portal.core.caching import cache

    saved = app.extensions["cache"][cache]
    app.extensions["cache"][cache] = SimpleCache(threshold=500)
    yield
    app.extensions["cache"][cache] = saved


@pytest.fixture
def job_queue(app, db):
    """An empty in-process job queue bound to the test app, retries without waiting;
    ``jobs.run_queued()`` runs what it holds."""
    from huey.storage import MemoryStorage

    from portal.core import jobs

    jobs.bind(app)
    jobs.huey.storage = MemoryStorage(jobs.QUEUE_NAME)
    saved = {k: app.config[k] for k in ("JOBS_RETRY_DELAY", "JOBS_RETRY_BACKOFF")}
    app.config.update(JOBS_RETRY_DELAY=0, JOBS_RETRY_BACKOFF=2)
    yield jobs.huey
    app.config.update(saved)
