"""Loans and supplier plans: import (CLI and staff upload), the facts they feed, the limits
and the borrowing simulation, the page and the API."""
import io
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.audit.models import ChangeRecord
from portal.core.tabular import TableError
from portal.finance import debt_importing, debt_services, services
from portal.finance.debt_models import Loan

BASE = "/m/intipuca/finanzas"
API = "/api/v1/municipalities/intipuca/finance"
SCENARIO = "PRFM 2014-2018"
LOANS_EN = b"name,lender,principal,rate,years,start,method,periods_per_year,grace\n" \
           b"Camino vecinal,BANDESAL,120000.00,6%,4,2020-06,constant,4,2\n"
LOANS_ES = "nombre,acreedor,monto,tasa,plazo,inicio,método,cuotas_por_año,gracia\n" \
           "Mercado,,abc,seis,0,2020-13,bala,3,\n".encode()


def test_demo_loan_and_hand_entered_facts_win(muni):
    """2012's facts are the plan's own (the loan agrees on the balance; interest was stored
    inside another sum, so the hand-entered 0 stays); 2013 and projected years get the loan's."""
    loan = debt_services.loans(muni)[0]
    assert (loan.principal, loan.years, loan.start_year, loan.start_month) == (D("700000"), 5, 2010, 12)
    data = services.series(muni, services.get_scenario(muni, name=SCENARIO)).data
    assert data[2012].facts["saldo_deuda"] == D("441931.81") and data[2012].facts["intereses"] == 0
    assert data[2013].facts["saldo_deuda"] == D("302320.67")
    assert data[2013].facts["intereses"] == D("21783.04")
    assert data[2013].facts["intereses_ejercicio_anterior"] == D("28957.29")
    assert "servicio_deuda" not in data[2013].facts  # rubro 71 has a line in 2013: the line counts
    assert data[2015].facts["saldo_deuda"] == 0 and data[2014].facts["saldo_deuda"] == D("155146.63")
    # the illustrative supplier plan: the December 2013 instalment is unpaid at the end of 2013;
    # 2012's pasivo_circulante is the plan's own sum, entered by hand, and stays
    assert data[2013].facts["pasivo_circulante"] == D("2500.00") and data[2013].facts["deuda_corto_plazo"] == 0
    assert data[2012].facts["pasivo_circulante"] == D("12439.38")


def test_projected_debt_limit_uses_the_schedule(muni):
    scenario = services.get_scenario(muni, name=SCENARIO)
    results = {r.code: r for r in services.indicators(muni, 2014, scenario=scenario)}
    limit = results["limite_endeudamiento"]
    assert limit.inputs["saldo_deuda"] == D("155146.63")
    assert limit.value == D("155146.63") / limit.inputs["anterior_ingresos_operacionales_devengado"]
    assert limit.status == "meets"


def test_debt_service_is_derived_only_without_rubro_71(db, make):
    town = make.municipality()
    row = services.ensure_year(town, 2020)
    services.set_line(town, row, "11", "Impuestos", {"accrued": D(1000)})
    services.publish_year(town, row)
    plan = debt_importing.read(LOANS_EN, "l.csv")
    debt_services.apply(town, plan, publish=True)
    facts = services.series(town).data[2020].facts
    assert facts["servicio_deuda"] == D("0.00")  # two quarters of grace: interest only
    assert facts["intereses"] == D("3600.00") and facts["saldo_deuda"] == D("120000.00")
    later = services.series(town).data  # 2021 has no budget year: nothing derived for it
    assert 2021 not in later
    services.set_line(town, row, "71", "Amortización", {"accrued": D(5)})
    db.session.flush()
    assert "servicio_deuda" not in services.series(town).data[2020].facts


def test_supplier_facts_at_year_end():
    rows = [SimpleNamespace(due_year=2020, amount=D(100), paid=D(100), paid_year=2020),
            SimpleNamespace(due_year=2020, amount=D(100), paid=D(40), paid_year=2021),
            SimpleNamespace(due_year=2021, amount=D(50), paid=D(0), paid_year=None),
            SimpleNamespace(due_year=2022, amount=D(70), paid=D(0), paid_year=None)]
    assert debt_services.supplier_facts(rows, 2020) == {"pasivo_circulante": D(100), "deuda_corto_plazo": D(50)}
    assert debt_services.supplier_facts(rows, 2021) == {"pasivo_circulante": D(110), "deuda_corto_plazo": D(70)}


def test_supplier_plan_moves_the_facts_unless_entered_by_hand(db, make, runner, tmp_path):
    town = make.municipality()
    for year in (2020, 2021):
        services.publish_year(town, services.ensure_year(town, year))
    services.set_fact(town, services.get_year(town, 2021), "pasivo_circulante", D("9.99"))
    db.session.commit()
    path = tmp_path / "proveedores.csv"
    path.write_text("proveedor,vencimiento,monto,pagado,año_pago\nFerretería,2020-03,100,100,2020\n"
                    "Ferretería,2020-09,100,,\nImprenta,2021-02,80,,\n", encoding="utf-8")
    result = runner.invoke(args=["finance", "loans", town.slug, str(path), "--suppliers", "--publish"])
    assert result.exit_code == 0, result.output
    assert "Ferretería" in result.output and "100.00" in result.output
    data = services.series(town).data
    assert data[2020].facts["pasivo_circulante"] == D(100) and data[2020].facts["deuda_corto_plazo"] == D(80)
    assert data[2021].facts["pasivo_circulante"] == D("9.99")  # entered by hand: it wins
    page = runner.app.test_client().get(f"/m/{town.slug}/finanzas/deuda").get_data(as_text=True)
    assert "Imprenta" in page and "02/2021" in page


def test_cli_imports_loans_with_their_schedule_and_records_them(runner, db, make, tmp_path):
    town = make.municipality()
    db.session.commit()
    path = tmp_path / "loans.csv"
    path.write_bytes(LOANS_EN)
    result = runner.invoke(args=["finance", "loans", town.slug, str(path), "--publish"])
    assert result.exit_code == 0, result.output
    assert "Camino vecinal" in result.output and "120,000.00" in result.output and "published" in result.output
    loan = db.session.execute(select(Loan).where(Loan.municipality_id == town.id)).scalar_one()
    assert loan.rate == D("0.06") and loan.method == "constant" and loan.grace_periods == 2 and loan.is_published
    records = db.session.execute(select(ChangeRecord).where(ChangeRecord.municipality_id == town.id,
                                                            ChangeRecord.object_type == "Loan")).scalars().all()
    assert any(r.action == "publish_contents" for r in records)
    path.write_bytes(LOANS_EN.replace(b"120000.00", b"130000.00"))
    result = runner.invoke(args=["finance", "loans", town.slug, str(path)])
    assert result.exit_code == 1 and "nothing was written" in result.output  # published: needs --publish
    assert "Camino vecinal" in result.output.split("nothing was written")[1]
    db.session.expire_all()
    assert db.session.get(Loan, loan.id).principal == D("120000")


def test_bad_loans_file_names_every_row_and_column_as_written(runner, db, make, tmp_path):
    town = make.municipality()
    db.session.commit()
    path = tmp_path / "prestamos.csv"
    path.write_bytes(LOANS_ES)
    result = runner.invoke(args=["finance", "loans", town.slug, str(path)])
    assert result.exit_code == 1
    for column in ("monto", "tasa", "plazo", "inicio", "método", "cuotas_por_año"):
        assert f"fila 2, columna «{column}»" in result.output, column
    assert "escriba 6% o 0.06" in result.output and "año-mes" in result.output
    assert db.session.execute(select(Loan).where(Loan.municipality_id == town.id)).first() is None


@pytest.mark.parametrize("text, problem", [
    (b"name,principal,rate,years,start\nA,100,5%,2,2020-01\nA,100,5%,2,2020-01\n", ("name", 3)),
    (b"name,principal,rate,years,start,periods_per_year,grace\nA,100,5%,1,2020-01,1,1\n", ("grace", 2)),
    (b"name,principal,rate,years,start\nA,100,150%,1,2020-01\n", ("rate", 2)),
    (b"name,principal,years,start\nA,100,1,2020-01\n", ("rate", 1)),
    (b"name,principal,rate,years,start\nA,100,5%,,2020-01\n", ("years", 2)),  # a blank term, named
])
def test_loan_file_problems(text, problem):
    with pytest.raises(TableError) as error:
        debt_importing.read(text, "l.csv")
    assert (error.value.problems[0].column, error.value.problems[0].row) == problem


def test_rates_as_fraction_or_percent_and_decimal_comma():
    assert debt_importing.parse_rate("6%") == D("0.06") == debt_importing.parse_rate("0.06")
    assert debt_importing.parse_rate("5.34567 %") == D("0.0534567")
    plan = debt_importing.read("nombre;monto;tasa;plazo;inicio\nA;1.234,50;6,5%;2;2020-01\n".encode(), "l.csv")
    assert plan.rows[0][2].principal == D("1234.50") and plan.rows[0][2].rate == D("0.065")


def test_api_and_page_show_the_demo_debt(client):
    data = client.get(f"{API}/debt").get_json()
    loan = data["items"][0]
    assert loan["principal"] == "700000.00" or D(loan["principal"]) == D(700000)
    years = {y["year"]: y for y in loan["by_year"]}
    assert years[2012]["balance"] == "441931.81" and (loan["maturity_year"], loan["maturity_month"]) == (2015, 12)
    limits = {(l["year"], l["code"]): l for l in data["limits"]}
    assert D(limits[(2012, "endeudamiento")]["value"]) == D("441931.81") / D("998282.64")
    assert limits[(2012, "endeudamiento")]["ok"] is True
    projected = client.get(f"{API}/debt?scenario={SCENARIO}").get_json()
    assert projected["scenario"] == SCENARIO
    assert any(l["year"] == 2016 and l["projected"] for l in projected["limits"])
    assert client.get(f"{API}/debt?scenario=No+existe").status_code == 404
    page = client.get(f"{BASE}/deuda").get_data(as_text=True)
    assert "441.931,81" in page or "441,931.81" in page
    assert "Límites legales por año" in page and "Simular" in page
    assert "441931.81" not in page  # people read formatted numbers


def test_simulation_adds_the_new_loan_to_every_year(client, muni):
    query = f"monto=200000&plazo=8&tasa=6&desde=2014&metodo=french&cuotas=12&escenario={SCENARIO}"
    page = client.get(f"{BASE}/deuda?{query}").get_data(as_text=True)
    assert "El préstamo simulado por año" in page and "Incluye el préstamo simulado" in page
    from portal.finance import debt
    extra = debt.Loan(D(200000), D("0.06"), 8, 2014, 12, debt.FRENCH, 12)
    plain = {row.year: row for row in debt_services.limits_table(muni, services.get_scenario(muni, name=SCENARIO))}
    table = {row.year: row for row in debt_services.limits_table(
        muni, services.get_scenario(muni, name=SCENARIO), extra)}
    assert table[2014].balance == plain[2014].balance + debt.by_year(extra)[2014].balance
    assert table[2014].service == plain[2014].service + debt.by_year(extra)[2014].service
    assert table[2013].balance == plain[2013].balance  # before the disbursement, nothing changes
    assert table[2016].checks[0].value > plain[2016].checks[0].value


def test_simulation_errors_keep_what_was_typed(client):
    page = client.get(f"{BASE}/deuda?monto=abc&plazo=80&tasa=6&desde=2014").get_data(as_text=True)
    assert "El plazo va de 1 a 50 años." in page and 'value="80"' in page and 'value="abc"' in page
    assert "Incluye el préstamo simulado" not in page


def test_staff_upload_preview_then_confirm(client, db, login, muni):
    assert client.get(f"{BASE}/deuda/importar").status_code == 302
    login(role="resident")
    assert client.get(f"{BASE}/deuda/importar").status_code == 403
    login(role="editor")
    page = client.post(f"{BASE}/deuda/importar", data={"file": (io.BytesIO(LOANS_ES), "p.csv"), "kind": "loans"},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "no se importó" in page and "columna «tasa»" in page
    response = client.post(f"{BASE}/deuda/importar", data={"file": (io.BytesIO(LOANS_EN), "l.csv"),
                                                            "kind": "loans"}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Vista previa" in page and "Camino vecinal" in page
    assert not [l for l in debt_services.loans(muni, published_only=False) if l.name == "Camino vecinal"]
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"{BASE}/deuda/importar/confirmar", data={"token": token}).status_code == 302
    saved = [l for l in debt_services.loans(muni, published_only=False) if l.name == "Camino vecinal"]
    assert len(saved) == 1 and not saved[0].is_published  # an editor's loan is a draft
    assert "Camino vecinal" not in client.get(f"{API}/debt").get_data(as_text=True)
    assert client.get(f"{BASE}/deuda/plantillas/loans.csv").get_data(as_text=True).lstrip("\ufeff").startswith("name,lender")
