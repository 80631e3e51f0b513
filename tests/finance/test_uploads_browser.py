"""Finance staff uploads at 320 px in Spanish, English and Portuguese, without JavaScript:
the cost study's journey (manage page → upload → a refused file naming rows and columns →
preview → confirm) and every finance upload's three states (form, problems, preview) on
one layout. Screenshots saved."""
import os
import re

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_uploads_browser")]

SHOTS = os.environ.get("SHOTS_DIR", "/tmp/shots-finupload")
BASE = "/m/intipuca/finanzas"
ROW = {"es": "Fila", "en": "Row", "pt": "Linha"}
TEXTS = {"es": ("Vista previa", "Guardado el estudio de costos de %s: 2 servicios.", "hogares", "Borrador"),
         "en": ("Preview", "Saved the %s cost study: 2 services.", "households", "Draft"),
         "pt": ("Prévia", "Salvo o estudo de custos de %s: 2 serviços.", "hogares", "Rascunho")}
YEARS = {"es": "2041", "en": "2042", "pt": "2043"}
COSTS_GOOD = ("code,name,households,staff,supplies,fuel,disposal,other,accrued,collected,share\n"
              "12.DS,Desechos,687,30000,4000,6000,12000,,36000,24000,\n"
              "12.AP,Alumbrado,675,,9000,,,3000,15000,9826.32,\n")
COSTS_BAD = {"es": "código,nombre,hogares,personal\n12.DS,Desechos,cero,100\n12.AP,Alumbrado,10,\n",
             "en": "code,name,households,staff\n12.DS,Waste,zero,100\n12.AP,Lighting,10,\n",
             "pt": "código,nombre,hogares,personal\n12.DS,Desechos,cero,100\n12.AP,Alumbrado,10,\n"}
# (name, path, extra fields, good file, bad file): the bad file has a word where row 2 needs a number
UPLOADS = (
    ("budget", "/importar", {}, "year,code,name,approved\n2013,11,Impuestos,12000.00\n",
     "year,code,name,approved\n2013,11,Impuestos,doce mil\n"),
    ("revenue", "/ingresos-potenciales/importar", {"year": "2044"},
     "grupo,código,nombre,percibido,devengado,tasa\npotencial,12.AP,Alumbrado,100,150,\n",
     "grupo,código,nombre,percibido,devengado,tasa\npotencial,12.AP,Alumbrado,cien,150,\n"),
    ("debt", "/deuda/importar", {},
     "name,lender,principal,rate,years,start,method,periods_per_year,grace\n"
     "Préstamo,Banco,100000.00,6%,3,2020-12,french,12,0\n",
     "name,lender,principal,rate,years,start,method,periods_per_year,grace\n"
     "Préstamo,Banco,cien mil,6%,3,2020-12,french,12,0\n"),
    ("execution", "/ejecucion/importar", {}, "year,month,code,accrued,cash\n2014,1,12,13671.24,12987.68\n",
     "year,month,code,accrued,cash\n2014,1,12,mucho,12987.68\n"),
    ("costs", "/costos-servicios/importar", {"year": "2045"}, COSTS_GOOD,
     COSTS_GOOD.replace("687", "muchos")),
)


@pytest.fixture(scope="module")
def editor(live_app):
    from portal.accounts import services as accounts
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    with live_app.app_context():
        user = accounts.create_user("finance-uploads@example.org", PASSWORD, confirmed=True)
        accounts.grant(user, get_by_slug("intipuca"), "editor")
        db.session.commit()
    return "finance-uploads@example.org"


def signed_in(browser, live_server, editor, lang):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="es-SV", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/lang/{lang}?next=/cuenta/entrar")
    page.locator("[name=email]").fill(editor)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    return context, page


def submit(page, path, fields: dict):
    page.locator("[name=file]").set_input_files(str(path))
    for name, value in fields.items():
        page.locator(f"[name={name}]").fill(value)
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state("load")


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("lang", ["es", "en", "pt"])
def test_cost_study_upload_journey_at_320_px(browser, live_server, editor, lang, tmp_path):
    os.makedirs(SHOTS, exist_ok=True)
    context, page = signed_in(browser, live_server, editor, lang)
    try:
        page.goto(f"{live_server}{BASE}/gestion/costos-servicios")
        page.locator(f"a[href$='{BASE}/costos-servicios/importar']").click()
        page.wait_for_load_state("load")
        fits(page)
        bad = tmp_path / "mal.csv"
        bad.write_text(COSTS_BAD[lang], encoding="utf-8")
        submit(page, bad, {"year": YEARS[lang], "indirect": "1500.50"})
        summary = page.locator(".error-summary").inner_text()
        assert f"{ROW[lang]} 2" in summary and TEXTS[lang][2] in summary  # the column as the file wrote it
        assert f"{ROW[lang]} 3" in summary and ("staff" if lang == "en" else "personal") in summary
        assert page.locator("[name=year]").input_value() == YEARS[lang]  # what was typed is kept
        assert page.locator("[name=indirect]").input_value() == "1500.50"
        fits(page)
        page.screenshot(path=f"{SHOTS}/costs-upload-journey-refused-{lang}.png", full_page=True)

        good = tmp_path / "bien.csv"
        good.write_text(COSTS_GOOD, encoding="utf-8")
        submit(page, good, {"indirect": "10000"})
        assert TEXTS[lang][0] in page.locator("h2").first.inner_text()
        # 12.DS: 52,000 direct + 52/64 of the 10,000 pool, in the language's way of writing numbers
        assert re.search(r"60[.,\u00a0\u202f ]125[.,]00", page.content())
        fits(page)
        page.locator("form[action$='confirmar'] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert TEXTS[lang][1] % YEARS[lang] in page.content()
        assert YEARS[lang] in page.locator("main").inner_text() and TEXTS[lang][3] in page.locator("main").inner_text()
        fits(page)
        page.screenshot(path=f"{SHOTS}/costs-upload-journey-saved-{lang}.png", full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["es", "en", "pt"])
def test_every_finance_upload_form_problems_and_preview_fit_320_px(browser, live_server, editor, lang, tmp_path):
    os.makedirs(SHOTS, exist_ok=True)
    context, page = signed_in(browser, live_server, editor, lang)
    try:
        for name, path, fields, good_text, bad_text in UPLOADS:
            page.goto(f"{live_server}{BASE}{path}")
            assert page.locator("form[enctype] [name=file]").count() == 1, name
            fits(page)
            page.screenshot(path=f"{SHOTS}/{name}-form-{lang}.png", full_page=True)
            bad, good = tmp_path / f"{name}-bad.csv", tmp_path / f"{name}-good.csv"
            bad.write_text(bad_text, encoding="utf-8")
            good.write_text(good_text, encoding="utf-8")
            submit(page, bad, fields)
            assert f"{ROW[lang]} 2" in page.locator(".error-summary").inner_text(), name
            for field, value in fields.items():
                assert page.locator(f"[name={field}]").input_value() == value, name
            fits(page)
            page.screenshot(path=f"{SHOTS}/{name}-problems-{lang}.png", full_page=True)
            submit(page, good, fields)
            assert page.locator("#h-preview").count() == 1, name
            assert page.locator("form[action$='confirmar'] [name=token]").count() == 1, name
            fits(page)
            page.screenshot(path=f"{SHOTS}/{name}-preview-{lang}.png", full_page=True)
    finally:
        context.close()
