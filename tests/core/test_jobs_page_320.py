"""The failed-jobs page at 320 px, in Spanish, English and Portuguese, with a long error
and traceback: nothing wider than the screen."""
import os

import pytest

from tests.surface.pages import make_staff, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_jobs_page_320")]
SHOTS = os.environ.get("JOBS_SHOTS")  # a folder to keep the screenshots in


def _failed_job(app):
    from portal.accounts.models import utcnow
    from portal.core.jobs_ledger import JobRun
    from portal.extensions import db

    error = ("ConnectionError: HTTPSConnectionPool(host='noticias.alcaldia-de-un-municipio-con-nombre-largo.gob.sv', "
             "port=443): Max retries exceeded with url: /feed/rss/todas-las-noticias-del-municipio.xml\n\n"
             "Traceback (most recent call last):\n  File \"/srv/cabildo/portal/opendata/services.py\", line 412, "
             "in fetch_all\n    response = outbound.get(feed.url, timeout=timeout)\n" * 3)
    with app.app_context():
        db.session.add(JobRun(name="feeds.fetch", args="[]", status="failed", attempts=4, max_attempts=4,
                              error=error, worker="worker-1:1234", finished_at=utcnow()))
        db.session.commit()


def test_the_failed_jobs_page_fits_a_phone_in_every_language(browser, live_app, live_server):
    email = "jobs-320@example.org"
    make_staff(live_app, email)
    _failed_job(live_app)
    for language in ("es", "en", "pt"):
        context = browser.new_context(viewport={"width": 320, "height": 640}, device_scale_factor=1,
                                      locale="es-SV", service_workers="block")
        page = context.new_page()
        sign_in(page, live_server, email)
        context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
        page.goto(f"{live_server}/admin/jobs")
        page.locator("details summary").first.click()  # the error open, its longest state
        width = page.evaluate("document.documentElement.scrollWidth")
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            page.screenshot(path=os.path.join(SHOTS, f"jobs-{language}.png"), full_page=True)
        assert width <= 320, (language, width)
        assert page.locator("h1").count() == 1
        context.close()
