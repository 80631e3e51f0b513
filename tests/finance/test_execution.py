"""Monthly execution: the import (file, CLI, upload with preview), the page, the API,
the demo's warning and the e-mail to the council."""
import io
import json
import socket
from decimal import Decimal as D
from email import message_from_bytes, policy

import pytest
from flask_babel import refresh
from sqlalchemy import func, select

from portal.audit.models import ChangeRecord
from portal.core.jobs_ledger import JobRun
from portal.core.tabular import TableError
from portal.finance import execution, monthly_import, warning_jobs
from portal.finance.execution_models import ExecutionMonth

BASE = "/m/intipuca/finanzas/ejecucion"
API = "/api/v1/municipalities/intipuca/finance/execution"


def months_csv(year, rows, header="year,month,code,accrued,cash"):
    return (header + "\n" + "".join(f"{year},{m},{c},{a},{p}\n" for m, c, a, p in rows)).encode()


def even_year(year, code="12", amount="100", cash=None):
    return [(m, code, amount, cash or amount) for m in range(1, 13)]


# --- the file ------------------------------------------------------------------------

def test_spanish_headers_and_preview_per_month(db, make):
    m = make.municipality()
    data = "año,mes,código,devengado,percibido\n2030,1,12,\"1,000.50\",900\n2030,1,51,400,400\n2030,2,12,10,\n"
    plan = monthly_import.read(m, data.encode(), "m.csv")
    assert plan.preview[2030][1]["income"] == {"accrued": D("1000.50"), "cash": D(900)}
    assert plan.preview[2030][1]["expense"]["accrued"] == D(400) and plan.preview[2030][2]["lines"] == 1
    assert plan.rows[2] == (2030, 2, "12", D(10), None)  # an empty cell is absent, not zero


@pytest.mark.parametrize("year, month", [("sNaN", "1"), ("2030", "sNaN"), ("NaN", "Infinity"), ("1E+999", "1")])
def test_numbers_that_are_not_numbers_are_problems_not_errors(db, make, year, month):
    m = make.municipality()
    data = f"año,mes,código,devengado,percibido\n{year},{month},12,100,90\n".encode()
    with pytest.raises(TableError) as error:
        monthly_import.read(m, data, "bad.csv")
    assert {p.row for p in error.value.problems} == {2}


def test_bad_file_names_every_row_and_column_as_written_and_writes_nothing(db, make):
    m = make.municipality()
    data = ("año,mes,código,devengado,percibido\n"
            "2030,1,12,100,90\n"
            "2030,13,12,100,90\n"
            "20x0,2,12,100,90\n"
            "2030,2,99,100,90\n"
            "2030,3,12,abc,90\n"
            "2030,1,12,5,5\n"
            "2030,4,12,,\n").encode()
    with pytest.raises(TableError) as error:
        monthly_import.read(m, data, "bad.csv")
    where = {(p.row, p.column) for p in error.value.problems}
    assert {(3, "mes"), (4, "año"), (5, "código"), (6, "devengado"), (7, "código"), (8, "devengado")} <= where
    words = " ".join(str(p) for p in error.value.problems)
    assert "del 1 (enero) al 12 (diciembre)" in words and "ya está en la fila 2" in words
    assert db.session.scalar(select(func.count()).select_from(ExecutionMonth)
                             .where(ExecutionMonth.municipality_id == m.id)) == 0


def test_apply_upserts_by_month_and_code_and_publication_is_recorded(db, make):
    m = make.municipality()
    monthly_import.apply(m, monthly_import.read(m, months_csv(2030, [(1, "12", "10", "9")]), "a.csv"))
    rows = monthly_import.apply(m, monthly_import.read(m, months_csv(2030, [(1, "12", "11", "10"),
                                                                           (2, "12", "5", "5")]), "b.csv"),
                                publish=True)
    assert rows[0].is_published and [(x.month, x.accrued) for x in rows[0].months] == [(1, D(11)), (2, D(5))]
    record = db.session.scalar(select(ChangeRecord).where(ChangeRecord.municipality_id == m.id,
                                                          ChangeRecord.object_type == "ExecutionYear",
                                                          ChangeRecord.action == "publish_contents"))
    assert record is not None and [D(v) for v in json.loads(record.changes)["01:12"][1].split(" / ")] == [D(11), D(10)]


# --- the report ----------------------------------------------------------------------

def load(m, year, rows, publish=True):
    monthly_import.apply(m, monthly_import.read(m, months_csv(year, rows), f"{year}.csv"), publish=publish)


def test_report_against_budget_past_years_and_projection(db, make):
    from portal.finance import services

    m = make.municipality()
    row = services.ensure_year(m, 2031)
    services.set_line(m, row, "12", "Tasas", {"approved": D(2400)})
    services.publish_year(m, row)
    load(m, 2029, even_year(2029, amount="100"))
    load(m, 2030, [(mm, "12", "50" if mm <= 6 else "150", "50" if mm <= 6 else "150") for mm in range(1, 13)])
    load(m, 2031, [(mm, "12", "200", "200") for mm in range(1, 7)])
    data = execution.report(m, 2031)
    assert data["month"] == 6 and data["past_years"] == [2029, 2030] and data["source"]["kind"] == "budget"
    item = next(i for i in data["items"] if i["code"] == "12")
    assert item["accrued"] == D(1200) and item["budget"] == D(2400) and item["execution"] == D("0.5")
    assert item["past"] == {2029: D(600), 2030: D(300)}
    forecast = item["forecast"]  # shares by June: 0.5 and 0.25 -> mean 0.375
    assert forecast.mean_share == D("0.375") and forecast.close == D(3200)
    assert forecast.low < forecast.close < forecast.high
    assert execution.report(m, 2031, 3)["items"][0]["accrued"] == D(600)
    assert execution.report(m, 2032) is None


def test_drafts_are_not_public(db, make):
    m = make.municipality()
    load(m, 2030, even_year(2030), publish=False)
    assert execution.report(m) is None and execution.report(m, published_only=False)["year"] == 2030


def test_demo_has_twelve_months_of_2014_and_exactly_one_warning(db, muni):
    data = execution.report(muni, 2014)
    assert data["months"] == list(range(1, 13)) and data["past_years"] == [2012, 2013]
    assert [(w.kind, w.code) for w in data["warnings"]] == [("threshold", "eficacia_recaudacion")]
    by_code = {i["code"]: i for i in data["items"]}
    assert sum(by_code["12"]["past_series"][2013]["accrued"].values()) == D("164054.84")  # the plan's 2013, to the cent
    assert data["source"] == {"kind": "scenario", "name": "PRFM 2014-2018", "id": data["source"]["id"]}


# --- pages, API, access ----------------------------------------------------------------

def test_public_page_explains_the_figures(client):
    page = client.get(f"{BASE}/?year=2014&month=6").get_data(as_text=True)
    assert "Ejecución mensual 2014" in page and "Alerta temprana" in page
    assert "Eficacia" in page and "cumplía su umbral en 2013" in page
    assert "Mismos meses de 2013" in page and "Cierre proyectado" in page
    assert "PRFM 2014-2018" in page
    client.set_cookie("lang", "en")
    refresh()  # the test's app context is shared with its requests: forget the cached locale
    english = client.get(f"{BASE}/?year=2014").get_data(as_text=True)
    assert "Early warning" in english and "met its threshold in 2013" in english
    client.set_cookie("lang", "es")
    refresh()
    method = client.get(f"{BASE}/metodo").get_data(as_text=True)
    assert "desviación típica" in method and "junio" in method


def test_api_answers_items_totals_and_warnings(client):
    data = client.get(f"{API}?year=2014&month=6").get_json()
    assert data["year"] == 2014 and data["month"] == 6 and data["past_years"] == [2012, 2013]
    assert {i["code"] for i in data["items"]} >= {"11", "12", "61"}
    assert data["warnings"][0]["code"] == "eficacia_recaudacion" and data["warnings"][0]["kind"] == "threshold"
    assert data["totals"]["income"]["forecast"]["method"] == "seasonal"
    assert client.get(f"{API}?year=2014&month=13").status_code == 400
    assert client.get(f"{API}?year=1999").status_code == 404
    csv = client.get(f"{API}?year=2014&format=csv").get_data(as_text=True)
    assert csv.lstrip("\ufeff").splitlines()[0].startswith("year,month,code")


def test_upload_needs_an_editor(client, login):
    assert client.get(f"{BASE}/importar").status_code == 302
    login(role="resident")
    assert client.get(f"{BASE}/importar").status_code == 403
    assert client.post(f"{BASE}/gestion/2014/publicar").status_code == 403


def test_upload_preview_confirm_then_publish(client, db, login, muni):
    login(role="editor")
    data = months_csv(2040, [(1, "12", "10", "9"), (1, "61", "5", "5")])
    page = client.post(f"{BASE}/importar", data={"file": (io.BytesIO(data), "m.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Vista previa" in page and monthly_import.get_year(muni, 2040) is None
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post(f"{BASE}/importar/confirmar", data={"token": token}).status_code == 302
    row = monthly_import.get_year(muni, 2040)
    assert row is not None and not row.is_published and len(row.months) == 2
    assert client.post(f"{BASE}/gestion/2040/publicar").status_code == 403  # an editor does not publish


def test_editors_changes_to_published_months_wait_for_a_publisher(client, db, login, muni, make, smtp):
    from portal.finance import pending

    make.user(role="admin", municipality=muni)  # a council to tell
    login(role="editor")
    data = months_csv(2014, [(1, "12", "1", "1")])
    page = client.post(f"{BASE}/importar", data={"file": (io.BytesIO(data), "m.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    client.post(f"{BASE}/importar/confirmar", data={"token": token})

    def january():
        return next(x for x in monthly_import.get_year(muni, 2014).months if x.month == 1 and x.code == "12")
    assert january().accrued != D(1)  # the public figures did not move
    waiting = [w for w in pending.waiting(muni) if w.kind == "monthly"]
    assert len(waiting) == 1 and waiting[0].target == "2014"
    assert "m.csv" in client.get("/m/intipuca/finanzas/gestion").get_data(as_text=True)
    login(role="publisher")
    response = client.post(f"/m/intipuca/finanzas/gestion/pendientes/{waiting[0].id}/publicar")
    assert response.status_code == 302 and january().accrued == D(1)
    assert smtp.messages == []  # the council is told by the queued job (tests/finance/test_early_warning_job.py)
    asked = db.session.scalars(select(JobRun.key).where(JobRun.name == "finance.early-warning")).all()
    assert f"{muni.id}:2014" in asked


def test_upload_names_row_and_column_in_the_readers_language(client, login):
    login(role="editor")
    data = b"year,month,code,accrued,cash\n2040,0,12,1,1\n"
    page = client.post(f"{BASE}/importar", data={"file": (io.BytesIO(data), "m.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Fila 2" in page and "«month»" in page and "al 12 (diciembre)" in page


def test_cli_imports_and_refuses_published_years_without_publish(runner, db, muni, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(months_csv(2041, [(1, "12", "10", "9")]))
    result = runner.invoke(args=["finance", "monthly", "intipuca", str(path)])
    assert result.exit_code == 0, result.output
    assert "2041-01" in result.output and monthly_import.get_year(muni, 2041) is not None
    path.write_bytes(months_csv(2014, [(1, "12", "10", "9")]))
    result = runner.invoke(args=["finance", "monthly", "intipuca", str(path)])
    assert result.exit_code == 0 and "staged for a publisher" in result.output
    january = next(x for x in monthly_import.get_year(muni, 2014).months if x.month == 1 and x.code == "12")
    assert january.accrued != D(10)
    path.write_bytes(b"year,month,code,accrued,cash\n2041,1,12,x,1\n")
    result = runner.invoke(args=["finance", "monthly", "intipuca", str(path)])
    assert result.exit_code == 1 and "accrued" in result.output


# --- telling the council ---------------------------------------------------------------

class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(app):
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USERNAME="")
    yield inbox
    app.config.update(saved)
    controller.stop()


def test_no_warning_no_email(db, make, smtp):
    m = make.municipality()
    make.user(role="admin", municipality=m)
    load(m, 2030, even_year(2030))
    assert warning_jobs.tell(m, 2030) == 0 and smtp.messages == []  # the job's mail: tests/finance/test_early_warning_job.py


def test_finance_page_shows_the_warning_and_staff_find_the_upload(client, login):
    page = client.get("/m/intipuca/finanzas/").get_data(as_text=True)
    assert "Alerta temprana" in page and "cumplía su umbral en 2013" in page and "diciembre de 2014" in page
    assert "/finanzas/ejecucion/importar" not in client.get(f"{BASE}/").get_data(as_text=True)
    login(role="editor")
    assert "/finanzas/ejecucion/importar" in client.get(f"{BASE}/").get_data(as_text=True)


def test_finance_page_without_execution_has_no_warning(client, make, db):
    from portal.finance import services

    m = make.municipality()
    row = services.ensure_year(m, 2030)
    services.set_line(m, row, "12", "Tasas", {"approved": D(10)})
    services.publish_year(m, row)
    assert "Alerta temprana" not in client.get(f"/m/{m.slug}/finanzas/").get_data(as_text=True)


def test_open_dataset_lists_published_months(client, db, make):
    csv = client.get("/api/v1/municipalities/intipuca/datasets/ejecucion-mensual/data.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert csv[0].startswith("anio,mes,codigo,rubro,devengado,percibido_pagado")
    assert len(csv) == 1 + 3 * 12 * 13  # three years, twelve months, thirteen rubros
    m = make.municipality()
    load(m, 2030, even_year(2030), publish=False)
    assert len(list(execution.dataset_rows(m))) == 0  # drafts are not open data
