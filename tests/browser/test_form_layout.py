"""Form fields at 320 px: the required mark stays on its label's line, a checkbox sits
beside its label, and a date picker has no "AAAA-MM-DD" hint beside it."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_form_layout")]


def test_required_mark_and_checkbox_sit_on_their_labels_line(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/cuenta/entrar")
        label = page.locator("label[for=email]")
        star = page.locator(".field-label:has(label[for=email]) .req")
        assert star.count() == 1  # with its label
        label_box, star_box = label.bounding_box(), star.bounding_box()
        assert abs(star_box["y"] - label_box["y"]) < 8 and star_box["x"] > label_box["x"]  # on the label's line
        box = page.locator("#remember").bounding_box()
        text = page.locator("label[for=remember]").bounding_box()
        assert text["x"] > box["x"] + box["width"] - 1  # beside it
        assert abs((text["y"] + text["height"] / 2) - (box["y"] + box["height"] / 2)) < text["height"]  # same row
    finally:
        context.close()


def test_date_pickers_carry_no_iso_hint(client, login, muni):
    from portal.participation.budgeting import services

    login(role="editor")
    html = client.get("/m/intipuca/diagnostico/gestion/").get_data(as_text=True)
    assert 'type="date"' in html and "AAAA-MM-DD" not in html
    process = next(p for p in services.processes(muni))
    verify = client.get(f"/m/intipuca/presupuesto/{process.id}/verificar").get_data(as_text=True)
    assert "AAAA-MM-DD" not in verify
