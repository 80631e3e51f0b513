"""Two portal servers on one database with one shared page cache (a real Redis server):
what one renders the other serves, and a publication through either is seen by both.

Redis comes from Debian's packages (``.ci/run`` installs ``redis-server``); the test is
skipped on a machine without it."""
import shutil
import socket
import subprocess
import time
from decimal import Decimal

import pytest

FINANCE = "/m/intipuca/finanzas/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def servers(redis_url, fresh_database, app_factory):
    """Two apps (two portal servers) on one new database and one Redis."""
    from tests.conftest import dispose

    from portal import create_app

    url = fresh_database("shared")
    config = {"CACHE_URL": redis_url, "CACHE_KEY_PREFIX": f"test{_free_port()}:"}
    first = app_factory(url, **config)  # creates the tables and loads the demo
    second = create_app({**{k: first.config[k] for k in ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED")},
                         "SQLALCHEMY_DATABASE_URI": url, **config})
    yield first, second
    dispose(first)
    dispose(second)


def test_two_servers_share_one_page_cache_and_see_each_others_publications(servers):
    from flask_caching.backends import RedisCache

    from portal.core.caching import cache
    from portal.extensions import db
    from portal.finance import services
    from portal.municipalities.services import get_by_slug

    first, second = servers
    assert isinstance(first.extensions["cache"][cache], RedisCache)
    a, b = first.test_client(), second.test_client()
    rendered = a.get(FINANCE)
    assert rendered.headers["X-Cache"] == "miss"
    served = b.get(FINANCE)
    assert served.headers["X-Cache"] == "hit" and served.data == rendered.data  # rendered once for both
    with first.app_context():  # a publication through the first server
        muni = get_by_slug("intipuca")
        year = services.ensure_year(muni, 2032)
        services.set_line(muni, year, "11", "Impuestos", {"approved": Decimal("1000")}, [])
        services.publish_year(muni, year)
        db.session.commit()
    assert a.get(FINANCE).headers["X-Cache"] == "miss"  # its own record: at once
    time.sleep(second.config["CACHE_HEADS_SECONDS"] + 0.1)  # another server's: within CACHE_HEADS_SECONDS
    after = b.get(FINANCE)
    assert after.headers["X-Cache"] == "hit"  # the first server already rendered the new page
    assert "2032" in after.get_data(as_text=True) and "2032" not in rendered.get_data(as_text=True)
