"""Onboarding a whole country: 400 municipalities from one file, re-imported, and its
national index for three editions ranked like any indicator."""
import csv
import io
import re

import pytest

from portal.demo import country

pytestmark = pytest.mark.xdist_group("onboard")
SOURCE = "Ranking de la Gestión Municipal"
INDICATOR = "Índice de gestión municipal"


def _csv(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))  # with or without a BOM


def test_a_generated_country_onboards_with_its_national_index(runner, client, db, tmp_path):
    from portal.compare.metrics import external_key

    rows = country.municipalities(400, "GT")
    first = tmp_path / "municipios.xlsx"
    first.write_bytes(country.to_xlsx(rows, country.HEADERS))
    result = runner.invoke(args=["municipalities", "import", str(first)])
    assert result.exit_code == 0, result.output
    assert "400 created, 0 updated, 0 unchanged" in result.output

    # the same list again, as CSV: nothing is created twice; a changed row is updated
    rows[5]["poblacion"] = int(rows[5]["poblacion"]) + 1
    again = tmp_path / "municipios.csv"
    again.write_bytes(country.to_csv(rows, country.HEADERS))
    result = runner.invoke(args=["municipalities", "import", str(again)])
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated, 399 unchanged" in result.output

    listed = _csv(client.get("/api/v1/municipalities?format=csv&country=GT"))
    assert sorted(r["code"] for r in listed) == sorted(r["codigo"] for r in rows)  # each once, with its code
    assert len({r["slug"] for r in listed}) == 400
    by_code = {r["code"]: r for r in listed}
    assert by_code[rows[5]["codigo"]]["population"] == str(rows[5]["poblacion"])
    shared = [r for r in rows if r["nombre"] == "San José"]
    assert len(shared) > 1 and all(by_code[r["codigo"]]["slug"].startswith("san-jose-") for r in shared)
    assert by_code[rows[0]["codigo"]]["locale"] == "es_GT" and by_code[rows[0]["codigo"]]["currency"] == "GTQ"

    index = tmp_path / "ranking.csv"
    values = country.index_rows(rows, SOURCE, indicator=INDICATOR)
    index.write_bytes(country.to_csv(values, list(values[0])))
    result = runner.invoke(args=["compare", "import-external", str(index), "--country", "GT"])
    assert result.exit_code == 0, result.output

    key = external_key(SOURCE, INDICATOR)
    page = client.get(f"/comparar/?indicador={key}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and SOURCE in html and "2025" in html
    assert f'<option value="{key}" selected>' in html
    assert re.search(r"\b1 de \d+", html)  # ranked within its capacity group

    table = [r for r in _csv(client.get(f"/comparar/{key}.csv")) if r["pais"] == "GT"]
    assert sorted(r["codigo_municipio"] for r in table) == sorted(r["codigo"] for r in rows)
    latest = {v["codigo_municipio"]: v for v in values if v["periodo"] == "2025"}
    earlier = {v["codigo_municipio"] for v in values if v["periodo"] == "2023"}
    for line in table:
        code = line["codigo_municipio"]
        if code not in latest:  # missing from the latest edition: missing, never zero
            assert (line["valor"], line["posicion"], line["periodo"]) == ("", "", "")
            continue
        assert float(line["valor"]) == pytest.approx(latest[code]["valor"])
        assert line["banda"] == latest[code]["banda"]  # the index's own band, kept
        assert line["periodo"] == "2025" and line["grupo"] and 1 <= int(line["posicion"]) <= int(line["tamano_grupo"])
        assert line["esperado"] != ""  # the value expected for its capacity
        assert (line["valor_anterior"] != "") == (code in earlier)
    assert sum(1 for line in table if line["valor"] == "") == len(rows) - len(latest) > 0

    # every municipality once across the pages of the ranking (with a value or among the missing)
    seen = []
    for number in range(1, 20):
        response = client.get(f"/comparar/?indicador={key}&pagina={number}")
        if response.status_code == 404:
            break
        seen += re.findall(r'href="/m/([a-z0-9-]+)/comparar/"', response.get_data(as_text=True))
    slugs = [by_code[r["codigo"]]["slug"] for r in rows]
    assert sorted(s for s in seen if s in set(slugs)) == sorted(slugs)

    # ranked within its department too, and the pages go on at this size
    by_department = client.get(f"/comparar/?indicador={key}&agrupacion=departamento&pagina=2")
    assert by_department.status_code == 200 and "Petén (Guatemala)" in client.get(
        f"/comparar/?indicador={key}&agrupacion=departamento&pagina=9").get_data(as_text=True)


def test_a_municipality_whose_only_data_is_the_index_shows_it(runner, client, db, tmp_path):
    from portal.municipalities.services import by_code

    rows = country.municipalities(30, "GT", seed=3)
    path = tmp_path / "m.csv"
    path.write_bytes(country.to_csv(rows, country.HEADERS))
    assert runner.invoke(args=["municipalities", "import", str(path)]).exit_code == 0
    values = country.index_rows(rows, SOURCE, indicator=INDICATOR)
    index = tmp_path / "i.csv"
    index.write_bytes(country.to_csv(values, list(values[0])))
    assert runner.invoke(args=["compare", "import-external", str(index), "--country", "GT"]).exit_code == 0

    ranked = next(v for v in values if v["periodo"] == "2025")
    municipality = by_code("GT", ranked["codigo_municipio"])
    html = client.get(f"/m/{municipality.slug}/comparar/").get_data(as_text=True)
    row = re.search(r"<tr><th scope=\"row\"><a [^>]*indicador=ext-[^>]*>.*?</tr>", html, re.S)
    assert row, html
    assert INDICATOR in row.group(0) and SOURCE in row.group(0) and "https://example.org/ranking" in row.group(0)
    assert "Sin datos publicados" not in row.group(0) and ranked["banda"] in row.group(0)
    assert "1 de " in row.group(0) or " de " in row.group(0)
    home = client.get(f"/m/{municipality.slug}/").get_data(as_text=True)
    assert ranked["codigo_municipio"] in home and INDICATOR in home

    missing = next(r for r in rows if r["codigo"] not in {v["codigo_municipio"] for v in values
                                                         if v["periodo"] == "2021"})
    other = by_code("GT", missing["codigo"])
    page = client.get(f"/m/{other.slug}/comparar/").get_data(as_text=True)
    history = page[page.index('id="ext-h"'):]
    assert "2021" in history and "Sin dato en esta edición" in history
    assert "Frente a nuestras cifras" not in history  # the index names none of our indicators
