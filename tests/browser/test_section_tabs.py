"""At 320 px the section tab bar shows the current section: tabs wrap instead of
scrolling out of sight."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_section_tabs")]

PAGES = ["/m/intipuca/", "/m/intipuca/finanzas/", "/m/intipuca/encuestas/", "/m/intipuca/reclamos/",
         "/m/intipuca/comparar/"]


def test_the_current_tab_is_on_screen_at_320_px(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV", java_script_enabled=False)
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(live_server + path)
            current = page.locator("nav.sections a[aria-current=page]")
            box = current.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, path
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
            tabs = page.locator("nav.sections a")
            for i in range(tabs.count()):
                tab = tabs.nth(i).bounding_box()
                assert tab["x"] + tab["width"] <= 320 and tab["height"] >= 24, (path, i)
    finally:
        context.close()
