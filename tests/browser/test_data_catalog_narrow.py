"""At 320 px the data catalog keeps each licence and date on one line (in Spanish and
Portuguese the long "Última actualização" label left them a sliver, and "2026-12-06"
broke at its hyphens), without the page growing wider than the screen."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_data_catalog_narrow")]

PAGES = ["/m/intipuca/datos/", "/datos/"]
WHOLE = (".opendata-facts dd a, .opendata-facts time, .opendata-formats time, "
         ".opendata-formats .opendata-license")


@pytest.mark.parametrize("lang", ["es", "en", "pt"])
def test_licences_and_dates_stay_whole_at_320_px(browser, live_server, lang):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale=lang, java_script_enabled=False)
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(f"{live_server}{path}?lang={lang}")
            lines = page.eval_on_selector_all(WHOLE, "els => els.map(e => [e.textContent, e.getClientRects().length])")
            assert len(lines) > 20, path  # every dataset's licence and date were found
            broken = [text for text, count in lines if count != 1]
            assert broken == [], (path, broken[:3])
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    finally:
        context.close()
