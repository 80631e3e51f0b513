"""Open datasets: every Data Package validates with frictionless, the downloads stream and
show the same figures as the pages' APIs, the JSON pages chain with ``next`` links."""
import csv
import io
import json
from decimal import Decimal

import pytest
from frictionless import validate
from openpyxl import load_workbook

from portal.finance.ratios import rounded
from portal.opendata import datasets

BASE = "/api/v1/municipalities/intipuca/datasets"
KEYS = [d.key for d in datasets.all_datasets()]


def read_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("key", KEYS)
def test_every_data_package_validates_with_frictionless(client, muni, tmp_path, key):
    package = client.get(f"{BASE}/{key}/datapackage.json").json
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    for resource in package["resources"]:
        body = client.get(f"{BASE}/{key}/{resource['path']}").get_data()
        (tmp_path / resource["path"]).write_bytes(body)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert [r["path"] for r in package["resources"]] == ["data.csv", "data-en.csv"]
    rows = list(csv.reader(io.StringIO((tmp_path / "data.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert len(rows) > 1, f"the demo publishes {key}"


def test_budget_package_is_a_fiscal_data_package(client, muni):
    package = client.get(f"{BASE}/presupuesto/datapackage.json").json
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["monto"]["columnType"] == "value"
    assert fields["anio"]["columnType"] == "date:fiscal-year"
    assert fields["direccion"]["columnType"] == "direction"
    assert fields["fase"]["columnType"] == "phase"
    assert package["model"]["measures"]["amount"]["currency"] == "USD"
    assert package["countryCode"] == "SV" and package["fiscalPeriod"]["start"].endswith("-01-01")
    rows = read_csv(client, f"{BASE}/presupuesto/data.csv")
    assert {r["direccion"] for r in rows} == {"ingreso", "gasto"}  # coded values in the file's language
    assert {r["fase"] for r in rows} <= {"aprobado", "modificado", "ejecutado"}
    english = read_csv(client, f"{BASE}/presupuesto/data-en.csv")
    assert {r["direction"] for r in english} == {"revenue", "expenditure"}
    assert {r["phase"] for r in english} <= {"approved", "adjusted", "executed"}
    assert fields["direccion"]["constraints"]["enum"] == ["ingreso", "gasto"]
    assert {(r["codigo_fase"], r["fase_local"]) for r in rows if r["direccion"] == "ingreso"} <= {
        ("approved", "presupuestado"), ("modified", "modificado"), ("accrued", "devengado"), ("cash", "percibido")}


def test_budget_lines_equal_the_finance_api(client, muni):
    api = client.get("/api/v1/municipalities/intipuca/finance/budget").json
    year = api["year"]
    rows = read_csv(client, f"{BASE}/presupuesto/data.csv")
    ours = {(r["codigo"], r["codigo_fase"]): Decimal(r["monto"]) for r in rows if r["anio"] == str(year)}
    expected = {(line["code"], phase): Decimal(line[phase]) for line in api["lines"]
                for phase in ("approved", "modified", "accrued", "cash") if line[phase] is not None}
    assert expected and ours == expected


def test_indicators_equal_the_finance_api(client, muni):
    api = client.get("/api/v1/municipalities/intipuca/finance/indicators").json
    rows = read_csv(client, f"{BASE}/indicadores-financieros/data-en.csv")
    ours = {r["code"]: Decimal(r["value"]) if r["value"] else None for r in rows if r["year"] == str(api["year"])}
    # the file rounds to the places each indicator is shown with; the API is exact
    assert ours == {i["code"]: rounded(i["value"], i["display"]) for i in api["indicators"]}


def test_diagnostic_scores_equal_the_diagnostic_api(client, muni):
    api = client.get("/api/v1/municipalities/intipuca/diagnostic").json
    date = api["assessment"]["date"]
    rows = [r for r in read_csv(client, f"{BASE}/diagnostico/data-en.csv") if r["assessment_date"] == date]
    ours = {(r["level"], r["code"]): r["score"] for r in rows}
    for level, key in (("area", "areas"), ("indicator", "indicators"), ("composite", "composites")):
        for node in api[key]:
            assert ours[(level, node["code"])] == (node["score"] or "")


def test_budgeting_results_equal_the_budgeting_api(client, muni):
    processes = client.get("/api/v1/municipalities/intipuca/budgeting/processes").json["items"]
    answers = [client.get(f"/api/v1/municipalities/intipuca/budgeting/processes/{p['id']}/results")
               for p in processes]
    process, api = next((p, r.json) for p, r in zip(processes, answers) if r.status_code == 200)
    rows = [r for r in read_csv(client, f"{BASE}/presupuesto-participativo/data-en.csv")
            if r["process_id"] == str(process["id"]) and r["rule"] == api["rule"]]
    assert {r["project"]: (int(r["votes"]), r["selected"] == "True") for r in rows} == {
        p["id"]: (p["votes"], p["selected"]) for p in api["projects"]}
    ballots = read_csv(client, f"{BASE}/papeletas/data-en.csv")
    assert len([b for b in ballots if b["process_id"] == str(process["id"])]) == api["totals"]["ballots"]


def test_complaints_download_has_no_personal_data(client, db, muni):
    from sqlalchemy import select

    from portal.participation.complaints.models import Report

    reports = db.session.execute(select(Report).where(Report.municipality_id == muni.id)).scalars().all()
    report = reports[0]
    report.contact_name, report.contact_email, report.contact_phone = "Rosa Amaya", "rosa@example.org", "7777-1234"
    report.address, report.description = "Casa 14, pasaje Los Almendros", "La señora Rosa Amaya pide ayuda"
    db.session.flush()
    for url in (f"{BASE}/reclamos/data.csv", f"{BASE}/reclamos/data-en.csv", f"{BASE}/reclamos?limit=1000"):
        text = client.get(url).get_data().decode("utf-8-sig")
        for secret in ("Rosa", "rosa@example.org", "7777-1234", "Almendros", report.code):
            assert secret not in text, (url, secret)
    rows = read_csv(client, f"{BASE}/reclamos/data-en.csv")
    assert len(rows) == sum(1 for r in reports if not r.hidden)
    assert "contact_email" not in rows[0] and "lat" not in rows[0] and "address" not in rows[0]


def test_survey_responses_keep_only_moderated_texts(client, db, muni):
    from sqlalchemy import select

    from portal.participation.surveys.models import Answer, Question

    text_answers = db.session.execute(select(Answer).join(Question, Question.id == Answer.question_id).where(
        Answer.municipality_id == muni.id, Question.kind.in_(("short_text", "long_text")))).scalars().all()
    for answer in text_answers:
        answer.moderation, answer.text = "pending", "Mi teléfono es 7000-0000"
    db.session.flush()
    text = client.get(f"{BASE}/encuestas/data.csv").get_data().decode("utf-8-sig")
    assert "7000-0000" not in text
    assert text.splitlines()[0] == ",".join(datasets.get("encuestas").column_names("es"))


def test_downloads_stream_and_xlsx_matches_csv(client, muni):
    csv_response = client.get(f"{BASE}/encuestas/data.csv")
    assert csv_response.is_streamed
    xlsx = client.get(f"{BASE}/encuestas/data-en.xlsx")
    assert xlsx.is_streamed and xlsx.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(xlsx.get_data()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == datasets.get("encuestas").column_names("en")
    assert len(rows) == len(csv_response.get_data().decode("utf-8-sig").splitlines())
    budget = load_workbook(io.BytesIO(client.get(f"{BASE}/presupuesto/data.xlsx").get_data()), read_only=True).active
    first = list(budget.iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert isinstance(first[8], (int, float)), "amounts are numbers in the workbook"
    assert client.get(f"{BASE}/presupuesto/data.csv?lang=en").get_data().decode("utf-8-sig").startswith("year,direction,")


def test_json_pages_chain_with_next_links_and_filter(client, muni):
    everything = read_csv(client, f"{BASE}/presupuesto/data-en.csv")
    url, seen = f"{BASE}/presupuesto?limit=7", []
    while url:
        page = client.get(url.replace("http://localhost", "")).json
        assert page["count"] <= 7
        seen.extend(page["items"])
        url = page["next"]
    assert len(seen) == len(everything)
    assert all(isinstance(item["amount"], str) for item in seen), "decimals are exact strings"
    assert [item["amount"] for item in seen] == [r["amount"] for r in everything]
    year = everything[0]["year"]
    filtered = client.get(f"{BASE}/presupuesto?year={year}&direction=revenue&limit=1000").json
    assert filtered["items"] and all(i["year"] == int(year) and i["direction"] == "revenue"
                                     for i in filtered["items"])
    assert filtered["next"] is None and filtered["previous"] is None
    bad = client.get(f"{BASE}/presupuesto?colour=red")
    assert bad.status_code == 400 and "colour" in bad.json["error"]["message"]
    assert client.get(f"{BASE}/nothing").status_code == 404
    assert client.get("/api/v1/municipalities/nowhere/datasets/presupuesto").status_code == 404


def test_dataset_listing_and_platform_listing(client, muni):
    listing = client.get(BASE).json
    assert [i["key"] for i in listing["items"]] == KEYS
    item = listing["items"][0]
    assert item["license"] == "CC-BY-4.0" and item["modified"] >= item["issued"]
    assert item["distributions"]["csv"].endswith("/datasets/presupuesto/data.csv")
    platform = client.get("/api/v1/datasets?limit=3").json
    assert len(platform["items"]) == 3 and platform["next"] and platform["total"] >= 4 * len(KEYS)
    only_sv = client.get("/api/v1/datasets?country=SV&topic=finance&limit=1000").json["items"]
    assert only_sv and all(i["topic"] == "finance" for i in only_sv)


def test_license_is_configurable_per_municipality(app, client, muni):
    app.config["OPENDATA_LICENSES"] = {"intipuca": "CC0-1.0"}
    try:
        package = client.get(f"{BASE}/presupuesto/datapackage.json").json
        assert package["licenses"][0]["name"] == "CC0-1.0"
    finally:
        app.config.pop("OPENDATA_LICENSES")
    assert client.get(f"{BASE}/presupuesto/datapackage.json").json["licenses"][0]["name"] == "CC-BY-4.0"


def _peak_while_streaming(client, url):
    import tracemalloc

    tracemalloc.start()
    response = client.get(url, buffered=False)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, size


@pytest.mark.parametrize("fmt,sizes", [("data.csv", (800, 4_000)), ("data.xlsx", (300, 1_500))])
def test_large_budget_downloads_stream_in_flat_memory(client, db, muni, fmt, sizes):
    from sqlalchemy import delete, insert

    from portal.audit.services import acting_as
    from portal.finance.models import BudgetLine, BudgetYear

    with acting_as("publisher"):
        year = BudgetYear(municipality_id=muni.id, year=2040)
        year.publish()
        db.session.add(year)
        db.session.flush()
    peaks = []
    for lines in sizes:
        db.session.execute(delete(BudgetLine).where(BudgetLine.budget_year_id == year.id))
        db.session.execute(insert(BudgetLine), [
            {"municipality_id": muni.id, "budget_year_id": year.id, "code": f"54{i:06d}", "name": f"Partida {i}",
             "approved": Decimal("1234.56"), "modified": Decimal("1300.00"), "accrued": Decimal("1200.10"),
             "cash": Decimal("1100.99"), "tags": ""} for i in range(lines)])
        db.session.flush()
        peaks.append(_peak_while_streaming(client, f"{BASE}/presupuesto/{fmt}"))
    (small_peak, small_size), (large_peak, large_size) = peaks
    assert large_size > 4 * small_size, "five times the lines, about five times the file"
    assert large_peak < 1.6 * small_peak + 2_000_000, (peaks, "memory grows with the rows")
    if fmt == "data.csv":
        assert large_peak < large_size, peaks


def test_complaints_api_pages_skip_in_the_database_and_leave_hidden_reports_out(client, db, muni):
    from sqlalchemy import select

    from portal.participation.complaints.models import Report

    reports = db.session.execute(select(Report).where(Report.municipality_id == muni.id)).scalars().all()
    assert len(reports) >= 6
    reports[1].hidden = reports[4].hidden = True
    db.session.flush()
    whole = [r["id"] for r in client.get(f"{BASE}/reclamos?limit=1000").json["items"]]
    assert len(whole) == len(reports) - 2 and reports[1].id not in whole and reports[4].id not in whole
    walked, url = [], f"{BASE}/reclamos?limit=2"
    while url:
        page = client.get(url.replace("http://localhost", "")).json
        assert page["count"] <= 2
        walked += [r["id"] for r in page["items"]]
        url = page["next"]
    assert walked == whole
    status = reports[0].status
    filtered = client.get(f"{BASE}/reclamos?status={status}&offset=1&limit=1000").json["items"]
    expected = [r for r in client.get(f"{BASE}/reclamos?limit=1000").json["items"] if r["status"] == status][1:]
    assert filtered == expected


@pytest.mark.parametrize("key", [d.key for d in datasets.all_datasets() if any(c.spanish for c in d.columns)])
def test_coded_values_are_written_in_the_files_language(client, muni, key):
    """Spanish files say the Spanish word of a coded value; English files keep the code."""
    dataset = datasets.get(key)
    spanish_rows = read_csv(client, f"{BASE}/{key}/data.csv")
    english_rows = read_csv(client, f"{BASE}/{key}/data-en.csv")
    assert len(spanish_rows) == len(english_rows) > 0
    for column in (c for c in dataset.columns if c.spanish):
        for es_row, en_row in zip(spanish_rows, english_rows):
            code = en_row[column.name]
            assert es_row[column.es] == (column.value_in(code, "es") if code else code), (column.es, code)
        if callable(column.spanish):  # a coded sentence put into words (an indicator's missing data)
            assert all(es_row[column.es] != en_row[column.name] for es_row, en_row in zip(spanish_rows, english_rows)
                       if en_row[column.name])
            continue
        words = dict(column.spanish)
        codes = {r[column.name] for r in english_rows} & set(words)
        assert not codes & {r[column.es] for r in spanish_rows} - set(words.values()), column.es
