"""Revenue potential: the importer (Spanish and English headers, rates, every problem named),
the command, the staff upload with preview, the public page and API on Intipucá's demo, the
change record, and rows becoming projection rules that move the projected indicators."""
import io
import json
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.audit.models import ChangeRecord
from portal.core.tabular import TableError
from portal.finance import revenue, revenue_demo, revenue_import, revenue_services, services
from portal.finance.revenue_models import RevenueRow, RevenueStudy

BASE = "/m/intipuca/finanzas"
API = "/api/v1/municipalities/intipuca/finance/revenue"
ENGLISH = (b"group,code,name,collected,accrued,payers,monthly_payment,arrears_balance,recovery_rate,rate\n"
           b"potencial,12.AP,Street lighting,100,150.50,10,1.25,,,\n"
           b"potencial,11.M,Tax arrears,,,,,1000,0.05,\n"
           b"reforma,12.AP.R,New lighting fee,,,20,2,,,\n"
           b"medida,12.C,Better billing,,,,,,,12.5%\n")


def rows(db, model, municipality):
    return db.session.scalar(select(func.count()).select_from(model).where(model.municipality_id == municipality.id))


def test_the_demo_reproduces_the_plans_table_to_the_cent(client):
    body = client.get(API).get_json()
    assert body["year"] == 2012 and body["years"] == [2012] and len(body["items"]) == 14
    assert body["subtotals"]["potencial"]["total"] == "111511.55"
    assert body["subtotals"]["potencial"]["foregone"] == "22581.58"
    assert body["subtotals"]["potencial"]["additional"] == "83271.72"
    assert body["subtotals"]["potencial"]["arrears_recovery"] == "5658.25"
    assert body["subtotals"]["potencial"]["collected"] == "77618.42"
    assert body["reforms_and_measures"] == "85064.64" and body["total"] == "196576.19"
    totals = {i["code"]: i["total"] for i in body["items"]}
    assert totals == {"12.AP": "8050.44", "12.AI": "24605.74", "12.PAV": "7284.5", "12.BC": "2449.2",
                      "12.DS": "54245.52", "12.AN": "3222", "11.IMP": "6570.71", "12.MORA": "5083.44",
                      "12.AP.R": "10611", "12.AI.R": "54324.48", "12.PAV.R": "4243.2", "12.BC.R": "4243.2",
                      "12.COBRO": "7761.84", "12.CAT": "3880.92"}
    taxes = next(i for i in body["items"] if i["code"] == "11.IMP")
    assert (taxes["foregone"], taxes["additional"], taxes["arrears_recovery"], taxes["recovery_rate"]) == \
        ("3955.9", "2040", "574.81", "0.1")


def test_api_csv_unknown_year_and_other_municipalities(client, make):
    response = client.get(API + "?year=2012&format=csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].lstrip("\ufeff").startswith("year,group,code,name,collected") and len(lines) == 15
    assert client.get(API + "?year=2013").status_code == 404
    assert client.get(API + "?year=12345").status_code == 400
    other = make.municipality()
    assert client.get(f"/api/v1/municipalities/{other.slug}/finance/revenue").status_code == 404


def test_public_page_explains_each_figure_with_its_numbers(client):
    page = client.get(f"{BASE}/ingresos-potenciales").get_data(as_text=True)
    assert "$5,173.68</strong> = devengado $15,000.00 − percibido $9,826.32" in page
    assert "$2,876.76</strong> = 183 contribuyentes × $1.31 al mes × 12 meses" in page
    assert "$574.81</strong> = saldo en mora $5,748.06 × 10%" in page
    assert "$7,761.84</strong> = 10% de lo percibido por servicios e impuestos ($77,618.42)" in page
    for figure in ("$111,511.55", "$85,064.64", "$196,576.19"):
        assert figure in page
    from flask import g

    client.set_cookie("lang", "en")
    g.pop("_flask_babel", None)  # the test shares one app context (and Flask-Babel's choice) across requests
    english = client.get(f"{BASE}/ingresos-potenciales").get_data(as_text=True)
    assert "Revenue potential" in english and "accrued $15,000.00 − collected $9,826.32" in english
    assert client.get(f"{BASE}/ingresos-potenciales?year=2030").status_code == 404


def test_drafts_are_hidden(client, db, muni):
    plan = revenue_import.read(muni, ENGLISH, "x.csv", 2031)
    revenue_services.replace(muni, 2031, plan.rows)
    db.session.commit()
    assert client.get(API + "?year=2031").status_code == 404
    assert client.get(API).get_json()["year"] == 2012


def test_english_headers_rates_and_computation(muni):
    plan = revenue_import.read(muni, ENGLISH, "x.csv", 2031)
    table = plan.table
    assert [c.total for c in table.rows] == [D("200.50"), D("50.00"), D("480.00"), D("12.50")]
    assert plan.rows[3].rate == D("0.125") and plan.rows[1].recovery_rate == D("0.05")
    assert table.total == D("743.00")


def test_spanish_headers_and_decimal_comma(muni):
    data = ("grupo;código;nombre;percibido;devengado;contribuyentes;pago_mensual;saldo_mora;tasa_recuperacion;tasa\n"
            "potencial;12.AP;Alumbrado;1.000,50;1.500,50;;;;;\n"
            "medida;12.C;Cobro;;;;;;;10,5%\n").encode()
    plan = revenue_import.read(muni, data, "x.csv", 2031)
    assert plan.decimal_comma_detected
    assert [c.total for c in plan.table.rows] == [D("500.00"), D("105.05")]


BAD = ("grupo,código,nombre,percibido,devengado,contribuyentes,pago_mensual,saldo_mora,tasa_recuperacion,tasa\n"
       "potencial,12.AP,Alumbrado,100,,,,,,\n"          # 2: accrued missing
       "otro,12.X,Algo,1,2,,,,,\n"                       # 3: unknown group
       "reforma,12.R,Reforma,,,10.5,2,,,\n"              # 4: payers not whole
       "medida,12.C,Cobro,,,,,,,10\n"                   # 5: a rate of 10 without the sign
       "potencial,99.1,Desconocido,1,2,,,,,\n"           # 6: rubro not in the classifier
       "reforma,12.R,Otra vez,,,1,2,,,0.1\n"             # 7: repeated code, rate unused by reforma
       "potencial,12.N,,,,,,,,\n")                       # 8: no name and nothing to compute


def test_a_bad_file_names_every_row_and_column_as_written_and_writes_nothing(db, muni):
    before = (rows(db, RevenueStudy, muni), rows(db, RevenueRow, muni))
    with pytest.raises(TableError) as error:
        revenue_import.read(muni, BAD.encode(), "bad.csv", 2031)
    where = {(p.row, p.column) for p in error.value.problems}
    assert {(2, "devengado"), (3, "grupo"), (4, "contribuyentes"), (5, "tasa"), (6, "código"), (7, "código"),
            (7, "tasa"), (8, "nombre"), (8, "percibido")} <= where
    messages = {(p.row, p.column): str(p.message) for p in error.value.problems}
    assert "10%" in messages[(5, "tasa")] and "potencial, reforma o medida" in messages[(3, "grupo")]
    assert "«percibido» / «devengado» van juntos" in messages[(2, "devengado")]
    assert (rows(db, RevenueStudy, muni), rows(db, RevenueRow, muni)) == before


def test_a_measure_needs_collected_potential_rows(muni):
    with pytest.raises(TableError) as error:
        revenue_import.read(muni, b"group,code,name,rate\nmedida,12.C,Cobro,0.1\n", "x.csv", 2031)
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "rate")]


def test_cli_writes_a_draft_and_replacing_a_published_table_needs_publish(runner, db, muni, tmp_path):
    path = tmp_path / "revenue.csv"
    path.write_bytes(ENGLISH)
    result = runner.invoke(args=["finance", "revenue", "intipuca", str(path), "--year", "2031"])
    assert result.exit_code == 0, result.output
    assert "743.00" in result.output and "(draft)" in result.output
    study = revenue_services.get_study(muni, 2031, published_only=False)
    assert study.status == "draft" and len(study.rows) == 4
    demo = revenue_demo.FILE
    refused = runner.invoke(args=["finance", "revenue", "intipuca", str(path), "--year", "2012"])
    assert refused.exit_code != 0 and "--publish" in refused.output
    assert len(revenue_services.get_study(muni, 2012).rows) == 14
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["finance", "revenue", "intipuca", str(bad), "--year", "2031"])
    assert result.exit_code == 1 and "fila 5" in result.output and "«tasa»" in result.output
    assert demo.exists()


def test_replacing_a_published_table_is_in_the_change_record(runner, db, muni, tmp_path):
    path = tmp_path / "revenue.csv"
    path.write_bytes(revenue_demo.FILE.read_bytes().replace(b"12.AP,Alumbrado p\xc3\xbablico,9826.32",
                                                            b"12.AP,Alumbrado p\xc3\xbablico,9000.00"))
    before = db.session.scalar(select(func.max(ChangeRecord.id)))
    result = runner.invoke(args=["finance", "revenue", "intipuca", str(path), "--year", "2012", "--publish"])
    assert result.exit_code == 0, result.output
    changes = db.session.scalars(select(ChangeRecord).where(ChangeRecord.id > before,
                                                            ChangeRecord.object_type == "RevenueRow")).all()
    assert any(json.loads(c.changes).get("collected", [None, None])[1] in ("9000.00", "9000", "9000.0000")
               for c in changes), [c.changes for c in changes]


def test_rows_dropped_from_a_published_table_are_deletions_in_the_change_record(client, db, login, muni):
    before = db.session.scalar(select(func.max(ChangeRecord.id)))
    login(role="publisher")
    page = client.post(f"{BASE}/ingresos-potenciales/importar",
                       data={"file": (io.BytesIO(ENGLISH), "r.csv"), "year": "2012"},
                       content_type="multipart/form-data").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"{BASE}/ingresos-potenciales/importar/confirmar", data={"token": token}).status_code == 302
    assert len(revenue_services.get_study(muni, 2012).rows) == 4
    deleted = db.session.scalars(select(ChangeRecord).where(ChangeRecord.id > before,
                                                            ChangeRecord.object_type == "RevenueRow",
                                                            ChangeRecord.action == "delete")).all()
    assert any("12.MORA" in (c.summary or "") + (c.changes or "") for c in deleted), [c.summary for c in deleted]


def test_staff_upload_preview_then_confirm(client, db, login, muni):
    login(role="editor")
    page = client.get(f"{BASE}/ingresos-potenciales/importar").get_data(as_text=True)
    assert "plantillas/ingresos-potenciales.csv" in page
    response = client.post(f"{BASE}/ingresos-potenciales/importar",
                           data={"file": (io.BytesIO(ENGLISH), "r.csv"), "year": "2031"},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Vista previa" in page and "$743.00" in page and "$200.50" in page
    assert revenue_services.get_study(muni, 2031, published_only=False) is None  # a preview writes nothing
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"{BASE}/ingresos-potenciales/importar/confirmar", data={"token": token}).status_code == 302
    study = revenue_services.get_study(muni, 2031, published_only=False)
    assert study is not None and study.status == "draft" and len(study.rows) == 4


def test_staff_upload_shows_every_problem_and_keeps_the_year(client, login):
    login(role="editor")
    page = client.post(f"{BASE}/ingresos-potenciales/importar",
                       data={"file": (io.BytesIO(BAD.encode()), "bad.csv"), "year": "2031"},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "no se importó" in page and "Fila 5" in page and "columna «tasa»" in page
    assert 'value="2031"' in page


def test_an_editor_cannot_replace_a_published_table(client, login):
    login(role="editor")
    page = client.post(f"{BASE}/ingresos-potenciales/importar",
                       data={"file": (io.BytesIO(ENGLISH), "r.csv"), "year": "2012"},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "está publicada" in page and "Vista previa" not in page


def test_publisher_publishes_a_draft(client, db, login, muni):
    plan = revenue_import.read(muni, ENGLISH, "x.csv", 2031)
    revenue_services.replace(muni, 2031, plan.rows)
    db.session.commit()
    login(role="publisher")
    assert "2031" in client.get(f"{BASE}/gestion/ingresos-potenciales").get_data(as_text=True)
    assert client.post(f"{BASE}/gestion/ingresos-potenciales/2031/publicar").status_code == 302
    assert client.get(API + "?year=2031").get_json()["total"] == "743"


def test_a_row_becomes_a_rule_and_the_projected_indicators_move(client, db, login, muni):
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    before = {r.definition.code: r.value for r in services.indicators(muni, 2016, scenario=scenario)}
    study = revenue_services.get_study(muni, 2012)
    row = next(r for r in study.rows if r.code == "12.DS")
    login(role="publisher")
    response = client.post(f"{BASE}/gestion/ingresos-potenciales",
                           data={"row": row.id, "scenario": scenario.id, "mode": "from", "year": "2015"})
    assert response.status_code == 302
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    amounts = {(l.year, l.code): l.amount for l in scenario.lines}
    assert amounts[(2015, "12.DS")] == D("54245.52")
    assert (2016, "12.DS") not in amounts  # absorbed into the fees line from the next year
    after = {r.definition.code: r.value for r in services.indicators(muni, 2016, scenario=scenario)}
    assert after["autonomia_financiera"] > before["autonomia_financiera"]
    once = next(r for r in study.rows if r.code == "12.MORA")
    client.post(f"{BASE}/gestion/ingresos-potenciales",
                data={"row": once.id, "scenario": scenario.id, "mode": "once", "year": "2017"})
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    years = sorted(l.year for l in scenario.lines if l.code == "12.MORA")
    assert D("5083.44") in {l.amount for l in scenario.lines if l.code == "12.MORA" and l.year == 2017}
    assert 2018 not in years


def test_an_editor_cannot_change_a_published_scenario_and_bad_years_are_refused(client, db, login, muni):
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    row = next(r for r in revenue_services.get_study(muni, 2012).rows if r.code == "12.AP")
    rules = len(scenario.rules)
    login(role="editor")
    page = client.post(f"{BASE}/gestion/ingresos-potenciales",
                       data={"row": row.id, "scenario": scenario.id, "mode": "once", "year": "2015"})
    assert page.status_code == 422 and "está publicado" in page.get_data(as_text=True)
    login(role="publisher")
    page = client.post(f"{BASE}/gestion/ingresos-potenciales",
                       data={"row": row.id, "scenario": scenario.id, "mode": "once", "year": "2013"})
    assert page.status_code == 422 and "posterior al año base" in page.get_data(as_text=True)
    assert len(services.get_scenario(muni, name="PRFM 2014-2018").rules) == rules


@pytest.mark.parametrize("code,mode,method,to_year", [("12.AP", "once", "direct", 2015),
                                                       ("12.AP", "from", "oneoff", None)])
def test_as_rule(code, mode, method, to_year):
    rule = revenue_services.as_rule(revenue.Row("potencial", code, "x"), D("10.00"), mode, 2015)
    assert (rule.method, rule.from_year, rule.to_year, rule.amount) == (method, 2015, to_year, D("10.00"))


def test_a_rubro_code_cannot_become_a_rule():
    with pytest.raises(services.FinanceError):
        revenue_services.as_rule(revenue.Row("potencial", "12", "x"), D("1"), "once", 2015)


def test_a_token_of_one_importer_is_refused_by_the_other(client, login):
    login(role="editor")
    page = client.post(f"{BASE}/ingresos-potenciales/importar", data={"file": (io.BytesIO(ENGLISH), "r.csv"),
                                                                      "year": "2031"},
                       content_type="multipart/form-data").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"{BASE}/importar/confirmar", data={"token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/importar")


def test_open_datasets_through_the_registry(client):
    from portal.core import registry

    assert {"ingresos-potenciales", "costos-servicios"} <= {d.key for d in registry.datasets()}
    body = client.get("/api/v1/municipalities/intipuca/datasets/ingresos-potenciales", query_string={"limit": 100})
    items = body.get_json()["items"]
    assert len(items) == 14 and sum(D(i["total"]) for i in items) == D("196576.19")
    costs = client.get("/api/v1/municipalities/intipuca/datasets/costos-servicios").get_json()["items"]
    assert {i["code"]: i["covering_fee"] for i in costs}["12.AI"] == "8.94"
    listing = client.get("/api/v1/municipalities/intipuca/datasets").get_json()["items"]
    assert {"ingresos-potenciales", "costos-servicios"} <= {d["key"] for d in listing}
