"""The platform-wide fiscal semáforo: the page (filters, paging, words and icons, every
language), the CSV and the API list, read from the lights finance stores; the demo's
Intipucá is amber, the demo municipalities without monthly execution are "no monthly
data", never green."""
import csv
import io
from decimal import Decimal as D

import pytest
from flask_babel import refresh

from portal.extensions import db as _db
from portal.finance import early_warning, semaforo
from portal.finance.warning_models import FiscalLight
from tests.finance.test_execution import even_year, load

PAGE, CSV, API = "/comparar/semaforo", "/comparar/semaforo.csv", "/api/v1/semaforo"


def visible(html: str) -> str:
    """The page's text as read (tags and attributes left out)."""
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<main", 1)[-1]))


def red(make, name="Zona Roja", country="SV"):
    """A municipality whose stored light carries a legal limit breached at the close."""
    m = make.municipality(name=name, country=country)
    warning = early_warning.Warning("legal_limit", "limite_endeudamiento", "Límite de endeudamiento", 9,
                                    D("1.85"), D("1.7"), "<=", "ratio")
    _db.session.add(FiscalLight(municipality_id=m.id, year=2031, month=9, light="red",
                                warnings=semaforo.encode([warning])))
    _db.session.flush()
    return m


def test_the_demo_shows_intipuca_amber_with_its_reason_and_the_others_without_monthly_data(client):
    page = client.get(PAGE)
    assert page.status_code == 200
    text = visible(page.get_data(as_text=True))
    assert "Semáforo fiscal" in text
    intipuca = text.split("Intipucá", 1)[1].split("(ejemplo)", 1)[0]
    assert "▲ Ámbar" in intipuca and "ejecución hasta diciembre de 2014" in intipuca
    assert "«Eficacia en la recaudación» cumplía su umbral en 2013" in intipuca
    assert "Sin datos mensuales" in text and "No publica ejecución mensual" in text
    assert text.count("✔ Verde") == 1  # in the key only: none of the demo's municipalities is green
    for code in ("amber", "no_data", "threshold", "eficacia_recaudacion"):
        assert code not in text  # people read words, never codes


def test_each_light_in_words_and_icon(client, make):
    green = make.municipality(name="Zona Verde")
    load(green, 2030, even_year(2030))
    semaforo.store(green)
    red(make)
    text = visible(client.get(PAGE).get_data(as_text=True))
    assert "Zona Roja" in text and "✖ Rojo" in text.split("Zona Roja", 1)[1][:80]
    assert "Límite legal: «Límite de endeudamiento» sería" in text and "la ley pide ≤" in text
    after_green = text.split("Zona Verde", 1)[1][:300]
    assert "✔ Verde" in after_green and "Ninguna alerta temprana con la ejecución hasta diciembre de 2030" in after_green


def test_filter_by_country_and_by_light(client, make):
    red(make, "Municipio Peruano", "PE")
    only_pe = visible(client.get(f"{PAGE}?country=PE").get_data(as_text=True))
    assert "Municipio Peruano" in only_pe and "Intipucá" not in only_pe
    only_red = visible(client.get(f"{PAGE}?luz=red").get_data(as_text=True))
    assert "Municipio Peruano" in only_red and "Intipucá" not in only_red and "Sin datos mensuales." not in only_red
    only_amber = visible(client.get(f"{PAGE}?luz=amber&country=sv").get_data(as_text=True))
    assert "Intipucá" in only_amber and "Municipio Peruano" not in only_amber
    no_data = visible(client.get(f"{PAGE}?luz=no_data").get_data(as_text=True))
    assert "Intipucá" not in no_data and "(ejemplo)" in no_data
    unknown = client.get(f"{PAGE}?luz=purple&country=<script>")  # unknown values are no filter
    assert unknown.status_code == 200 and "Intipucá" in unknown.get_data(as_text=True)


def test_pages_of_fifty_with_a_constant_number_of_queries(client, make, queries):
    for n in range(3):
        make.municipality(name=f"Chapín {n:03d}", country="GT")
    client.get(f"{PAGE}?country=GT")  # what a first request reads once
    with queries() as few:
        client.get(f"{PAGE}?country=GT")
    for n in range(3, 60):
        red(make, f"Chapín {n:03d}", "GT") if n % 2 else make.municipality(name=f"Chapín {n:03d}", country="GT")
    with queries() as many:
        first = client.get(f"{PAGE}?country=GT").get_data(as_text=True)
    assert many() == few()  # the lights are stored: nothing is computed per municipality
    assert first.count('class="semaforo-item"') == 50 and "Chapín 049" in first and "Chapín 050" not in first
    cursor = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(cursor).get_data(as_text=True)
    assert second.count('class="semaforo-item"') == 10 and "Chapín 059" in second and "Chapín 049" not in second


@pytest.mark.parametrize("lang, words", [
    ("en", ("Fiscal traffic light", "▲ Amber", "met its threshold in 2013", "No monthly data",
            "Collection effectiveness")),
    ("pt", ("Semáforo fiscal", "▲ Âmbar", "cumpria o seu limiar em 2013", "Sem dados mensais",
            "Eficácia na arrecadação")),
])
def test_in_english_and_portuguese(client, lang, words):
    client.set_cookie("lang", lang)
    refresh()
    try:
        text = visible(client.get(PAGE).get_data(as_text=True))
    finally:
        client.set_cookie("lang", "es")
        refresh()
    for word in words:
        assert word in text
    assert "Eficacia en la recaudación" not in text  # the indicator's name in the page's language too


def test_csv_holds_every_municipality_with_the_light_in_words(client, make):
    red(make, "Municipio Peruano", "PE")
    response = client.get(CSV)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert list(rows[0]) == ["municipio", "slug", "pais", "semaforo", "codigo_semaforo", "anio", "mes", "motivo",
                             "enlace"]
    intipuca = next(r for r in rows if r["slug"] == "intipuca")
    assert (intipuca["semaforo"], intipuca["codigo_semaforo"], intipuca["anio"], intipuca["mes"]) == \
        ("Ámbar", "amber", "2014", "12")
    assert "cumplía su umbral en 2013" in intipuca["motivo"]
    assert intipuca["enlace"] == "http://localhost/m/intipuca/finanzas/ejecucion/?year=2014"  # PUBLIC_URL
    assert {r["semaforo"] for r in rows if r["slug"].startswith("ejemplo-")} == {"Sin datos mensuales"}
    only_pe = list(csv.DictReader(io.StringIO(client.get(f"{CSV}?country=PE").get_data(as_text=True)
                                              .lstrip("\ufeff"))))
    assert [r["municipio"] for r in only_pe if r["codigo_semaforo"] == "red"] == ["Municipio Peruano"]
    assert all(r["pais"] == "PE" for r in only_pe)


def test_api_lists_items_with_codes_and_reasons_and_pages_by_cursor(client, make):
    red(make, "Municipio Peruano", "PE")
    body = client.get(f"{API}?per_page=3").get_json()
    assert set(body) == {"items", "page", "per_page", "total", "pages", "next"}
    assert len(body["items"]) == 3 and body["total"] >= 11 and body["next"]
    seen = [i["slug"] for i in body["items"]]
    while body["next"]:
        body = client.get(f"{API}?per_page=3&after={body['next']}").get_json()
        seen += [i["slug"] for i in body["items"]]
    assert len(seen) == len(set(seen)) and "intipuca" in seen
    amber = client.get(f"{API}?light=amber").get_json()["items"]
    [intipuca] = [i for i in amber if i["slug"] == "intipuca"]
    assert (intipuca["light"], intipuca["label"], intipuca["year"], intipuca["month"]) == ("amber", "Ámbar", 2014, 12)
    assert "cumplía su umbral en 2013" in intipuca["reasons"][0]
    peru = client.get(f"{API}?country=PE").get_json()["items"]
    assert {i["country"] for i in peru} == {"PE"} and ("Municipio Peruano", "red") in [
        (i["municipality"], i["light"]) for i in peru]
    assert client.get(f"{API}?per_page=abc").status_code == 400


def test_linked_from_the_comparisons_page_and_the_finance_page(client, make):
    assert f'href="{PAGE}"' in client.get("/comparar/").get_data(as_text=True)
    finance = client.get("/m/intipuca/finanzas/").get_data(as_text=True)
    here = visible(finance.split('class="semaforo-here"', 1)[1].split("</p>", 1)[0])
    assert "Semáforo fiscal:" in here and "▲ Ámbar" in here
    assert f'href="{PAGE}?country=SV"' in finance
    other = make.municipality()
    assert "Sin datos mensuales" in client.get(f"/m/{other.slug}/finanzas/").get_data(as_text=True)
