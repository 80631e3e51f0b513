"""Projected budget lines of a published scenario in the read API (JSON and CSV)."""
import csv
import io
from decimal import Decimal

from portal.finance import projections, services

BASE = "/api/v1/municipalities/intipuca/finance/scenarios"


def _scenario(muni):
    return services.scenarios(muni)[0]


def test_lines_by_id_and_by_name_are_the_projected_lines(client, muni):
    scenario = services.get_scenario(muni, scenario_id=_scenario(muni).id)
    by_id = client.get(f"{BASE}/{scenario.id}/lines").get_json()
    by_name = client.get(f"{BASE}/{scenario.name}/lines").get_json()
    assert by_id == by_name
    assert by_id["scenario"] == {"id": scenario.id, "name": scenario.name, "base_year": scenario.base_year}
    assert len(by_id["items"]) == len(scenario.lines) > 0
    expected = {(l.year, l.code): projections.cents(l.amount) for l in scenario.lines}
    assert {(i["year"], i["code"]): Decimal(i["amount"]) for i in by_id["items"]} == expected
    assert by_id["years"] == sorted({l.year for l in scenario.lines})
    assert {i["kind"] for i in by_id["items"]} <= {"income", "expense", ""}


def test_lines_of_one_year_and_as_csv(client, muni):
    scenario = _scenario(muni)
    year = client.get(f"{BASE}/{scenario.id}/lines").get_json()["years"][1]
    body = client.get(f"{BASE}/{scenario.id}/lines?year={year}").get_json()
    assert body["year"] == year and body["items"] and {i["year"] for i in body["items"]} == {year}
    response = client.get(f"{BASE}/{scenario.id}/lines?year={year}&format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert list(rows[0]) == ["scenario", "year", "code", "name", "rubro", "kind", "amount", "tags"]
    assert [(r["code"], r["amount"]) for r in rows] == [(i["code"], i["amount"]) for i in body["items"]]


def test_unknown_or_unpublished_scenario_and_bad_year(client, muni):
    assert client.get(f"{BASE}/no-such-scenario/lines").status_code == 404
    assert client.get(f"{BASE}/999999/lines").status_code == 404
    for odd in ("²", "1%00", "x" * 500, "99999999999999999999"):
        assert client.get(f"{BASE}/{odd}/lines").status_code == 404, odd
    for bad in ("abc", "99999", "1800", "-1", "²⁰¹⁶", "2016%00"):
        response = client.get(f"{BASE}/{_scenario(muni).id}/lines?year={bad}")
        assert response.status_code == 400 and "year" in response.get_json()["error"]["message"]
