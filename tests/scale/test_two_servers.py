"""One installation, several servers: two gunicorn portal servers, one job worker,
PostgreSQL and Redis on this machine, driven by the load harness (``bench/load``): votes,
survey answers and reports sent to either server; nothing lost or doubled, the count run
once by the worker, every job finished once. Runs in CI (``.ci/run``, on its PostgreSQL
pass); skipped where there is no PostgreSQL server to make a database on."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.scale.test_shared_cache import redis_url  # noqa: F401  (a real redis-server)

ROOT = Path(__file__).resolve().parents[2]
LOCAL = "postgresql://cabildo:cabildo@127.0.0.1:5432/postgres"

pytestmark = pytest.mark.xdist_group("two-servers")


@pytest.fixture
def database(worker_id_):
    """A PostgreSQL database of this test's own, on TEST_DATABASE_URL's server (or the local one)."""
    psycopg = pytest.importorskip("psycopg")
    server = make_url(os.environ.get("TEST_DATABASE_URL") or LOCAL).set(drivername="postgresql")
    name = f"cabildo_two_servers_{worker_id_}".replace("-", "_")
    admin = server.set(database="postgres").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server to make a database on ({error})")
    yield server.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_servers_one_worker_postgresql_and_redis_lose_and_double_nothing(database, redis_url):  # noqa: F811
    if importlib.util.find_spec("locust") is None:  # not imported here: it patches the standard library
        pytest.skip("locust is not installed (pip install -e '.[test]')")
    env = {**os.environ, "LOAD_DATABASE_URL": database, "LOAD_JOBS_URL": redis_url, "LOAD_SERVERS": "2",
           "LOAD_WORKER": "1", "WORKERS": "2", "LOAD_SECONDS": "15", "LOAD_USERS": "12", "LOAD_SPAWN_RATE": "6",
           "LOAD_VOTERS": "400", "PYTHONPATH": str(ROOT)}
    env = {k: v for k, v in env.items() if k not in ("TEST_DATABASE_URL", "REDIS_URL", "JOBS_URL")}
    done = subprocess.run([sys.executable, str(ROOT / "bench/load/harness.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    assert "on 2 server(s)" in output and "database check: zero lost, zero doubled" in output
    assert "jobs: {" in output and "'budgeting.count': 1" in output and "the count: 1 result" in output
