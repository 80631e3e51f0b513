"""Every CSV and XLSX the portal serves goes through one writer (portal/core/downloads.py).

The route test walks the URL map: every route that writes a CSV or XLSX must be in
``DOWNLOADS`` (a new download route fails here until it is), and each is read whole, as
production serves it (the request's own app context and database session, torn down
before the body streams), after formulas were planted in the texts residents and staff
write. No cell may start a formula; streamed CSVs have every row (counted against the
database); CSVs start with a byte-order mark (none with ``?bom=0``) and carry one charset.
"""
import contextvars
import csv
import inspect
import io
from decimal import Decimal

import pytest
from flask import g
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.core import downloads
from portal.core.downloads import BOM, csv_bytes, csv_value, neutralise

FORMULA = '=HYPERLINK("http://evil.example/","ver")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# --- the writer -------------------------------------------------------------------------

@pytest.mark.parametrize("text, written", [
    ("=1+1", "'=1+1"), ("+57 300", "'+57 300"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Calle 5 = norte", "Calle 5 = norte"), ("", ""), ("'=x", "'=x"),
])
def test_text_that_starts_a_formula_gets_a_quote(text, written):
    assert neutralise(text) == written


@pytest.mark.parametrize("value, written", [
    (Decimal("-1500.50"), "-1500.5"), (-3, "-3"), (Decimal("1.50E+3"), "1500"), (None, ""), (True, "True"),
    ("-3", "'-3"), ("a\x0bb\x1bc", "abc"),
])
def test_numbers_stay_numbers_and_text_is_neutralised(value, written):
    assert csv_value(value) == written


@given(st.text())
def test_no_text_can_start_a_formula(text):
    cell = csv_value(text)
    kept = downloads._ILLEGAL.sub("", text)
    assert not cell.startswith(TRIGGERS)
    assert cell in (kept, "'" + kept)


@given(st.lists(st.lists(st.one_of(st.text(), st.decimals(allow_nan=False, allow_infinity=False),
                                   st.integers(), st.none()), min_size=2, max_size=2), max_size=5))
def test_a_csv_reads_back_with_its_rows(rows):
    data = csv_bytes(["a", "b"], rows)
    assert data.startswith(BOM.encode())
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(read) == len(rows) + 1
    assert not [cell for row in read for cell in row if cell.startswith(TRIGGERS)
                and not _number(cell)]


def test_xlsx_cells_are_typed_with_formats(app):
    with app.test_request_context():
        response = downloads.xlsx_response(
            [[Decimal("-12.5"), FORMULA, __import__("datetime").date(2026, 3, 1), 7]], ["=a", "b", "c", "d"], "x.xlsx")
        sheet = load_workbook(io.BytesIO(b"".join(response.response))).active
    header, row = list(sheet.iter_rows())
    assert header[0].value == "'=a" and header[0].data_type == "s"
    assert row[0].value == Decimal("-12.5") or row[0].value == -12.5
    assert row[0].data_type == "n" and row[0].number_format == "#,##0.0"
    assert row[1].data_type == "s" and row[1].value == "'" + FORMULA
    assert row[2].is_date and row[2].number_format == "yyyy-mm-dd"
    assert row[3].value == 7 and row[3].data_type == "n"


def test_a_lazy_iterator_is_refused(app):
    with app.test_request_context(), pytest.raises(TypeError):
        downloads.csv_response((r for r in [[1]]), ["a"], "x.csv")


def test_no_module_writes_csv_or_xlsx_but_the_writer():
    """csv.writer, openpyxl's Workbook and a text/csv response appear only in the writer
    (and csv.writer in the pabulib format, a program's text format, not a spreadsheet)."""
    import pathlib

    import portal
    root = pathlib.Path(portal.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        name = str(path.relative_to(root))
        text = path.read_text()
        for needle in ("csv.writer", "DictWriter", "Workbook(", 'mimetype="text/csv', '"Content-Type": "text/csv'):
            if needle in text and name != "core/downloads.py" \
                    and not (needle == "csv.writer" and name == "participation/budgeting/pabulib.py"):
                found.append(f"{name}: {needle}")
    assert not found, found


def _number(cell: str) -> bool:
    try:
        Decimal(cell)
    except ArithmeticError:
        return False
    return True


# --- every download route ---------------------------------------------------------------

def _is_download(app, rule) -> bool:
    source = inspect.getsource(app.view_functions[rule.endpoint])
    return any(name in source for name in ("csv_response", "xlsx_response", "csv_file_response",
                                           "wants_csv()", "_download(", "csv_download", "xlsx_download"))


def _planted(db, muni):
    """Formulas in the texts people write: a complaint, a survey answer, a project's
    title, a budget line's name, an activity's title, a municipality's department."""
    from portal.finance.models import BudgetLine
    from portal.participation.budgeting.models import BudgetProject
    from portal.participation.complaints.models import Report
    from portal.participation.surveys.models import Answer
    from portal.roadmap.models import Activity

    report = db.session.scalars(select(Report).where(Report.municipality_id == muni.id,
                                                     Report.hidden.is_(False)).order_by(Report.id)).first()
    report.description = FORMULA
    for answer in db.session.scalars(select(Answer).where(Answer.moderation == "approved").limit(3)):
        answer.redacted = "+" + FORMULA
    for project in db.session.scalars(select(BudgetProject).where(BudgetProject.municipality_id == muni.id)):
        project.title = "@" + FORMULA
    for line in db.session.scalars(select(BudgetLine).where(BudgetLine.municipality_id == muni.id).limit(5)):
        line.name = "-" + FORMULA
    for activity in db.session.scalars(select(Activity).where(Activity.municipality_id == muni.id).limit(5)):
        activity.title = FORMULA
    muni.department = "\t" + FORMULA
    db.session.flush()


def _demo_values(db, muni) -> dict:
    from portal.participation.budgeting.models import BudgetProcess, TallyResult
    from portal.participation.surveys.models import Survey
    from portal.roadmap.models import Plan

    counted = db.session.scalars(select(BudgetProcess.id).join(TallyResult, TallyResult.process_id == BudgetProcess.id)
                                 .where(BudgetProcess.municipality_id == muni.id)).first()
    return {"process_id": counted,
            "survey_id": db.session.scalars(select(Survey.id).where(Survey.municipality_id == muni.id)
                                            .order_by(Survey.id)).all(),
            "plan_id": db.session.scalars(select(Plan.id).where(Plan.municipality_id == muni.id)).first()}


def _urls(app, db, muni) -> dict:
    from portal.compare.metrics import builtin
    from portal.finance.importing import KINDS
    from portal.opendata.datasets import all_datasets

    values = _demo_values(db, muni)
    base = "/m/intipuca"
    api = "/api/v1/municipalities/intipuca"
    surveys = [f"{base}/encuestas/{s}/resultados/respuestas.{f}" for s in values["survey_id"] for f in ("csv", "xlsx")]
    surveys += [f"{base}/encuestas/{s}/resultados/resumen.csv" for s in values["survey_id"]]
    return {
        "audit.history_csv": [f"{base}/historial.csv"],
        "diagnostic_staff.template": [f"{base}/diagnostico/gestion/plantilla/{k}.csv" for k in ("catalogo", "puntajes")],
        "finance.budget_download": [f"{base}/finanzas/presupuesto/{y}.{f}" for y in (2012, 2013) for f in ("csv", "xlsx")],
        "finance.indicators_download": [f"{base}/finanzas/indicadores.{f}?year=2012" for f in ("csv", "xlsx")],
        "municipalities.import_template": ["/admin/municipalities/import/template.csv"],
        "finance.template": [f"{base}/finanzas/plantillas/{k}.csv" for k in (*KINDS, "costos-servicios")],
        "finance.debt_template": [f"{base}/finanzas/deuda/plantillas/{k}.csv" for k in ("loans", "suppliers")],
        "roadmap.matrix_xlsx": [f"{base}/hoja-de-ruta/{values['plan_id']}/matriz.xlsx"],
        "roadmap.template": [f"{base}/hoja-de-ruta/plantilla.csv"],
        "budgeting.ballots_csv": [f"{base}/presupuesto/{values['process_id']}/papeletas.csv"],
        "budgeting.census_template": [f"{base}/presupuesto/admin/padron/plantilla.csv"],
        "surveys.responses_download": [u for u in surveys if "respuestas" in u],
        "surveys.summary_download": [u for u in surveys if "resumen" in u],
        "surveys_api.surveys": [f"{api}/surveys?format=csv"],
        "complaints_staff.export": [f"{base}/reclamos/gestion/exportar.{f}" for f in ("csv", "xlsx")],
        "complaints_api.service_list": [f"{api}/complaints/services?format=csv"],
        "complaints_api.statistics": [f"{api}/complaints/statistics?format=csv"],
        "finance_api.scenario_lines": [f"{api}/finance/scenarios/1/lines?format=csv"],
        "finance_api.revenue": [f"{api}/finance/revenue?format=csv"],
        "finance_api.costs": [f"{api}/finance/costs?format=csv"],
        "finance.revenue_template": [f"{base}/finanzas/plantillas/ingresos-potenciales.csv"],
        "finance_execution.template": [f"{base}/finanzas/ejecucion/plantilla.csv"],
        "finance_execution_api.execution_": [f"{api}/finance/execution?year=2014&format=csv"],
        "diagnostic_api.diagnostic": [f"{api}/diagnostic?format=csv"],
        "opendata.api_municipalities": ["/api/v1/municipalities?format=csv"],
        "datasets_api.csv_es": [f"{api}/datasets/{d.key}/data.csv" for d in all_datasets()],
        "datasets_api.csv_en": [f"{api}/datasets/{d.key}/data-en.csv" for d in all_datasets()],
        "datasets_api.xlsx_es": [f"{api}/datasets/{d.key}/data.xlsx" for d in all_datasets()],
        "datasets_api.xlsx_en": [f"{api}/datasets/{d.key}/data-en.xlsx" for d in all_datasets()],
        "compare.download": [f"/comparar/{m.key}.csv" for m in builtin()[:3]],
        "compare.template": ["/comparar/importar/plantilla.csv"],
        "compare_m.municipality_csv": [f"{base}/comparar/datos.csv"],
        "compare.semaforo_csv": ["/comparar/semaforo.csv", "/comparar/semaforo.csv?country=SV&luz=amber"],
    }


@pytest.fixture
def production_get(app, db, make, muni):
    """GET as production serves it: the request pushes its own app context, whose database
    session is closed when the view returns, before the body streams (Flask 3.1 pushes
    the context again for the stream). The test's own context would hide that."""
    client = FlaskClient(app, app.response_class, use_cookies=True)  # not the fixture's class: no shared context
    admin = make.user(role="admin", municipality=muni)
    db.session.flush()

    def fresh(call):
        return contextvars.Context().run(call)

    def sign_in():
        with client.session_transaction() as session:
            session["_user_id"] = admin.get_id()
            session["_fresh"] = True
    fresh(sign_in)

    def get(url):
        def call():
            response = client.get(url)
            return response, response.get_data()
        return fresh(call)
    return get


def _cells(response, body) -> list[list]:
    if response.mimetype == downloads.XLSX_TYPE:
        sheet = load_workbook(io.BytesIO(body)).active
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        return [[c.value for c in row] for row in sheet.iter_rows()]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_every_download_route_is_known(app, db, muni):
    found = {rule.endpoint for rule in app.url_map.iter_rules()
             if rule.endpoint != "static" and _is_download(app, rule)}
    assert found == set(_urls(app, db, muni)), found ^ set(_urls(app, db, muni))


def test_every_download_neutralises_formulas_and_is_read_whole(app, db, muni, production_get):
    _planted(db, muni)
    urls = _urls(app, db, muni)
    texts = {}
    for endpoint, addresses in urls.items():
        assert addresses, endpoint
        for url in addresses:
            response, body = production_get(url)
            assert response.status_code == 200, (url, response.status_code, body[:300])
            content_type = response.headers["Content-Type"]
            assert content_type.count("charset") <= 1, (url, content_type)
            if response.mimetype == "text/csv":
                assert content_type == "text/csv; charset=utf-8", url
                assert body.startswith(BOM.encode()), url
            rows = _cells(response, body)
            assert rows and rows[0], url
            for row in rows:
                for cell in row:
                    assert not (isinstance(cell, str) and cell.startswith(TRIGGERS) and not _number(cell)), (url, cell)
            texts[url] = "\n".join(str(c) for row in rows for c in row)
    planted = "'" + FORMULA
    for url in ("/m/intipuca/reclamos/gestion/exportar.csv", "/m/intipuca/reclamos/gestion/exportar.xlsx",
                "/api/v1/municipalities/intipuca/datasets/presupuesto-participativo/data.csv",
                "/api/v1/municipalities/intipuca/datasets/presupuesto-participativo/data.xlsx",
                "/api/v1/municipalities/intipuca/datasets/hoja-de-ruta/data.xlsx",
                "/m/intipuca/finanzas/presupuesto/2013.xlsx", "/m/intipuca/historial.csv"):
        assert planted in texts[url] or "'@" + FORMULA in texts[url] or "'-" + FORMULA in texts[url], url
    assert "'\t" + FORMULA in texts["/api/v1/municipalities?format=csv"]
    assert any("'+" + FORMULA in text for url, text in texts.items() if "respuestas" in url)


def test_streamed_csvs_have_every_row(app, db, muni, production_get):
    """Each streamed CSV, read whole as production serves it, has one row per record."""
    from portal.municipalities.models import Municipality
    from portal.opendata.datasets import all_datasets
    from portal.participation.complaints.models import Report

    api = "/api/v1/municipalities/intipuca"
    expected = {"/api/v1/municipalities?format=csv": db.session.scalar(select(func.count(Municipality.id))),
                "/m/intipuca/reclamos/gestion/exportar.csv": db.session.scalar(
                    select(func.count(Report.id)).where(Report.municipality_id == muni.id))}
    g.municipality = muni  # the diagnostic's rows name it
    for dataset in all_datasets():
        rows = dataset.rows(muni)
        expected[f"{api}/datasets/{dataset.key}/data.csv"] = sum(1 for _ in rows)
    for url, count in expected.items():
        response, body = production_get(url)
        assert response.status_code == 200, url
        lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        assert len(lines) - 1 == count, (url, len(lines) - 1, count)
    assert expected[f"{api}/datasets/encuestas/data.csv"] > 100  # the one that used to stop early


def test_bom_0_leaves_the_mark_out(production_get):
    for url in ("/api/v1/municipalities?format=csv", "/api/v1/municipalities/intipuca/datasets/presupuesto/data.csv",
                "/m/intipuca/finanzas/plantillas/lines.csv"):
        with_mark, body = production_get(url)
        assert body.startswith(BOM.encode())
        _, plain = production_get(url + ("&" if "?" in url else "?") + "bom=0")
        assert plain == body[len(BOM.encode()):]


def test_no_response_names_its_charset_twice(app, db, muni, production_get):
    """Werkzeug adds ``; charset=utf-8`` to a text ``mimetype`` that already has one; a
    ``content_type`` is taken as given. No module passes a charset in a mimetype, and the
    pabulib file (the one text download outside the writer) has one charset."""
    import pathlib
    import re

    import portal
    root = pathlib.Path(portal.__file__).parent
    found = [str(p.relative_to(root)) for p in root.rglob("*.py")
             if re.search(r"mimetype=\"text/[^\"]*charset", p.read_text())]
    assert not found, found
    process_id = _demo_values(db, muni)["process_id"]
    response, body = production_get(f"/m/intipuca/presupuesto/{process_id}/resultado.pb")
    assert response.status_code == 200 and body.startswith(b"META")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
