"""Rate limits hold for the whole installation: across gunicorn worker processes on the
embedded default, across portal servers on Redis, behind a declared reverse proxy, and
per person (the e-mail, the census document, the tracking code) as well as per address."""
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy.engine import make_url

from portal import create_app
from portal.core import ratelimit
from tests.scale.test_shared_cache import _free_port, redis_url  # noqa: F401  (a real redis-server)

ROOT = Path(__file__).resolve().parents[2]
SIGN_IN = "/cuenta/entrar"


# --- the storage -----------------------------------------------------------------------

def _storage_uris(tmp_path, fresh_database):
    """The counters' databases: a file of the test's own, and on PostgreSQL a schema of the
    test worker's own (a table shared by parallel workers would be emptied by another
    test's ``reset()`` mid-count)."""
    uris = [f"db+sqlite:///{tmp_path / 'limits.db'}"]
    if os.environ.get("TEST_DATABASE_URL"):
        uris.append("db+" + fresh_database("limits"))
    return uris


@pytest.fixture(params=["sqlite", "postgresql"])
def storage(request, tmp_path, fresh_database):
    uris = dict(zip(["sqlite", "postgresql"], _storage_uris(tmp_path, fresh_database)))
    if request.param not in uris:
        pytest.skip("PostgreSQL runs only with TEST_DATABASE_URL")
    from limits.storage import storage_from_string

    store = storage_from_string(uris[request.param])
    assert isinstance(store, ratelimit.DatabaseStorage)
    store.reset()
    yield store
    store.reset()


def test_counters_count_expire_and_clear(storage):
    assert storage.check()
    assert [storage.incr("k", 2) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get("other") == 0
    assert time.time() < storage.get_expiry("k") <= time.time() + 2
    time.sleep(2.1)
    assert storage.get("k") == 0
    assert storage.incr("k", 60, amount=4) == 4  # a new window starts from the amount
    storage.clear("k")
    assert storage.get("k") == 0
    long_key = "signin-failures:" + "a" * 400 + "@example.org"
    assert storage.incr(long_key, 60) == 1 and storage.incr(long_key, 60) == 2
    assert storage.incr(long_key[:-1] + "x", 60) == 1  # long keys stay distinct
    assert storage.reset() >= 2


def test_concurrent_hits_are_all_counted(storage):
    def hit():
        for _ in range(25):
            storage.incr("busy", 60)
    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert storage.get("busy") == 100


@pytest.mark.parametrize("settings, expected", [
    ({"RATELIMIT_STORAGE_URI": "redis://limits:6379/1", "CACHE_URL": "redis://cache:6379/0"},
     "redis://limits:6379/1"),
    ({"CACHE_URL": "redis://cache:6379/0"}, "db+sqlite:////tmp/x-ratelimits.db"),  # only when asked
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/cabildo/instance/cabildo.db"},
     "db+sqlite:////srv/cabildo/instance/cabildo-ratelimits.db"),
    ({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://cabildo:pw@db:5432/cabildo"},
     "db+postgresql+psycopg://cabildo:pw@db:5432/cabildo"),
    ({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, "memory://"),
])
def test_the_storage_is_shared_unless_nothing_can_share_it(settings, expected):
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite:////tmp/x.db", "RATELIMIT_STORAGE_URI": "", "CACHE_URL": ""}
    config.update(settings)
    assert ratelimit.storage_uri(config) == expected


# --- several processes for real ----------------------------------------------------------

def _start(port, env, workers):
    log = open(env["LOG"], "ab")  # noqa: SIM115 (closed with the server)
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--graceful-timeout", "2", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    else:
        process.kill()
    if process.poll() is not None:
        raise AssertionError(Path(env["LOG"]).read_text()[-3000:])
    return process, log


def _stop(process, log):
    os.killpg(process.pid, signal.SIGTERM)  # gunicorn's master and its workers (own session)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    log.close()


@pytest.fixture
def servers(tmp_path, fresh_database, app_factory):
    """``servers(count, workers, **settings)``: real gunicorn servers on one new database
    (the demo loaded), each on a free loopback port; stopped at the end."""
    from tests.conftest import dispose

    url = fresh_database("gunicorn")
    dispose(app_factory(url))
    started = []

    def start(count=1, workers=3, **settings):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RATELIMIT", "CACHE_", "PROXY"))}
        env.update({"DATABASE_URL": make_url(url).render_as_string(hide_password=False),
                    "SECRET_KEY": "k" * 64, "UPLOAD_FOLDER": str(tmp_path / "uploads"),
                    "OUTBOX_DIR": str(tmp_path / "outbox"), "BUDGETING_WORKER": "0",
                    "LOG": str(tmp_path / "gunicorn.log"), "PYTHONPATH": str(ROOT)})
        env.update(settings)
        bases = []
        for _ in range(count):
            port = _free_port()
            started.append(_start(port, env, workers))
            bases.append(f"http://127.0.0.1:{port}")
        return bases
    yield start
    for process, log in started:
        _stop(process, log)


def _failed_sign_ins(bases, attempts, email="target@example.org"):
    """Wrong passwords for one e-mail, each on a new connection, spread over ``bases``;
    returns the status codes."""
    codes = []
    for n in range(attempts):
        base = bases[n % len(bases)]
        with requests.Session() as browser:
            form = browser.get(base + SIGN_IN, timeout=10).text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
            response = browser.post(base + SIGN_IN, data={"csrf_token": token, "email": email,
                                                          "password": "not the password"}, timeout=10)
        codes.append(response.status_code)
    return codes


def test_sign_in_failures_are_limited_across_three_gunicorn_workers(servers):
    (base,) = servers(workers=3)
    codes = _failed_sign_ins([base], 8)
    assert codes == [200] * 5 + [429] * 3, codes  # "5 per 15 minutes" for the whole server


def test_sign_in_failures_are_limited_across_two_servers_on_redis(servers, redis_url):  # noqa: F811
    import redis

    bases = servers(count=2, workers=2, RATELIMIT_STORAGE_URI=redis_url)
    codes = _failed_sign_ins(bases, 8)
    assert codes == [200] * 5 + [429] * 3, codes
    keys = redis.Redis.from_url(redis_url).keys("*signin-failures*")
    assert keys, "the counters live in Redis"


# --- behind a reverse proxy --------------------------------------------------------------

def _proxy_app(count, tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "PROXY_COUNT": count, "UPLOAD_FOLDER": str(tmp_path)})

    from portal.extensions import limiter

    @app.route("/_limited")
    @limiter.limit("3 per minute")
    def limited():
        return "ok"

    @app.route("/_seen")
    def seen():
        from flask import request

        return {"address": request.remote_addr, "scheme": request.scheme}
    return app


def test_behind_one_proxy_the_client_address_and_scheme_are_the_proxys_word(tmp_path):
    client = _proxy_app(1, tmp_path).test_client()
    seen = client.get("/_seen", headers={"X-Forwarded-For": "1.2.3.4, 203.0.113.7", "X-Forwarded-Proto": "https"},
                      environ_base={"REMOTE_ADDR": "10.0.0.2"}).json
    # the proxy appended the address it saw; what the client wrote before it is ignored
    assert seen == {"address": "203.0.113.7", "scheme": "https"}  # absolute links come from PUBLIC_URL


def test_without_a_declared_proxy_the_headers_are_ignored(tmp_path):
    client = _proxy_app(0, tmp_path).test_client()
    seen = client.get("/_seen", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
                      environ_base={"REMOTE_ADDR": "198.51.100.3"}).json
    assert seen == {"address": "198.51.100.3", "scheme": "http"}


@pytest.mark.parametrize("count", [0, 1])
def test_limits_key_on_the_real_client_behind_a_proxy(tmp_path, count):
    from portal.extensions import limiter

    app = _proxy_app(count, tmp_path)
    saved, limiter.enabled = limiter.enabled, True
    try:
        client = app.test_client()
        limiter.reset()
        proxy = {"REMOTE_ADDR": "10.0.0.2"}
        codes = [client.get("/_limited", environ_base=proxy,
                            headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(4)]
    finally:
        limiter.enabled = saved
        limiter.reset()
    if count:  # four different people behind the proxy: nobody reaches "3 per minute"
        assert codes == [200] * 4
    else:  # no proxy declared: a client cannot escape its limit by writing the header
        assert codes == [200] * 3 + [429]


# --- keyed on the person -----------------------------------------------------------------

def test_census_verification_is_limited_per_document_whatever_the_address(client, db, muni, limits_on):
    from sqlalchemy import select

    from portal.participation.budgeting.demo import DEMO_DUI, OPEN
    from portal.participation.budgeting.models import BudgetProcess

    process = db.session.execute(select(BudgetProcess).filter_by(municipality_id=muni.id, title=OPEN)).scalar_one()
    url = f"/m/intipuca/presupuesto/{process.id}/verificar"
    codes = [client.post(url, data={"document": DEMO_DUI, "birth_date": f"1901-01-{n + 1:02d}"},
                         environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code for n in range(6)]
    assert codes == [200] * 5 + [429], codes
    other = client.post(url, data={"document": "09999999-9", "birth_date": "1990-01-01"},
                        environ_base={"REMOTE_ADDR": "198.51.100.50"})
    assert other.status_code == 200  # another person's document is not blocked


def test_confirmations_are_limited_per_tracking_code(client, db, muni, limits_on):
    from portal.participation.complaints import services

    category = services.get_category(muni, "aseo")
    district = next(d for d in muni.districts if d.name == "El Carao")
    report, _ = services.create_report(muni, services.ReportInput(
        category=category, description="Basura", district_id=district.id, address="Parque"))
    db.session.flush()
    url = f"/m/intipuca/reclamos/r/{report.code}/confirmar"
    codes = [client.post(url, data={"answer": "no"}, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code
             for n in range(6)]
    assert 429 not in codes[:5] and codes[5] == 429


@pytest.fixture
def limits_on():
    from portal.extensions import limiter

    saved = limiter.enabled
    limiter.enabled = True
    limiter.reset()
    yield limiter
    limiter.enabled = saved
    limiter.reset()



@pytest.mark.parametrize("name, value", [("PROXY_COUNT", "-1"), ("PROXY_COUNT", "9"),
                                         ("OUTBOUND_ALLOWED_NETWORKS", "10.0.0.0/8,intranet")])
def test_impossible_network_settings_stop_the_start(tmp_path, monkeypatch, name, value):
    from portal.config import ConfigurationError, build_config

    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        build_config(str(tmp_path), {"SECRET_KEY": "k" * 64})
