"""The Gantt's activity links are targets at least 24 px tall (WCAG 2.5.8), in Chromium
at phone size."""
import pytest

from portal.roadmap.gantt import ROW

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_gantt_targets")]


def test_gantt_row_links_are_at_least_24_px_tall(phone_nojs, live_server, live_app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.roadmap.models import Plan

    with live_app.app_context():
        plan_id = db.session.execute(select(Plan.id).where(Plan.title.startswith("Plan de Rescate"))).scalar_one()
    page = phone_nojs
    page.goto(f"{live_server}/m/intipuca/hoja-de-ruta/{plan_id}")
    links = page.locator("svg.gantt a")
    assert links.count() > 5
    heights = [links.nth(i).bounding_box()["height"] for i in range(links.count())]
    assert min(heights) >= 24 and ROW >= 24
    first = links.first
    first.scroll_into_view_if_needed()
    box = first.bounding_box()
    href = first.get_attribute("href")
    page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] - 2)  # below the text, still the link
    page.wait_for_url(f"**{href}")
