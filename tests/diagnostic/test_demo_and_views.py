"""The demo reproduces the published figures; public pages, API and access."""
from decimal import Decimal as D

import pytest

from portal.diagnostic import services


def q2(value):
    return value.quantize(D("0.01"))


@pytest.fixture
def results(db, muni):
    return services.published_results(muni)


def test_demo_reproduces_published_january_2012(results):
    assert [r.assessment.date.isoformat() for r in results] == ["2012-01-15", "2013-04-15"]
    first = results[0]
    areas = {a.name: q2(first.score("areas", a.code)) for a in first.catalog.areas}
    assert areas == {"Inversión Pública": D("50.58"), "Gestión Financiera": D("54.26"),
                     "Gestión del Recaudo": D("57.74"), "Atención al Ciudadano": D("34.04"),
                     "Compras y Gestión de Activos": D("43.48")}
    gf = first.areas["gestion-financiera"]
    assert [q2(first.score("subareas", s.code)) for s in gf.subareas] == [
        D("40.00"), D("45.00"), D("52.67"), D("60.00"), D("86.67"), D("100.00")]
    dims = {d.name: q2(first.score("dimensions", d.code)) for d in first.catalog.dimensions}
    assert dims == {"Eficiencia": D("56.80"), "Efectividad": D("45.67"), "Transparencia": D("41.43"),
                    "Sostenibilidad": D("47.85"), "Visión Estratégica": D("48.22")}
    contab = {c: first.scores[c].value for c in ("gf02", "gf05", "gf06", "gf08", "gf09", "gf11", "gf12", "gf13", "gf14")}
    assert contab == {"gf02": 70, "gf05": 40, "gf06": 60, "gf08": 100, "gf09": 60, "gf11": 20, "gf12": 0,
                      "gf13": 60, "gf14": 20}
    assert first.node("areas", "atencion-al-ciudadano").not_reported == 2  # the two source-fed indicators


def test_demo_april_2013_resultado_global(results):
    second = results[1]
    assert second.previous is results[0]
    assert second.score("composites", "desempeno-operativo") == D(80)
    assert second.score("composites", "vision-largo-plazo") == D(70)


def test_overview_shows_both_assessments_chart_and_bands(client):
    response = client.get("/m/intipuca/diagnostico/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Resultado Global" in html and "<polyline" in html and html.count('class="diag-point"') == 2
    assert "band band-" in html and "Desempeño Medio" in html
    assert "Gestión Financiera" in html and "80.00" in html
    assert "Conclusiones y próximos pasos" in html


def test_pages_for_area_subarea_indicator(client, results):
    first = results[0]
    assert client.get(f"/m/intipuca/diagnostico/area/gestion-financiera/?assessment={first.assessment.id}").status_code == 200
    page = client.get("/m/intipuca/diagnostico/subarea/contabilidad-y-registro-de-la-informacion/?assessment=2012-01-15")
    assert page.status_code == 200 and "gf14" in page.get_data(as_text=True)
    page = client.get("/m/intipuca/diagnostico/indicador/ac07/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "sin dato de la fuente" in html and "Regla de puntaje publicada" in html
    assert client.get("/m/intipuca/diagnostico/indicador/zz99/").status_code == 404
    assert client.get("/m/intipuca/diagnostico/?assessment=1999-01-01").status_code == 404


def test_other_municipality_has_no_diagnostic(client, make):
    other = make.municipality()
    assert client.get(f"/m/{other.slug}/diagnostico/").status_code == 200
    assert client.get(f"/m/{other.slug}/diagnostico/area/gestion-financiera/").status_code == 404
    assert client.get(f"/api/v1/municipalities/{other.slug}/diagnostic").status_code == 404
