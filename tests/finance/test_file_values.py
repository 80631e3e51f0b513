"""Indicator values in CSV/XLSX files are rounded to the places they are shown with; the
JSON API keeps the exact value. XLSX cells hold numbers and dates, with formats."""
import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.finance.ratios import rounded

BASE = "/m/intipuca/finanzas"
DATASET = "/api/v1/municipalities/intipuca/datasets/indicadores-financieros"


@pytest.mark.parametrize("value, display, expected", [
    ("0.45678", "percent", Decimal("0.457")), ("0.4565", "percent", Decimal("0.457")),
    ("1.23456", "times", Decimal("1.23")), ("-1064147.345", "money", Decimal("-1064147.35")),
    ("2", "percent", Decimal("2.000")), (None, "percent", None), ("0.125", "odd", Decimal("0.13")),
])
def test_rounded_to_the_stated_places(value, display, expected):
    result = rounded(value, display)
    assert result == expected and (result is None or result.as_tuple().exponent == expected.as_tuple().exponent)


def _csv(client, url):
    return list(csv.DictReader(io.StringIO(client.get(url).get_data().decode("utf-8-sig"))))


def _sheet(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    rows = list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows())
    header = [c.value for c in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def test_indicator_downloads_round_and_the_api_stays_exact(client):
    api = {i["code"]: i for i in client.get("/api/v1/municipalities/intipuca/finance/indicators?year=2012")
           .json["indicators"]}
    exact = [i for i in api.values() if i["value"] and len(i["value"].split(".")[-1]) > 3]
    assert exact, "the demo has indicators with more decimals than they are shown with"
    for row in _csv(client, f"{BASE}/indicadores.csv?year=2012"):  # a Spanish page's file: Spanish headers
        expected = rounded(api[row["Código"]]["value"], api[row["Código"]]["display"])
        assert (Decimal(row["Valor"]) if row["Valor"] else None) == expected, row["Código"]
        if row["Valor"]:
            assert len(row["Valor"].partition(".")[2]) <= 3
    for cells in _sheet(client, f"{BASE}/indicadores.xlsx?year=2012"):
        value, code = cells["Valor"], cells["Código"].value
        if value.value is None:
            continue
        assert value.data_type == "n", code
        places = 3 if api[code]["display"] == "percent" else 2
        assert value.number_format == "#,##0." + "0" * places
        assert Decimal(str(value.value)) == rounded(api[code]["value"], api[code]["display"])


def test_the_indicator_dataset_rounds_in_files_only(client):
    json_rows = client.get(f"{DATASET}?limit=1000").json["items"]
    exact = {(r["year"], r["code"]): r["value"] for r in json_rows}
    assert any(v and len(v.partition(".")[2]) > 3 for v in exact.values())
    for row in _csv(client, f"{DATASET}/data-en.csv"):
        if row["value"]:
            assert len(row["value"].partition(".")[2]) <= 3
            assert abs(Decimal(row["value"]) - Decimal(exact[(int(row["year"]), row["code"])])) <= Decimal("0.005")


def test_xlsx_dates_and_numbers_are_typed(client, login):
    survey_rows = None
    for survey_id in range(1, 30):
        response = client.get(f"/m/intipuca/encuestas/{survey_id}/resultados/respuestas.xlsx")
        if response.status_code == 200:
            survey_rows = _sheet(client, f"/m/intipuca/encuestas/{survey_id}/resultados/respuestas.xlsx")
            break
    assert survey_rows
    first = list(survey_rows[0].values())
    assert first[0].data_type == "n" and first[1].is_date and first[1].number_format == "yyyy-mm-dd"
    assert isinstance(first[1].value, (date, datetime))
    login(role="moderator")
    complaint = _sheet(client, "/m/intipuca/reclamos/gestion/exportar.xlsx")[0]
    assert complaint["created_at"].is_date and isinstance(complaint["created_at"].value, datetime)
    assert complaint["id"].data_type == "n"


@pytest.mark.parametrize("language, year, kind, name, accrued", [
    ("es", "Año", "Ingreso", "Nombre", "Devengado"), ("en", "Year", "Income", "Name", "Accrued"),
    ("pt", "Ano", "Receita", "Nome", "Liquidado")])
def test_the_budget_page_download_speaks_the_pages_language(client, language, year, kind, name, accrued):
    client.set_cookie("lang", language)
    rows = _csv(client, f"{BASE}/presupuesto/2013.csv")
    assert rows and {year, name, accrued} <= set(rows[0])
    kinds = {value for row in rows for value in row.values()}
    assert kind in kinds and not kinds & {"income", "expense"}
    sheet = _sheet(client, f"{BASE}/presupuesto/2013.xlsx")
    assert sheet[0][year].value == 2013 and sheet[0][accrued].data_type == "n"


@pytest.mark.parametrize("language, status, reason, words", [
    ("es", "Estado", "Motivo", {"No cumple", "Falta el dato: "}),
    ("en", "Status", "Reason", {"Does not comply", "Missing data: "}),
    ("pt", "Status", "Motivo", {"Não cumpre", "Falta o dado: "})])
def test_the_indicators_page_download_speaks_the_pages_language(client, language, status, reason, words):
    client.set_cookie("lang", language)
    rows = _csv(client, f"{BASE}/indicadores.csv?year=2011") + _csv(client, f"{BASE}/indicadores.csv?year=2013")
    cells = " | ".join(value for row in rows for value in row.values())
    assert {status, reason} <= set(rows[0]) and all(word in cells for word in words), cells[:300]
    assert not {row[status] for row in rows} & {"fails", "meets", "no_threshold", "not_computable"}
    assert not any(row[reason].startswith(("missing", "zero denominator")) for row in rows)
    assert language == "en" or "ratio" not in {value for row in rows for value in row.values()}  # the unit


@pytest.mark.parametrize("page_language", ["es", "en", "pt"])
def test_the_spanish_indicator_dataset_says_why_a_value_is_missing_in_spanish(client, page_language):
    client.set_cookie("lang", page_language)  # the file's language is its address's, not the page's
    spanish = _csv(client, f"{DATASET}/data.csv")
    reasons = [row["motivo"] for row in spanish if row["motivo"]]
    assert reasons and all(r.startswith(("Falta el dato: ", "El denominador es cero: ")) for r in reasons), reasons[:3]
    assert "Ingresos propios (devengado)" in " ".join(reasons)
    english = _csv(client, f"{DATASET}/data-en.csv")  # the English file keeps the documented codes
    assert any(row["reason"].startswith("missing: ") for row in english)
