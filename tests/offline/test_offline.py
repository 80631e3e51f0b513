"""The installable layer: manifest, service worker, offline page, and pages that
still open without a connection."""
import json
import re

import pytest
from playwright.sync_api import expect


def test_manifest_is_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    data = json.loads(response.get_data())
    assert data["start_url"] == "/" and data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        with client.get(icon["src"]) as icon_response:
            assert icon_response.status_code == 200


def test_service_worker_served_from_root_with_its_shell(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    assert "__SHELL__" not in body and '"/sin-conexion"' in body
    assert re.search(r'"/static/cabildo\.[0-9a-f]{12}\.css"', body)  # the fingerprinted URL pages use


def test_offline_page_says_what_still_works(client):
    html = client.get("/sin-conexion").get_data(as_text=True)
    assert "Sin conexión" in html and "se envían solos cuando vuelva la conexión" in html


def test_every_page_links_manifest_and_the_optional_script(client):
    html = client.get("/").get_data(as_text=True)
    assert 'rel="manifest"' in html
    assert re.search(r'<script src="/static/offline/queue\.[0-9a-f]{12}\.js" defer></script>', html)


def test_signed_in_pages_are_not_cached(client, login):
    login(role="resident")
    assert client.get("/").headers["Cache-Control"] == "private, no-store"


def test_scripts_stay_within_the_bench_budget(client):
    import gzip

    from bench.bench import OFFLINE_BUDGET, OFFLINE_SCRIPTS

    total = 0
    for path in OFFLINE_SCRIPTS:
        with client.get(path) as response:
            assert response.status_code == 200
            total += len(gzip.compress(response.get_data(), 6))
    assert 2_000 < total <= OFFLINE_BUDGET


@pytest.mark.browser
@pytest.mark.xdist_group("browser-test_offline")
def test_visited_pages_open_offline(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV")
    page = context.new_page()
    try:
        page.goto(live_server + "/m/intipuca/")
        page.wait_for_function("navigator.serviceWorker.controller !== null || "
                               "navigator.serviceWorker.ready.then(() => true)")
        page.evaluate("navigator.serviceWorker.ready")
        page.reload()  # now under the service worker's control, the page is cached
        assert page.evaluate("!!navigator.serviceWorker.controller")
        context.set_offline(True)
        page.goto(live_server + "/m/intipuca/")
        expect(page.locator("h1")).to_have_text("Intipucá")
        page.goto(live_server + "/m/ejemplo-pe/")
        expect(page.locator("h1")).to_have_text("Sin conexión")
        page.screenshot(path="test-artifacts/offline-page.png", full_page=True)
    finally:
        context.close()
