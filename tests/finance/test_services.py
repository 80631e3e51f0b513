"""Services on the demo (Intipucá's plan figures), publication, sources and the
participatory-budgeting hook."""
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.audit.models import ChangeRecord
from portal.core.registry import read
from portal.finance import projections, services
from portal.finance.models import BudgetLine

CODES = ["autonomia_financiera", "participacion_tasas", "participacion_impuestos", "eficacia_recaudacion",
         "autonomia_operativa", "eficiencia_gasto", "participacion_gasto_operativo", "gasto_personal",
         "eficacia_administrativa", "ahorro_corriente", "subsidio_gasto_corriente", "participacion_inversion",
         "inversion_infraestructura", "servicio_deuda", "capacidad_pago", "limite_endeudamiento",
         "resultado_presupuestario", "ejecucion_ingresos", "ejecucion_egresos", "ejecucion_inversion"]


def by_code(results):
    return {r.code: r for r in results}


def test_demo_2012_baseline_gives_the_plans_indicators(muni):
    results = by_code(services.indicators(muni, 2012))
    assert results["autonomia_financiera"].value == D("183958.81") / D("1064147.34")
    assert results["autonomia_financiera"].status == "fails"
    assert results["autonomia_financiera"].plugged == "183958.81 / 1064147.34"
    assert results["autonomia_operativa"].value == D("403965.98") / D("559389.67")
    assert results["gasto_personal"].value == D("230021.95") / D("403965.98")
    assert results["ahorro_corriente"].value == D("-155423.69")
    assert results["inversion_infraestructura"].value == D("392912.50") / D("411881.65")
    assert results["capacidad_pago"].value == D("0.60") - D("12439.38") / D("495822.26")
    # the debt limit's denominator is the previous year's (2011) operating income
    assert results["limite_endeudamiento"].value == D("441931.81") / D("998282.64")
    assert results["limite_endeudamiento"].status == "meets"
    assert results["ejecucion_egresos"].value == D("1147992.55") / D("1411742.93")
    assert results["ejecucion_ingresos"].status == "not_computable"
    assert "ingresos_totales_percibido" in results["ejecucion_ingresos"].reason


def test_demo_2013_lines_total_as_the_plan(muni):
    row = services.get_year(muni, 2013)
    budget = services.budget(muni, row)
    assert budget["income_total"].accrued == D("1080337.86")
    assert budget["expense_total"].accrued == D("1220241.69")
    assert [r.code for r in budget["income"]] == ["11", "12", "14", "15", "16", "21", "22"]
    assert any("infraestructura" in line.tag_list for line in row.lines if line.code == "61")


def test_demo_scenario_projects_the_plan(muni):
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    assert scenario.is_published and scenario.base_year == 2013
    lines = {(l.year, l.code): l.amount for l in scenario.lines}
    assert projections.cents(lines[(2014, "11")]) == D("11281.31")
    assert projections.cents(lines[(2015, "11")]) == D("11845.37")
    assert lines[(2015, "12.RO")] == D("130784.38") and (2016, "12.RO") not in lines
    assert lines[(2016, "12")] == (lines[(2015, "12")] + D("130784.38")) * D("1.03")
    assert lines[(2014, "12.MORA")] == D("5083.436")
    assert lines[(2016, "71")] == 0
    results = services.indicators(muni, 2016, scenario=scenario)
    assert [r.code for r in results] == CODES
    assert by_code(results)["ahorro_corriente"].value is not None


def test_sources_are_registered_and_read_published_actuals(muni):
    value = read("finance.autonomia_financiera", muni, date(2012, 12, 31))
    assert value.value == D("183958.81") / D("1064147.34")
    assert value.url == "/m/intipuca/finanzas/indicadores/autonomia_financiera?year=2012"
    assert read("finance.autonomia_financiera", muni, date(2030, 1, 1)) is None
    assert read("finance.ejecucion_ingresos", muni, date(2012, 6, 1)) is None  # not computable
    for code in CODES:
        assert read(f"finance.{code}", muni, date(1990, 1, 1)) is None


def test_drafts_are_not_public_and_publishing_is_recorded(db, make):
    m = make.municipality()
    row = services.ensure_year(m, 2020)
    services.set_line(m, row, "11", "Impuestos", {"accrued": D(10), "cash": D(9)})
    db.session.flush()
    assert services.indicators(m, 2020) is None
    assert services.indicators(m, 2020, published_only=False) is not None
    assert not services.has_published(m)
    before = db.session.scalar(select(func.count()).select_from(ChangeRecord).where(ChangeRecord.municipality_id == m.id))
    services.publish_year(m, row)
    db.session.flush()
    records = db.session.execute(select(ChangeRecord).where(ChangeRecord.municipality_id == m.id)
                                 .order_by(ChangeRecord.seq)).scalars().all()
    assert len(records) > before
    assert {"publish", "publish_contents"} <= {r.action for r in records}
    assert services.has_published(m)
    line = row.lines[0]
    line.cash = D(10)
    db.session.flush()
    assert db.session.execute(select(ChangeRecord).where(ChangeRecord.municipality_id == m.id,
                                                         ChangeRecord.object_type == "BudgetLine",
                                                         ChangeRecord.action == "update")).first() is not None


def test_ensure_investment_line_is_idempotent(db, muni):
    first = services.ensure_investment_line(muni, year=2013, code="61.PP.901", name="Parque", approved=D("1500.50"))
    again = services.ensure_investment_line(muni, year=2013, code="61.PP.901", name="Parque central", approved=D("1600"))
    assert first.id == again.id and again.approved == D("1600") and again.name == "Parque central"
    assert "presupuesto_participativo" in again.tag_list
    count = db.session.scalar(select(func.count()).select_from(BudgetLine).where(
        BudgetLine.municipality_id == muni.id, BudgetLine.code == "61.PP.901"))
    assert count == 1
    budget = services.budget(muni, services.get_year(muni, 2013))
    inversion = next(r for r in budget["expense"] if r.code == "61")
    assert inversion.approved == D("1600")
    with pytest.raises(services.FinanceError):
        services.ensure_investment_line(muni, year=2013, code="51.PP.1", name="X", approved=D(1))
    with pytest.raises(services.FinanceError):
        services.ensure_investment_line(muni, year=2013, code="61 PP", name="X", approved=D(1))


def test_custom_indicator_extends_the_catalog(db, muni):
    from portal.finance.models import IndicatorDefinition

    db.session.add(IndicatorDefinition(municipality_id=muni.id, code="mora_tributaria", name="Mora tributaria",
                                       formula="mora_impuestos / impuestos_percibido", direction="<=",
                                       threshold=D("0.05")))
    db.session.flush()
    result = by_code(services.indicators(muni, 2012))["mora_tributaria"]
    assert result.value == D("5748.06") / D("10744.10") and result.status == "fails"


def test_the_change_record_writes_a_number_the_same_whether_just_typed_or_read_back(db, make):
    """A published year's record must not depend on whether its values were still in memory
    (``930000.5`` as typed) or read back from a database that keeps four decimals."""
    from portal.audit.services import number_text

    records = []
    for reload in (False, True):
        m = make.municipality()
        row = services.ensure_year(m, 2024)
        services.set_line(m, row, "11", "Impuestos", {"approved": D("930000.50"), "accrued": D("12.3400")})
        services.set_fact(m, row, "saldo_deuda", D("441931.8100"))
        db.session.flush()
        if reload:
            db.session.expire_all()
            row = services.ensure_year(m, 2024)
        services.publish_year(m, row)
        record = db.session.scalars(select(ChangeRecord).where(ChangeRecord.municipality_id == m.id,
                                                                ChangeRecord.action == "publish_contents")).one()
        records.append(record.changes)
    assert records[0] == records[1]
    assert '"930000.5 /  / 12.34 / "' in records[0] and '"441931.81"' in records[0]
    assert [number_text(D(v)) for v in ("930000.0000", "0.10", "1E+3", "-0.0500")] == ["930000", "0.1", "1000", "-0.05"]
