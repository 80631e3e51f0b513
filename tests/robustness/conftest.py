"""A portal served for real (threaded server, its own database with the demo and a
small census) for tests that need concurrent connections, and helpers to sign in."""
import threading

import pytest
import requests

from portal.extensions import db as _db
from portal.extensions import limiter

PASSWORD = "correct horse battery"
VOTERS = [(f"7777{i:04d}-{i % 10}", "1980-02-02") for i in range(40)]


def pytest_collection_modifyitems(items):
    """One worker runs these tests, so the served portal below is built once."""
    for item in items:
        if "/robustness/" in str(item.fspath):
            item.add_marker(pytest.mark.xdist_group("robustness"))


@pytest.fixture(scope="session")
def served(fresh_database, app_factory, tmp_path_factory):
    """(base URL, app) of a live portal on a database of its own (CSRF off; the load
    run exercises CSRF). Tests use keys of their own, so they can share it."""
    from tests.conftest import dispose, serving

    app = app_factory(fresh_database("robust"), UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")),
                      OUTBOX_DIR=str(tmp_path_factory.mktemp("outbox")))
    with app.app_context():
        from portal.accounts import services as accounts
        from portal.municipalities.services import get_by_slug
        from portal.participation.budgeting import services as budgeting
        from portal.participation.budgeting.demo import DEMO_BIRTH, DEMO_DUI

        muni = get_by_slug("intipuca")
        rows = ["documento,fecha_nacimiento", f"{DEMO_DUI},{DEMO_BIRTH.isoformat()}"]
        rows += [f"{d},{b}" for d, b in VOTERS]
        budgeting.import_census(muni, "\n".join(rows).encode(), "padron.csv")
        for n in range(2):
            user = accounts.create_user(f"moderator{n}@race.example.org", PASSWORD, confirmed=True)
            accounts.grant(user, muni, "moderator")
        _db.session.commit()
    with serving(app) as url:
        yield url, app
    dispose(app)


@pytest.fixture
def no_limits():
    """Concurrent clients share one address; limits are not what these tests measure."""
    saved = limiter.enabled
    limiter.enabled = False
    yield
    limiter.enabled = saved


def at_once(*calls):
    """Run the callables in threads released together; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as error:  # reported to the test, never swallowed
            results[i] = error
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def signed_in(base, email):
    session = requests.Session()
    r = session.post(base + "/cuenta/entrar", data={"email": email, "password": PASSWORD},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 302, r.text[:500]
    return session
