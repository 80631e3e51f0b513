"""The API reference page at /api/v1/docs: rendered on the server from the OpenAPI
document (every path, its parameters with types and bounds, the fields of its answer),
in three languages, without scripts or outside resources, linked from the API's entry
point and the open-data pages."""
import re

import pytest


def test_reference_lists_every_path_parameter_and_field(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert f'id="{operation["operationId"]}"' in html
            assert f"{method.upper()} {path}" in html
    section = html.split('id="finance_api.budget-h"')[1].split("</section>")[0]
    assert '<code translate="no">year</code>' in section and "integer" in section
    assert "1900" in section and "2200" in section
    assert ">lines[].accrued</code>" in section and ">totals.income.cash</code>" in section
    lines = html.split('id="finance_api.scenario_lines-h"')[1].split("</section>")[0]
    assert ">items[].amount</code>" in lines and "text/csv" in lines


@pytest.mark.parametrize("lang,words", [
    ("es", ["Referencia de la API", "Parámetros", "obligatorio", "en la ruta"]),
    ("en", ["API reference", "Parameters", "required", "in the path"]),
    ("pt", ["Referência da API", "Parâmetros", "obrigatório", "no caminho"]),
])
def test_reference_in_three_languages(client, lang, words):
    client.set_cookie("lang", lang)
    html = client.get("/api/v1/docs").get_data(as_text=True)
    for word in words:
        assert word in html, (lang, word)


def test_reference_needs_no_script_and_nothing_from_elsewhere(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    main = html.split("<main")[1].split("</main>")[0]
    assert "<script" not in main
    assert not re.findall(r'(?:src|href)="https?://(?!localhost)', html)


def test_reference_is_linked(client):
    assert client.get("/api/v1/").get_json()["docs"] == "http://localhost/api/v1/docs"
    for page in ("/datos/", "/m/intipuca/datos/"):
        assert 'href="/api/v1/docs"' in client.get(page).get_data(as_text=True), page


def test_fields_flatten_nested_lists_and_maps():
    from portal.opendata import api_schemas as s
    from portal.opendata.openapi import fields

    flat = {f["name"]: f for f in fields(s.obj({"items": s.array(s.obj({"a": s.null(s.DEC)}, optional=("a",))),
                                                "m": s.mapping(s.COUNT)}))}
    assert set(flat) == {"items", "items[].a", "m", "m.{key}"}
    assert flat["items[].a"]["nullable"] and not flat["items[].a"]["required"] and flat["items"]["required"]
    assert flat["m.{key}"]["minimum"] == 0
