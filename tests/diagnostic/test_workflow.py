"""Assessment life, sources feeding indicators, staff pages and their access."""
import random
from datetime import date
from decimal import Decimal as D

import pytest

from portal.core import registry as sources
from portal.core.registry import Domain, Source, SourceValue
from portal.diagnostic import imports, services

CATALOG = """area,subarea,code,name,weight,dimensions,source,rule
Atención,Quejas,q01,Reclamos a tiempo,1,Efectividad,test.on_time,linear:0.4:0.9
Atención,Quejas,q02,Registro de reclamos,1,Transparencia,,
Atención,Quejas,q03,Satisfacción,1,Efectividad,test.absent,bands:0.5:50;0.8:100
""".encode()


@pytest.fixture
def test_source():
    calls = []

    def value(municipality, as_of, param=None):
        calls.append(as_of)
        return SourceValue(D("0.65") if as_of.year < 2025 else D("0.9"), "n=40", "/datos/reclamos")
    sources.register(Domain("test", sources=(Source("test.on_time", "Reclamos a tiempo", "test", "ratio", value),)))
    yield calls
    sources.unregister("test")


@pytest.fixture
def catalog(db, muni):
    return imports.import_catalog(CATALOG, "c.csv", "Fuentes", municipality=muni)


def test_derived_indicator_keeps_its_source_value(db, muni, catalog, test_source):
    assessment = services.create_assessment(muni, catalog, date(2024, 3, 1))
    result = services.staff_result(muni, assessment)
    q01 = result.scores["q01"]
    assert test_source == [date(2024, 3, 1)]
    assert (q01.state, q01.raw_value, q01.value, q01.raw_url) == ("scored", D("0.65"), D(50), "/datos/reclamos")
    assert result.scores["q03"].state == "nr"  # its source is not registered: no data
    live, live_score = services.live_value(muni, result.indicators["q01"], date(2026, 1, 1))
    assert live.value == D("0.9") and live_score == D(100)
    assert q01.value == D(50)  # the assessment keeps what the source said on its date


def test_life_of_an_assessment(db, muni, catalog, test_source):
    assessment = services.create_assessment(muni, catalog, date(2024, 3, 1))
    services.save_scores(muni, assessment, [{"code": "q02", "state": "scored", "value": D(30), "note": "acta",
                                            "evidence_url": "https://x.org/acta.pdf"}])
    with pytest.raises(services.DiagnosticError):
        services.publish(muni, assessment)  # a draft must be submitted first
    services.submit(muni, assessment)
    sample = services.draw_sample(muni, assessment, 1, rng=random.Random(1))
    assert len(sample) == 1 and assessment.verification_sample == sample[0]
    services.query(muni, assessment, "Falta la evidencia de q01")
    assert assessment.stage == "queried"
    services.submit(muni, assessment)
    services.verify(muni, assessment)
    services.publish(muni, assessment, "Conclusión", "Pasos")
    assert assessment.is_published and assessment.is_verified
    with pytest.raises(services.DiagnosticError):
        services.save_scores(muni, assessment, [{"code": "q02", "state": "na"}])
    source = sources.read("diagnostic.indicator", muni, date(2024, 12, 31), "q02")
    assert source.value == D(30) and "/diagnostico/indicador/q02/" in source.url
    assert sources.read("diagnostic.indicator", muni, date(2000, 1, 1), "q02") is None
    area = sources.read("diagnostic.area", muni, date(2024, 12, 31), "Atención")
    assert area.value == D(40)  # mean of q01 (50) and q02 (30)


def test_diagnostic_sources_on_the_demo(db, muni):
    value = sources.read("diagnostic.indicator", muni, date(2012, 6, 1), "gf14")
    assert value.value == D(20)
    area = sources.read("diagnostic.area", muni, date(2012, 6, 1), "Gestión Financiera")
    assert area.value.quantize(D("0.01")) == D("54.26")


def test_entry_form_on_a_phone_keeps_input_on_error(client, login, db, muni, catalog):
    assessment = services.create_assessment(muni, catalog, date(2024, 3, 1))
    result = services.staff_result(muni, assessment)
    q02 = result.indicators["q02"]
    login(role="editor")
    url = f"/m/intipuca/diagnostico/gestion/{assessment.id}/subarea/quejas/"
    page = client.get(url)
    assert page.status_code == 200 and "<legend>" in page.get_data(as_text=True)
    bad = client.post(url, data={f"i{q02.id}-state": "scored", f"i{q02.id}-value": "150",
                                 f"i{q02.id}-note": "mi nota"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "mi nota" in html and "Revise los campos" in html
    ok = client.post(url, data={f"i{q02.id}-state": "scored", f"i{q02.id}-value": "75"})
    assert ok.status_code == 302
    assert services.staff_result(muni, assessment).scores["q02"].value == D(75)


def test_roles_on_staff_pages(client, login, db, muni, catalog):
    assessment = services.create_assessment(muni, catalog, date(2024, 3, 1))
    base = f"/m/intipuca/diagnostico/gestion/{assessment.id}"
    login(role="editor")
    assert client.post(f"{base}/enviar").status_code == 302
    assert client.post(f"{base}/verificar").status_code == 403  # an editor cannot verify
    assert client.post(f"{base}/publicar").status_code == 403


def test_publisher_publishes_unverified_with_badge(client, login, db, muni, catalog):
    assessment = services.create_assessment(muni, catalog, date(2024, 3, 1))
    services.submit(muni, assessment)
    base = f"/m/intipuca/diagnostico/gestion/{assessment.id}"
    login(role="publisher")
    assert client.post(f"{base}/publicar", data={"conclusions": "Bien"}).status_code == 302
    assert assessment.is_published and assessment.conclusions == "Bien"
    page = client.get("/m/intipuca/diagnostico/?assessment=2024-03-01").get_data(as_text=True)
    assert "Sin verificar" in page and "Cambio de versión" in page


def test_import_page_shows_every_error_and_writes_nothing(client, login, db, muni):
    import io

    from sqlalchemy import func, select

    from portal.diagnostic.models import Catalog
    login(role="editor")
    before = db.session.execute(select(func.count(Catalog.id))).scalar_one()
    bad = b"area,subarea,code,name,weight\nA,S,c1,Uno,x\nA,S,c1,,1\n"
    response = client.post("/m/intipuca/diagnostico/gestion/importar", data={
        "kind": "catalog", "catalog-name": "Mala", "catalog-file": (io.BytesIO(bad), "mala.csv")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "no se guardó nada" in html
    assert "fila 2, columna «weight»" in html and "fila 3, columna «code»" in html
    assert "fila 3, columna «name»" in html
    assert db.session.execute(select(func.count(Catalog.id))).scalar_one() == before
    template = client.get("/m/intipuca/diagnostico/gestion/plantilla/catalogo.csv")
    assert template.status_code == 200 and template.get_data().decode("utf-8-sig").startswith("area,subarea,code")


def test_public_pages_use_constant_queries(client, db, muni, queries, catalog):
    with queries() as n:
        client.get("/m/intipuca/diagnostico/")
    small = n()
    for year in (2014, 2015, 2016):
        assessment = services.create_assessment(muni, catalog, date(year, 1, 1))
        services.save_scores(muni, assessment, [{"code": "q02", "state": "scored", "value": D(year - 2000)},
                                                {"code": "q01", "state": "scored", "value": D(50)}])
        assessment.stage = "verified"
        assessment.publish()
    db.session.flush()
    with queries() as n:
        response = client.get("/m/intipuca/diagnostico/")
    assert response.status_code == 200 and response.get_data(as_text=True).count('class="diag-point"') == 5
    assert n() <= small + 2  # one more catalog tree loaded, never a query per assessment or indicator
    with queries() as n1:
        client.get("/m/intipuca/diagnostico/indicador/gf14/?assessment=2012-01-15")
    with queries() as n2:
        client.get("/api/v1/municipalities/intipuca/diagnostic?assessment=2012-01-15")
    assert n1() == n2() or abs(n1() - n2()) < 5
