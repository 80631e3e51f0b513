"""Imports: preview, one transaction, every bad row and column named; the CLI."""
import io
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.core.tabular import TableError
from portal.finance import importing, services
from portal.finance.models import BudgetLine, BudgetYear, Fact, ProjectedLine

GOOD = ("año,código,nombre,presupuestado,modificado,devengado,percibido,etiquetas\n"
        "2021,11,Impuestos,\"12,000.00\",,\"10,744.10\",9000,\n"
        "2021,11.01,Recuperación de mora,500,,287.40,,\n"
        "2021,61,Inversiones,600000,,495693.74,,infraestructura\n").encode()
BAD = ("year,code,name,approved,modified,accrued,cash,tags\n"
       "2021,11,Impuestos,100,,80.50,70,\n"
       "20x1,11,Impuestos,100,,,,\n"
       "2021,99,Desconocido,100,,,,\n"
       "2021,12,Tasas,\"1,5\",,,,\n"
       "2021,11,Impuestos otra vez,1,,,,\n"
       "2021,14,Venta,,,,,\n").encode()


def count(db, model, municipality):
    return db.session.scalar(select(func.count()).select_from(model).where(model.municipality_id == municipality.id))


def test_read_previews_totals_per_rubro_and_aggregates(db, make):
    m = make.municipality()
    plan = importing.read(m, GOOD, "lines.csv")
    item = plan.preview[2021]
    rubros = {code: totals for code, _, totals in item["rubros"]}
    assert rubros["11"]["accrued"] == D("11031.50") and rubros["11"]["cash"] == D(9000)
    assert rubros["11"]["modified"] is None  # empty is absent, not zero
    assert item["aggregates"]["ingresos_propios"]["devengado"] == D("11031.50")
    assert item["aggregates"]["inversion"]["presupuestado"] == D(600000)
    assert count(db, BudgetLine, m) == 0  # a preview writes nothing
    importing.apply(m, plan)
    db.session.flush()
    row = services.get_year(m, 2021, published_only=False)
    assert row.status == "draft" and len(row.lines) == 3
    assert next(l for l in row.lines if l.code == "61").tag_list == ("infraestructura",)


def test_malformed_file_changes_nothing_and_names_every_row_and_column(db, muni):
    before = (count(db, BudgetLine, muni), count(db, BudgetYear, muni))
    with pytest.raises(TableError) as error:
        importing.read(muni, BAD, "bad.csv")
    where = {(p.row, p.column) for p in error.value.problems}
    assert {(3, "year"), (4, "code"), (5, "approved"), (6, "code"), (7, "approved")} <= where
    assert (count(db, BudgetLine, muni), count(db, BudgetYear, muni)) == before


def test_unknown_and_missing_columns_are_refused(muni):
    with pytest.raises(TableError) as error:
        importing.read(muni, b"year,name,importe\n2020,x,1\n", "x.csv")
    columns = {p.column for p in error.value.problems}
    assert "importe" in columns and "code" in columns


def test_decimal_comma_and_xlsx(db, make):
    from openpyxl import Workbook

    m = make.municipality()
    plan = importing.read(m, "año;código;nombre;devengado\n2021;12;Tasas;1.234,56\n".encode(), "x.csv",
                          decimal_comma=True)
    assert plan.rows[0][3]["accrued"] == D("1234.56") and not plan.decimal_comma_detected
    # Not told, the file's own numbers show the decimal comma: read so, and the preview says it.
    plan = importing.read(m, "year,code,name,accrued\n2021,12,Tasas,\"1.234,56\"\n".encode(), "x.csv")
    assert plan.rows[0][3]["accrued"] == D("1234.56") and plan.decimal_comma_detected
    # Numbers that disagree are each reported, never guessed.
    with pytest.raises(TableError) as error:
        importing.read(m, "year,code,name,accrued\n2021,12,Tasas,\"1.234,56\"\n2021,11,Impuestos,10.5\n".encode(),
                       "x.csv")
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "accrued")]
    book = Workbook()
    sheet = book.active
    sheet.append(["year", "code", "name", "approved", "accrued"])
    sheet.append([2021, "51", "Remuneraciones", 1000, 900.5])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = importing.read(m, buffer.getvalue(), "x.xlsx")
    assert plan.rows[0][3]["accrued"] == D("900.5")


def test_facts_and_scenario_lines(db, make):
    m = make.municipality()
    with pytest.raises(TableError) as error:
        importing.read(m, b"year,fact,value\n2021,saldo_deuda,\"441,931.81\"\n2021,Mal Nombre,1\n", "f.csv",
                       importing.FACTS)
    assert [(p.row, p.column) for p in error.value.problems] == [(3, "fact")]
    facts = importing.read(m, b"hecho,valor,ano\nsaldo_deuda,\"441,931.81\",2021\n", "f.csv", importing.FACTS)
    importing.apply(m, facts, publish=True)
    assert services.get_year(m, 2021).facts[0].value == D("441931.81")
    lines = importing.read(m, b"year,code,name,amount\n2022,11,Impuestos,11281.305\n", "s.csv", importing.SCENARIO)
    scenario = importing.apply(m, lines, scenario_name="Plan", publish=True)
    db.session.flush()
    assert scenario.is_published and scenario.lines[0].amount == D("11281.305")


CLI_GOOD = "year,code,name,approved,accrued,cash\n2030,11,Impuestos,100,90,80\n2030,51,Remuneraciones,50,45,45\n"


def test_cli_import_asks_and_writes_nothing_without_yes(runner, db, muni, tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text(CLI_GOOD)
    result = runner.invoke(args=["finance", "import", "intipuca", str(path)])
    assert result.exit_code == 0, result.output
    assert "ingresos_totales" in result.output and "Nothing written" in result.output
    assert services.get_year(muni, 2030, published_only=False) is None


def test_cli_import_yes_publish_and_refusal(runner, db, muni, tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text(CLI_GOOD)
    result = runner.invoke(args=["finance", "import", "intipuca", str(path), "--yes", "--publish"])
    assert result.exit_code == 0, result.output
    row = services.get_year(muni, 2030)
    assert row is not None and len(row.lines) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("year,code,name,accrued\n2031,11,X,abc\n2031,77,Y,1\n")
    result = runner.invoke(args=["finance", "import", "intipuca", str(bad), "--yes"])
    assert result.exit_code == 1
    assert "fila 2, columna «accrued»" in result.output and "fila 3, columna «code»" in result.output
    assert services.get_year(muni, 2031, published_only=False) is None


def test_cli_facts_scenario_and_project(runner, db, muni, tmp_path):
    facts = tmp_path / "facts.csv"
    facts.write_text("year,fact,value\n2013,saldo_deuda,300000\n")
    # 2013 is published: without --publish the facts would wait for a publisher (test_pending.py)
    result = runner.invoke(args=["finance", "import", "intipuca", str(facts), "--facts", "--yes", "--publish"])
    assert result.exit_code == 0, result.output
    assert any(f.name == "saldo_deuda" for f in services.get_year(muni, 2013).facts)
    rules = tmp_path / "rules.csv"
    rules.write_text("code,method,rate,from_year,to_year,amount,name\n11,percentage,0.05,2014,2015,,Impuestos\n"
                     "12.RO,oneoff,,2015,,130784.38,Reforma a la ordenanza de tasas\n")
    result = runner.invoke(args=["finance", "project", "intipuca", str(rules), "--base-year", "2013",
                                 "--scenario", "Prueba", "--publish"])
    assert result.exit_code == 0, result.output
    scenario = services.get_scenario(muni, name="Prueba")
    amounts = {(l.year, l.code): l.amount for l in scenario.lines}
    assert amounts[(2015, "11")] == D("10744.10") * D("1.05") * D("1.05")
    assert amounts[(2015, "21")] == D("160.00")  # no rule: carried forward
    bad_rules = tmp_path / "bad_rules.csv"
    bad_rules.write_text("code,method,rate,from_year\n11,grow,0.05,2014\n")
    result = runner.invoke(args=["finance", "project", "intipuca", str(bad_rules), "--base-year", "2013",
                                 "--scenario", "Otra"])
    assert result.exit_code == 1 and "fila 2, columna «method»" in result.output
    result = runner.invoke(args=["finance", "indicators", "intipuca", "--year", "2012"])
    assert "autonomia_financiera" in result.output and "0.1729" in result.output
    before = db.session.scalar(select(func.count()).select_from(ProjectedLine))
    scen = tmp_path / "scen.csv"
    scen.write_text("year,code,name,amount\n2020,11,Impuestos,1\n")
    result = runner.invoke(args=["finance", "import", "intipuca", str(scen), "--scenario", "Importado", "--yes"])
    assert result.exit_code == 0 and db.session.scalar(select(func.count()).select_from(ProjectedLine)) == before + 1
    assert db.session.scalar(select(func.count()).select_from(Fact)) > 0


def test_templates_download(client):
    for kind, header in [("lines", "year,code,name,approved"), ("facts", "year,fact,value"),
                         ("scenario", "year,code,name,amount"), ("rules", "code,method,rate,from_year,to_year")]:
        response = client.get(f"/m/intipuca/finanzas/plantillas/{kind}.csv")
        assert response.status_code == 200 and response.data.decode("utf-8-sig").startswith(header)


def test_cli_catalog_adds_indicators_and_refuses_code(runner, db, muni, tmp_path):
    good = tmp_path / "catalog.json"
    good.write_text('[{"code": "mora_tasas_ratio", "name": "Mora de tasas", "formula": "mora_tasas / tasas_percibido",'
                    ' "direction": "<=", "threshold": "0.05", "display": "percent"}]')
    result = runner.invoke(args=["finance", "catalog", str(good), "--slug", "intipuca"])
    assert result.exit_code == 0, result.output
    results = {r.code: r for r in services.indicators(muni, 2012)}
    assert results["mora_tasas_ratio"].value == D("50834.36") / D("164206.30")
    bad = tmp_path / "bad.json"
    bad.write_text('[{"code": "x", "name": "X", "formula": "__import__(\\"os\\").system(\\"true\\")"}]')
    result = runner.invoke(args=["finance", "catalog", str(bad)])
    assert result.exit_code == 1 and "refused" in result.output
    assert "x" not in {d.code for d in services.catalog(muni)}


def test_another_countrys_classifier_is_loaded_from_a_file(app, db, make, tmp_path):
    (tmp_path / "classifier_bo.csv").write_text(
        "code,name,kind,aggregates\n1,Ingresos tributarios,income,ingresos_propios ingresos_totales\n"
        "2,Gasto corriente,expense,gastos_corrientes egresos_totales\n")
    app.config["FINANCE_CLASSIFIER_DIR"] = str(tmp_path)
    try:
        m = make.municipality(country="BO")
        plan = importing.read(m, b"year,code,name,accrued\n2020,1.1,Patentes,100\n2020,2,Sueldos,40\n", "b.csv")
        assert plan.preview[2020]["aggregates"]["ingresos_propios"]["devengado"] == D(100)
        with pytest.raises(TableError):
            importing.read(m, b"year,code,name,accrued\n2020,11,Impuestos,100\n", "b.csv")
    finally:
        app.config.pop("FINANCE_CLASSIFIER_DIR")
