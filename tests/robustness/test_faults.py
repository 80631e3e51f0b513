"""The database fails in the middle of a request or an import: the visitor gets a clear
503 page in their language, nothing is half-applied, and the portal recovers alone."""
import secrets
from contextlib import contextmanager

import pytest
import requests
from sqlalchemy import event, func, select

from portal.extensions import db as _db


SLUG = "intipuca"


def _report_form(key):
    return {"description": "Fuga de agua en la calle principal", "address": "Calle principal",
            "idempotency_key": key, "confirm_new": "1", "district": "", "neighbourhood": ""}


def _stored(app, key):
    from portal.participation.complaints.models import Report

    with app.app_context():
        try:
            return _db.session.execute(select(func.count(Report.id)).where(Report.idempotency_key == key)).scalar()
        finally:
            _db.session.remove()


def _every_table(app) -> dict:
    """Rows in every table: what "nothing left behind" is checked against."""
    with app.app_context():
        try:
            return {t.name: _db.session.execute(select(func.count()).select_from(t)).scalar()
                    for t in _db.metadata.sorted_tables}
        finally:
            _db.session.remove()


@contextmanager
def database_fails_on(app, statement_start, make_failure):
    """While active, the statement starting with ``statement_start`` meets a database
    failure made by ``make_failure(connection)`` just before it runs."""
    with app.app_context():
        engine = _db.engine

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(statement_start.upper()):
            make_failure(conn)
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _lose_connection(app):
    """PostgreSQL: the server ends this connection (as when it restarts); SQLite: the
    disk is full (the driver's own error, raised where the statement would run)."""
    with app.app_context():
        url = _db.engine.url

    def fail(conn):
        if conn.dialect.name == "postgresql":
            import psycopg

            pid = conn.connection.dbapi_connection.info.backend_pid
            plain = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
            with psycopg.connect(plain, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        else:
            import sqlite3

            raise sqlite3.OperationalError("database or disk is full")
    return fail


def test_database_lost_mid_request_answers_503_and_recovers(served, no_limits):
    base, app = served
    key = secrets.token_urlsafe(24)
    url = f"{base}/m/{SLUG}/reclamos/nuevo?servicio=aseo"
    with database_fails_on(app, "INSERT INTO complaint_updates", _lose_connection(app)):
        r = requests.post(url, data=_report_form(key), headers={"Accept-Language": "en"},
                          cookies={"lang": "en"}, allow_redirects=False, timeout=60)
    assert r.status_code == 503
    assert "The service is not available right now" in r.text and "<html" in r.text
    assert _stored(app, key) == 0  # the report went in first, and was rolled back
    assert requests.get(base + "/healthz", timeout=30).json()["database"] == "ok"
    r = requests.post(url, data=_report_form(key), allow_redirects=False, timeout=60)  # the visitor retries
    assert r.status_code == 302 and "/r/" in r.headers["Location"]
    assert _stored(app, key) == 1


def test_unreachable_database_gives_a_clear_page(app_factory, tmp_path, no_limits):
    from portal import create_app

    for url in ("postgresql+psycopg://cabildo:cabildo@127.0.0.1:9/nothing?connect_timeout=2",
                f"sqlite:///{tmp_path}/missing/folder/cabildo.db"):
        # The limiter is one object for every app of the test session: its counters must
        # not stay pointed at this dead database after the test.
        down = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": url,
                           "RATELIMIT_STORAGE_URI": "memory://"})
        client = down.test_client()
        page = client.get(f"/m/{SLUG}/", headers={"Accept-Language": "es"})
        assert page.status_code == 503, url
        assert "El servicio no está disponible en este momento" in page.get_data(as_text=True)
        assert client.get("/healthz").status_code == 503
        api = client.get(f"/api/v1/municipalities/{SLUG}/budgeting/processes")
        assert api.status_code == 503 and api.get_json()["error"]["status"] == 503
        with down.app_context():
            _db.engine.dispose()


def test_sqlite_lock_held_briefly_is_waited_out(served, no_limits):
    """Another process holds the write lock for a moment: the request waits its turn."""
    base, app = served
    with app.app_context():
        if _db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's file lock")
        path = _db.engine.url.database
    import sqlite3
    import threading

    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    key = secrets.token_urlsafe(24)
    r = requests.post(f"{base}/m/{SLUG}/reclamos/nuevo?servicio=aseo", data=_report_form(key),
                      allow_redirects=False, timeout=60)
    release.join()
    holder.close()
    assert r.status_code == 302 and _stored(app, key) == 1


IMPORTS = {
    "finance": lambda f: ["finance", "import", SLUG, str(f), "--yes", "--publish"],
    "roadmap": lambda f: ["roadmap", "import", SLUG, str(f), "--plan", "Plan interrumpido", "--publish"],
    "diagnostic": lambda f: ["diagnostic", "import-catalog", str(f), "--name", "Interrumpido"],
}


def _import_file(kind, tmp_path):
    from tests.diagnostic.test_imports import GOOD_CATALOG
    from tests.finance.test_import import GOOD as FINANCE
    from tests.roadmap.test_import import GOOD as ROADMAP

    path = tmp_path / f"{kind}.csv"
    data = {"finance": FINANCE, "roadmap": ROADMAP, "diagnostic": GOOD_CATALOG}[kind]
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


class Interrupted(RuntimeError):
    """The import's process dies halfway (power cut, killed worker)."""


@pytest.mark.parametrize("kind", sorted(IMPORTS))
def test_import_interrupted_halfway_leaves_nothing(served, tmp_path, kind):
    base, app = served
    path = _import_file(kind, tmp_path)
    before = _every_table(app)
    inserts = []

    def die_on_third_insert(conn):
        inserts.append(1)
        if len(inserts) == 3:
            raise Interrupted("halfway")
    with database_fails_on(app, "INSERT", die_on_third_insert):
        result = app.test_cli_runner().invoke(args=IMPORTS[kind](path))
    assert isinstance(result.exception, Interrupted), result.output
    with app.app_context():
        _db.session.remove()
    assert _every_table(app) == before
    result = app.test_cli_runner().invoke(args=IMPORTS[kind](path))  # the same file again, uninterrupted
    assert result.exit_code == 0, result.output
    after = _every_table(app)
    assert after != before
    with app.app_context():
        _db.session.remove()
