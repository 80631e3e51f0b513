"""The cost study of the services: importer problems, the commands (a fee reform feeding a
scenario), the public page with its simulation, the API, drafts hidden."""
from decimal import Decimal as D

import pytest

from portal.core.tabular import TableError
from portal.finance import costs_import, costs_services, services

BASE = "/m/intipuca/finanzas/costos-servicios"
API = "/api/v1/municipalities/intipuca/finance/costs"
GOOD = (b"code,name,households,staff,supplies,fuel,disposal,other,accrued,collected,share\n"
        b"12.DS,Waste,500,30000,,6000,12000,,36000,24000,0.6\n"
        b"12.AP,Lighting,250,,9000,,,3000,15000,9826.32,40%\n")


def test_read_computes_with_the_key_and_spanish_headers(muni):
    plan = costs_import.read(muni, GOOD, "c.csv", 2031, D("10000"), "share")
    assert [r.indirect for r in plan.study.services] == [D("6000.00"), D("4000.00")]
    assert plan.study.services[0].subsidy == D("30000.00")  # 48,000 + 6,000 - 24,000
    spanish = ("código,nombre,hogares,personal,devengado,percibido\n12.DS,Desechos,10,1200,,600\n").encode()
    plan = costs_import.read(muni, spanish, "c.csv", 2031)
    assert plan.study.services[0].covering_fee == D("10.00") and plan.study.services[0].per_household_month == D("5.00")


def test_a_bad_file_names_every_row_and_column(muni):
    bad = ("código,nombre,hogares,personal,percibido,proporcion_indirectos\n"
           "12.DS,Desechos,0,100,,\n"          # 2: households
           "12.AP,Alumbrado,10,,,\n"           # 3: no direct cost
           "99.X,Otro,5,-1,abc,0.5\n"          # 4: rubro, negative, not a number, share unused
           "12.DS,Repetido,5,1,,\n").encode()  # 5: repeated
    with pytest.raises(TableError) as error:
        costs_import.read(muni, bad, "c.csv", 2031, D("100"), "direct")
    where = {(p.row, p.column) for p in error.value.problems}
    assert {(2, "hogares"), (3, "personal"), (4, "código"), (4, "personal"), (4, "percibido"),
            (4, "proporcion_indirectos"), (5, "código")} <= where


def test_commands_write_a_study_and_a_fee_reform_feeds_a_scenario(runner, db, muni, tmp_path):
    path = tmp_path / "costs.csv"
    path.write_bytes(GOOD.replace(b",0.6\n", b",\n").replace(b",40%\n", b",\n"))
    result = runner.invoke(args=["finance", "costs", "intipuca", str(path), "--year", "2031", "--indirect",
                                 "10000", "--key", "direct"])
    assert result.exit_code == 0, result.output
    assert "56,000.00" in result.output and "(draft)" in result.output
    study = costs_services.get_study(muni, 2031, published_only=False)
    assert study.allocation_key == "direct" and study.indirect_costs == D("10000")
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    before = {r.definition.code: r.value for r in services.indicators(muni, 2016, scenario=scenario)}
    result = runner.invoke(args=["finance", "fee-reform", "intipuca", "--year", "2031", "--service", "12.DS",
                                 "--fee", "8.50", "--payers", "480", "--collection-rate", "90%",
                                 "--scenario", "PRFM 2014-2018", "--from-year", "2016"])
    assert result.exit_code == 0, result.output
    assert "44,064.00" in result.output and "+20,064.00" in result.output
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    amounts = {(l.year, l.code): l.amount for l in scenario.lines}
    assert amounts[(2016, "12.DS.RT")] == D("20064.00")
    after = {r.definition.code: r.value for r in services.indicators(muni, 2016, scenario=scenario)}
    assert after["autonomia_financiera"] > before["autonomia_financiera"]
    refused = runner.invoke(args=["finance", "fee-reform", "intipuca", "--year", "2031", "--service", "12.XX",
                                  "--fee", "1", "--payers", "1", "--collection-rate", "1"])
    assert refused.exit_code != 0 and "12.XX" in refused.output


def test_public_page_explains_each_figure_and_simulates_a_reform(client):
    page = client.get(BASE).get_data(as_text=True)
    assert "<strong>$73,800.00</strong> = $63,000.00 + $10,800.00" in page
    assert "$24,903.58</strong> = costo $73,800.00 − percibido $48,896.42" in page
    assert "$8.94</strong> al mes por hogar = $73,800.00 ÷ 688 ÷ 12" in page
    page = client.get(BASE, query_string={"service": "12.AI", "fee": "8.50", "payers": "688",
                                          "collection_rate": "0.9"}).get_data(as_text=True)
    assert "$63,158.40</strong> = $8.50 × 688 × 12 × 90%" in page and "$10,641.60" in page
    bad = client.get(BASE, query_string={"service": "12.AI", "fee": "-1", "payers": "688",
                                         "collection_rate": "2"}).get_data(as_text=True)
    assert 'value="-1"' in bad and "Entre 0 y 1" in bad and "Ingreso al año" not in bad
    assert client.get(BASE + "?year=2040").status_code == 404


def test_api_and_drafts(client, db, muni):
    body = client.get(API).get_json()
    assert body["year"] == 2012 and body["totals"]["subsidy"] == "35625.68"
    assert {i["code"]: i["covering_fee"] for i in body["items"]} == {"12.AP": "2.17", "12.AI": "8.94",
                                                                     "12.PAV": "1.7"}
    plan = costs_import.read(muni, GOOD, "c.csv", 2031, D("10000"), "share")
    costs_services.replace(muni, 2031, plan)
    db.session.commit()
    assert client.get(API + "?year=2031").status_code == 404
    assert client.get(API + "?format=csv").mimetype == "text/csv"


def test_staff_put_a_fee_reform_into_a_scenario(client, db, login, muni):
    study = costs_services.get_study(muni, 2012)
    service = next(r for r in study.services if r.code == "12.AI")
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    data = {"service": service.id, "fee": "8.50", "payers": "688", "collection_rate": "0.9",
            "scenario": scenario.id, "year": "2016"}
    login(role="editor")
    refused = client.post("/m/intipuca/finanzas/gestion/costos-servicios", data=data)
    assert refused.status_code == 422 and "está publicado" in refused.get_data(as_text=True)
    login(role="publisher")
    assert "2012" in client.get("/m/intipuca/finanzas/gestion/costos-servicios").get_data(as_text=True)
    bad = client.post("/m/intipuca/finanzas/gestion/costos-servicios", data={**data, "collection_rate": "1.5"})
    assert bad.status_code == 422 and 'value="8.50"' in bad.get_data(as_text=True)
    assert client.post("/m/intipuca/finanzas/gestion/costos-servicios", data=data).status_code == 302
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    amounts = {(l.year, l.code): l.amount for l in scenario.lines}
    assert amounts[(2016, "12.AI.RT")] == D("14261.98")  # 63,158.40 - 48,896.42
