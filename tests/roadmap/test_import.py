"""Importing activities (CSV/XLSX, Spanish or English headers, CLI) and the follow-up matrix."""
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from portal.core.tabular import TableError
from portal.roadmap import importer
from portal.roadmap.models import Activity, Milestone, Plan

HEADER = "number,horizon,area,action,activity,start,end,permanent,responsible,cost,funding_source,status,done," \
         "verification,limitation,observations,milestone\n"
GOOD = HEADER + (
    "1,Corto plazo,Tributaria,Mejorar el cobro,Crear la UATM,2025-01,2025-02,no,Concejo Municipal,2000.00,FODES,"
    "realizada,sí,https://example.org/acta.pdf,,,hito\n"
    "2,Corto plazo,Financiera,Mejorar el cobro,Cobro de mora,2025-03-10,2025-06-30,no,UATM,\"1,234.56\",PFGL,"
    "en curso,no,,Falta personal,,\n"
    "2.1,Corto plazo,Financiera,Mejorar el cobro,Notificar morosos,2025-03,,no,UATM,,,sin iniciar,no,,,,\n"
    "3,Largo plazo,Tributaria,,Recuperación de mora,,,sí,UATM,,Fondos Propios,,,,,,evaluación\n")


def _count(db, model):
    return db.session.execute(select(func.count(model.id))).scalar()


def test_import_creates_plan_horizons_subactivities_and_milestones(app, db, muni):
    with app.test_request_context():
        result = importer.import_activities(muni, GOOD.encode(), "plan.csv", "Plan de prueba", publish=True)
    plan = result.plan
    assert (result.created, result.updated) == (4, 0) and plan.is_published
    assert result.total == Decimal("3234.56")
    by_number = {a.number: a for a in plan.activities}
    assert by_number["2.1"].parent_id == by_number["2"].id
    assert by_number["1"].done and by_number["1"].state == "done"
    assert by_number["2"].starts_on.isoformat() == "2025-03-10" and by_number["2"].period_unit == "day"
    assert by_number["2.1"].ends_on.isoformat() == "2025-03-31"  # a month alone is the whole month
    assert by_number["3"].permanent and by_number["3"].starts_on is None
    assert by_number["1"].verification_url == "https://example.org/acta.pdf"
    assert [h.name for h in plan.horizons] == ["Corto plazo", "Largo plazo"]
    kinds = sorted(m.kind for m in db.session.execute(select(Milestone).where(Milestone.plan_id == plan.id)).scalars())
    assert kinds == ["evaluation", "milestone"]
    with app.test_request_context():  # importing again updates by number
        again = importer.import_activities(muni, GOOD.encode(), "plan.csv", "Plan de prueba")
    assert (again.created, again.updated) == (0, 4)


def test_malformed_file_is_refused_whole_and_nothing_is_written(app, db, muni):
    bad = HEADER + (
        "1,Corto plazo,,,Crear la UATM,2025-01,2025-02,no,,2000.00,FODES,,,,,,\n"
        ",Corto plazo,,,Sin número,2025-01,,,,,,,,,,,\n"
        "3,Corto plazo,,,Fecha mala,2025-13,,,,,,,,,,,\n"
        "4,Corto plazo,,,Costo malo,2025-01,2024-12,,,doce,,listo,quizás,,,,\n"
        "1,Corto plazo,,,Repetida,2025-01,,,,,,,,,,,\n"
        "5.1,Corto plazo,,,Huérfana,2025-01,,,,,,,,,,,\n"
        "6,Corto plazo,,,,,,,,,,,,,,,\n")
    before = (_count(db, Plan), _count(db, Activity))
    with app.test_request_context(), pytest.raises(TableError) as error:
        importer.import_activities(muni, bad.encode(), "plan.csv", "Plan malo", publish=True)
    found = {(p.row, p.column) for p in error.value.problems}
    assert {(3, "number"), (4, "start"), (5, "cost"), (5, "end"), (5, "status"), (5, "done"), (6, "number"),
            (7, "number"), (8, "activity"), (8, "start")} <= found
    assert (_count(db, Plan), _count(db, Activity)) == before


def test_xlsx_with_spanish_headers(app, db, muni):
    book = Workbook()
    sheet = book.active
    sheet.append(["Número", "Horizonte", "Actividad", "Inicio", "Fin", "Costo", "Fuente de financiamiento", "Estado"])
    sheet.append([1, "Mediano plazo", "Mapa de servicios", "2015-05", "2015-05", 2000, "Cooperantes", "Retrasada"])
    buffer = io.BytesIO()
    book.save(buffer)
    with app.test_request_context():
        result = importer.import_activities(muni, buffer.getvalue(), "plan.xlsx", "Plan XLSX")
    activity = result.plan.activities[0]
    assert activity.number == "1" and activity.state == "delayed" and activity.cost == Decimal(2000)
    assert not result.plan.is_published


def test_cli_import(runner, db, muni, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["roadmap", "import", "intipuca", str(path), "--plan", "Plan CLI", "--publish"])
    assert result.exit_code == 0, result.output
    assert "4 created" in result.output and "3234.56" in result.output
    plan = db.session.execute(select(Plan).where(Plan.title == "Plan CLI")).scalar_one()
    assert plan.is_published


def test_cli_import_names_every_bad_row(runner, db, muni, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "1,,,,X,mayo,,,,,,,,,,,\n2,,,,Y,2025-01,,,,-5,,,,,,,\n", encoding="utf-8")
    before = _count(db, Plan)
    result = runner.invoke(args=["roadmap", "import", "intipuca", str(path), "--plan", "Plan CLI malo"])
    assert result.exit_code != 0
    assert "fila 2, columna «start»" in result.output and "fila 3, columna «cost»" in result.output
    assert _count(db, Plan) == before


def test_matrix_round_trip(app, client, db, muni, prfm, activity_no, login):
    login(role="editor")  # sign in before the first request
    response = client.get(f"/m/intipuca/hoja-de-ruta/{prfm.id}/matriz.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == tuple(importer.MATRIX_HEADERS)
    assert rows[1][:4] == ("1", "Creación y equipamiento de la Unidad Administrativa Tributaria Municipal",
                           "2014-01", "sí")
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "13":
            row[3].value, row[4].value, row[6].value = "sí", "Acta 5 del Concejo", "Aprobado en sesión"
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(f"/m/intipuca/hoja-de-ruta/{prfm.id}/matriz/importar",
                           data={"file": (io.BytesIO(buffer.getvalue()), "matriz.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    activity = activity_no("13")
    assert activity.done and activity.verification_text == "Acta 5 del Concejo"
    assert activity.observations == "Aprobado en sesión"


def test_matrix_with_unknown_number_is_refused(app, client, db, prfm, activity_no, login):
    data = ("N°,Actividad,Realizada (sí/no)\n13,X,sí\n99,Y,no\n").encode()
    login(role="editor")
    response = client.post(f"/m/intipuca/hoja-de-ruta/{prfm.id}/matriz/importar",
                           data={"file": (io.BytesIO(data), "matriz.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Fila 3" in response.get_data(as_text=True)
    assert not activity_no("13").done


def test_cli_import_into_a_published_plan_needs_publish(runner, db, muni, prfm, tmp_path):
    """Changing a published plan from the command line is a publisher's act: ``--publish``."""
    path = tmp_path / "plan.csv"
    path.write_text(GOOD, encoding="utf-8")
    def first():
        db.session.expire_all()
        return db.session.execute(select(Activity).where(Activity.plan_id == prfm.id, Activity.number == "1")
                                  ).scalar_one()
    assert first().title != "Crear la UATM"
    result = runner.invoke(args=["roadmap", "import", "intipuca", str(path), "--plan", prfm.title])
    assert result.exit_code != 0
    assert "ya está publicado" in result.output
    assert first().title != "Crear la UATM"
    result = runner.invoke(args=["roadmap", "import", "intipuca", str(path), "--plan", prfm.title, "--publish"])
    assert result.exit_code == 0, result.output
    assert first().title == "Crear la UATM" and first().cost == Decimal(2000)
