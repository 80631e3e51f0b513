"""Pages, downloads, the API, the staff import flow, access and query counts."""
import io
from decimal import Decimal as D

from sqlalchemy import func, select

from portal.finance import services
from portal.finance.models import BudgetLine

BASE = "/m/intipuca/finanzas"
API = "/api/v1/municipalities/intipuca/finance"


def test_public_pages_show_the_demo(client):
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Presupuesto 2013" in page and "Impuestos" in page and "<svg" in page and "<table" in page
    assert "1.080.337,86" in page or "1,080,337.86" in page
    dashboard = client.get(f"{BASE}/indicadores?year=2012").get_data(as_text=True)
    assert "Autonomía financiera" in dashboard and "No cumple" in dashboard and "band-bajo" in dashboard
    assert "No calculable" in dashboard and "Falta el dato" in dashboard
    indicator = client.get(f"{BASE}/indicadores/autonomia_financiera?year=2012").get_data(as_text=True)
    assert "183958.81 / 1064147.34" in indicator and "PRFM 2014-2018" in indicator
    assert client.get(f"{BASE}/indicadores/no_existe").status_code == 404
    scenarios = client.get(f"{BASE}/escenarios").get_data(as_text=True)
    assert "PRFM 2014-2018" in scenarios


def test_scenario_page_and_projected_dashboard(client, muni):
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    page = client.get(f"{BASE}/escenarios/{scenario.id}").get_data(as_text=True)
    assert "Reforma a la ordenanza de tasas" in page and "2018" in page
    assert "11.281,31" in page or "11,281.31" in page
    projected = client.get(f"{BASE}/indicadores?scenario=PRFM+2014-2018&year=2015").get_data(as_text=True)
    assert "Valores proyectados" in projected
    assert client.get(f"{BASE}/indicadores?scenario=No+existe").status_code == 404


def test_downloads(client):
    csv = client.get(f"{BASE}/presupuesto/2013.csv")
    assert csv.status_code == 200 and "61,Inversiones en activos fijos,61,Egreso" in csv.get_data(as_text=True)
    xlsx = client.get(f"{BASE}/presupuesto/2013.xlsx")
    assert xlsx.data[:2] == b"PK"
    indicators = client.get(f"{BASE}/indicadores.csv?year=2012").get_data(as_text=True)
    assert "autonomia_financiera" in indicators and "183958.81 / 1064147.34" in indicators
    assert client.get(f"{BASE}/indicadores.xlsx?year=2012").data[:2] == b"PK"
    assert client.get(f"{BASE}/presupuesto/1999.csv").status_code == 404


def test_api(client):
    budget = client.get(f"{API}/budget?year=2013").get_json()
    assert budget["totals"]["income"]["accrued"] == "1080337.86"
    assert budget["totals"]["expense"]["accrued"] == "1220241.69"
    assert budget["lines"][0]["code"] == "11" and budget["lines"][0]["modified"] is None
    data = client.get(f"{API}/indicators?year=2012").get_json()
    first = data["indicators"][0]
    assert set(first) >= {"code", "name", "value", "unit", "threshold", "direction", "status", "formula", "inputs"}
    assert first["code"] == "autonomia_financiera" and D(first["value"]) == D("183958.81") / D("1064147.34")
    assert first["threshold"] == "0.25" and first["inputs"]["ingresos_totales_devengado"] == "1064147.34"
    assert len(data["indicators"]) == 20
    not_computable = next(i for i in data["indicators"] if i["code"] == "ejecucion_ingresos")
    assert not_computable["value"] is None and not_computable["status"] == "not_computable"
    projected = client.get(f"{API}/indicators?year=2015&scenario=PRFM 2014-2018").get_json()
    assert projected["projected"] is True and projected["scenario"] == "PRFM 2014-2018"
    scenarios = client.get(f"{API}/scenarios").get_json()["scenarios"]
    assert scenarios[0]["name"] == "PRFM 2014-2018" and scenarios[0]["years"] == [2014, 2015, 2016, 2017, 2018]
    assert client.get(f"{API}/budget?year=1990").status_code == 404
    assert client.get("/api/v1/municipalities/nadie/finance/budget").status_code == 404


def test_drafts_and_other_municipalities_are_hidden(client, db, make, muni):
    other = make.municipality()
    row = services.ensure_year(other, 2020)
    services.set_line(other, row, "11", "Impuestos", {"accrued": D(1)})
    scenario = services.ensure_scenario(other, "Borrador")
    db.session.commit()
    assert client.get(f"/m/{other.slug}/finanzas/presupuesto/2020").status_code == 404
    assert client.get(f"/api/v1/municipalities/{other.slug}/finance/budget?year=2020").status_code == 404
    assert client.get(f"/m/{other.slug}/finanzas/escenarios/{scenario.id}").status_code == 404
    published = services.get_scenario(muni, name="PRFM 2014-2018")
    assert client.get(f"/m/{other.slug}/finanzas/escenarios/{published.id}").status_code == 404
    assert "todavía no publica" in client.get(f"/m/{other.slug}/finanzas/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(f"{BASE}/importar").status_code == 302
    assert client.get(f"{BASE}/gestion").status_code == 302


def test_import_needs_an_editor(client, login, make, muni):
    login(role="resident")
    assert client.get(f"{BASE}/importar").status_code == 403
    assert client.post(f"{BASE}/gestion/anos/2013/publicar").status_code == 403


def test_web_import_preview_then_confirm(client, db, login, muni):
    login(role="publisher")
    page = client.get(f"{BASE}/importar").get_data(as_text=True)
    assert "Archivo CSV o XLSX" in page and "plantillas/lines.csv" in page
    data = b"year,code,name,approved,accrued,cash\n2040,11,Impuestos,100,90,80\n2040,61,Obras,10,5,5\n"
    response = client.post(f"{BASE}/importar", data={"file": (io.BytesIO(data), "l.csv"), "kind": "lines",
                                                     "publish": "y"}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Vista previa" in page and "Confirmar e importar" in page
    assert services.get_year(muni, 2040, published_only=False) is None
    with client.session_transaction() as session:
        assert not any("2040" in str(v) for v in session.values())  # the file is not in the cookie
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"{BASE}/importar/confirmar", data={"token": token})
    assert response.status_code == 302
    row = services.get_year(muni, 2040)
    assert row is not None and len(row.lines) == 2
    assert client.post(f"{BASE}/importar/confirmar", data={"token": token + "x"}).status_code == 302


def test_web_import_shows_every_problem(client, db, login, muni):
    login(role="editor")
    before = db.session.scalar(select(func.count()).select_from(BudgetLine))
    data = b"year,code,name,accrued\n2041,11,Impuestos,abc\n2041,88,X,1\n"
    page = client.post(f"{BASE}/importar", data={"file": (io.BytesIO(data), "l.csv"), "kind": "lines"},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "no se importó" in page and "Fila 2" in page and "accrued" in page and "Fila 3" in page
    assert db.session.scalar(select(func.count()).select_from(BudgetLine)) == before


def test_manage_publish_and_rules(client, db, login, muni):
    login(role="publisher")
    row = services.ensure_year(muni, 2042)
    services.set_line(muni, row, "11", "Impuestos", {"accrued": D(5)})
    db.session.commit()
    assert "2042" in client.get(f"{BASE}/gestion").get_data(as_text=True)
    assert client.post(f"{BASE}/gestion/anos/2042/publicar").status_code == 302
    assert services.get_year(muni, 2042) is not None
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    response = client.post(f"{BASE}/gestion/escenarios/{scenario.id}/reglas",
                           data={"code": "14", "method": "percentage", "rate": "0.10", "from_year": "2014",
                                 "to_year": "2018", "name": "Venta"})
    assert response.status_code == 302
    assert client.post(f"{BASE}/gestion/escenarios/{scenario.id}/recalcular").status_code == 302
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    amounts = {(l.year, l.code): l.amount for l in scenario.lines}
    assert amounts[(2014, "14")] == D("151.46") * D("1.10")
    bad = client.post(f"{BASE}/gestion/escenarios/{scenario.id}/reglas",
                      data={"code": "99", "method": "percentage", "rate": "0.1", "from_year": "2014"})
    assert bad.status_code == 200 and "no está en el clasificador" in bad.get_data(as_text=True)


def test_query_counts_do_not_grow_with_data(client, db, make, queries):
    small, large = make.municipality(), make.municipality()
    for municipality, years, lines in ((small, [2020], 2), (large, [2018, 2019, 2020], 40)):
        for year in years:
            row = services.ensure_year(municipality, year)
            for n in range(lines):
                services.set_line(municipality, row, f"11.{n}", f"L{n}", {"accrued": D(n + 1), "cash": D(n)})
                services.set_line(municipality, row, f"51.{n}", f"G{n}", {"accrued": D(n + 1)})
            services.set_fact(municipality, row, "saldo_deuda", D(10))
            db.session.flush()
            services.publish_year(municipality, row)
        db.session.commit()
    counts = {}
    for municipality in (small, large):
        for url in ("/finanzas/", "/finanzas/indicadores", "/finanzas/indicadores/autonomia_financiera",
                    "/finanzas/presupuesto/2020.csv"):
            with queries() as n:
                assert client.get(f"/m/{municipality.slug}{url}").status_code == 200
            counts.setdefault(url, []).append(n())
        with queries() as n:
            assert client.get(f"/api/v1/municipalities/{municipality.slug}/finance/indicators").status_code == 200
        counts.setdefault("api", []).append(n())
    for url, (a, b) in counts.items():
        assert a == b, (url, a, b)
