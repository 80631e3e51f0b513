"""A resident's first complaint, in Chromium with the real service worker: the forms a
page asks the worker to keep are fetched while the person is already filling one in, and
the complaint still goes through on the first try, sent once. The pre-caching answers
are slowed down at random (a slow link) so that they land after the person's own page,
which is when a session they created would replace the person's."""
import random
import re
import threading
import time
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from tests.conftest import serving

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_first_complaint")]

SERVICE = "Cementerio"
ATTEMPTS = 10


class SlowFormsAndCountedPosts:
    """WSGI middleware: a complaint form page answers after up to 0.5 s; POSTs are counted by path."""

    def __init__(self, app):
        self.app, self.posts, self.lock = app, {}, threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ["REQUEST_METHOD"] == "POST":
            with self.lock:
                self.posts[path] = self.posts.get(path, 0) + 1
        elif path.endswith("/reclamos/nuevo") and "servicio" in parse_qs(environ.get("QUERY_STRING", "")):
            time.sleep(random.uniform(0.0, 0.5))
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def counted(live_app, live_server):  # with the live server: rate limits off, connections closed at the end
    middleware = SlowFormsAndCountedPosts(live_app)
    with serving(middleware) as url:
        yield url, middleware


def _fresh_phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV")
    return context, context.new_page()


def _report(page, description):
    page.get_by_label("¿Qué pasa?").fill(description)
    page.get_by_label("Dirección o punto de referencia").fill("Frente al portón del cementerio")
    page.get_by_role("button", name="Enviar reporte").click()


def test_the_first_complaint_goes_through_while_the_forms_are_being_kept(browser, counted, live_app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.participation.complaints.models import Report

    base, middleware = counted
    failures = []
    for attempt in range(ATTEMPTS):
        context, page = _fresh_phone(browser)
        try:
            page.goto(f"{base}/m/intipuca/reclamos/nuevo")
            # the worker is installed and has been asked to keep every service's form
            page.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
            page.wait_for_timeout(random.randint(0, 150))
            page.get_by_role("link", name=SERVICE).click()  # promptly, while those fetches run
            description = f"Tumba sin cerrar, intento {attempt} {random.randint(0, 10**6)}"
            before = sum(middleware.posts.values())
            _report(page, description)
            page.wait_for_url(re.compile(r"/reclamos/r/"), timeout=15000)
            sent = sum(middleware.posts.values()) - before
            with live_app.app_context():
                stored = db.session.scalars(select(Report).where(Report.description == description)).all()
            if len(stored) != 1 or sent != 1:
                failures.append((attempt, len(stored), sent))
        except Exception as error:  # noqa: BLE001 - the attempt is recorded, the next one runs
            failures.append((attempt, type(error).__name__, page.url, page.locator("main").inner_text()[:200]))
        finally:
            context.close()
    assert not failures, failures


def test_a_complaint_with_a_mistake_is_sent_once_and_shown_with_what_was_typed(browser, counted):
    base, middleware = counted
    context, page = _fresh_phone(browser)
    try:
        page.goto(f"{base}/m/intipuca/reclamos/nuevo")
        page.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
        page.get_by_role("link", name=SERVICE).click()
        page.get_by_label("Dirección o punto de referencia").fill("Junto a la ceiba")
        before = dict(middleware.posts)
        page.get_by_role("button", name="Enviar reporte").click()  # no description: the server refuses it
        expect(page.locator("main")).to_contain_text("Describa el problema.")
        page.wait_for_timeout(500)  # time for a second send, were there one
        sent = {path: n - before.get(path, 0) for path, n in middleware.posts.items() if n != before.get(path, 0)}
        assert sent == {"/m/intipuca/reclamos/nuevo": 1}
        expect(page.get_by_label("Dirección o punto de referencia")).to_have_value("Junto a la ceiba")
    finally:
        context.close()


def test_a_complaint_whose_session_ended_comes_back_and_goes_through(browser, counted, live_app, tmp_path):
    """The session cookie is lost between opening the form and sending it (as when it
    expires): the same form comes back with the text and a notice, and the next send
    works, with the photo chosen the first time."""
    from PIL import Image
    from sqlalchemy import select

    from portal.extensions import db
    from portal.participation.complaints.models import Report

    photo = tmp_path / "porton.png"
    Image.new("RGB", (64, 48), (120, 60, 20)).save(photo)
    base, middleware = counted
    context, page = _fresh_phone(browser)
    try:
        page.goto(f"{base}/m/intipuca/reclamos/nuevo")
        page.get_by_role("link", name=SERVICE).click()
        page.get_by_label("¿Qué pasa?").fill("Portón caído desde el lunes")
        page.get_by_label("Dirección o punto de referencia").fill("Entrada principal")
        page.locator("#photo").set_input_files(str(photo))
        context.clear_cookies()
        before = sum(middleware.posts.values())
        page.get_by_role("button", name="Enviar reporte").click()
        expect(page.locator(".flashes")).to_contain_text("El formulario caducó")
        expect(page.locator(".flashes")).to_contain_text("porton.png")
        expect(page.get_by_label("¿Qué pasa?")).to_have_value("Portón caído desde el lunes")
        assert sum(middleware.posts.values()) - before == 1
        page.get_by_role("button", name="Enviar reporte").click()
        page.wait_for_url(re.compile(r"/reclamos/r/"))
        expect(page.locator("main")).to_contain_text("Portón caído desde el lunes")
        with live_app.app_context():
            report = db.session.scalars(select(Report).where(Report.description == "Portón caído desde el lunes")
                                        .order_by(Report.id.desc())).first()
            assert report.photo, "the photo chosen before the session ended was not kept"
    finally:
        context.close()
