"""The service worker's pre-caching never creates, changes or renews the session."""
import pytest

pytestmark = pytest.mark.xdist_group("browser-test_precache_session")  # the live app (CSRF on) is built once per worker there


@pytest.fixture(autouse=True)
def _live(live_server):
    """The live app's connections are closed by the live server's teardown (PostgreSQL
    warns about any left open), so these tests hold it too."""

FORM = "/m/intipuca/reclamos/nuevo?servicio=cementerio"
MARK = {"X-Cabildo-Precache": "1"}


def test_a_form_page_fetched_for_later_sets_no_session(live_app):
    client = live_app.test_client()
    assert "Set-Cookie" not in client.get(FORM, headers=MARK).headers
    assert client.get_cookie("session") is None


def test_the_same_page_opened_by_the_person_starts_a_session(live_app):
    client = live_app.test_client()
    assert "session=" in client.get(FORM).headers.get("Set-Cookie", "")


def test_a_kept_page_leaves_the_open_forms_session_alone(live_app):
    """Opened, then pre-cached: the cookie (and so the form's token) stays the one the person has."""
    client = live_app.test_client()
    client.get(FORM)
    before = client.get_cookie("session").value
    for code in ("alumbrado", "cementerio", "aseo"):
        response = client.get(f"/m/intipuca/reclamos/nuevo?servicio={code}", headers=MARK)
        assert "Set-Cookie" not in response.headers
    assert client.get_cookie("session").value == before
