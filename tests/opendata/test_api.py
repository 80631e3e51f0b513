"""API conventions: the OpenAPI document matches the routes, CORS, ETag and 304."""
import csv
import io


def test_openapi_lists_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    import re

    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/api/v1/", "/open311/v2/")) and "GET" in rule.methods:
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            assert path in paths, path
            declared = {p["name"] for p in paths[path]["get"]["parameters"] if p["in"] == "path"}
            assert declared == set(rule.arguments)
    routes = {re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", r.rule) for r in app.url_map.iter_rules()
              if "GET" in r.methods}
    assert set(paths) <= routes, set(paths) - routes  # nothing documented that does not exist
    ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(ids) == len(set(ids))
    dataset = paths["/api/v1/municipalities/{slug}/datasets/{key}"]["get"]
    assert {"limit", "offset"} <= {p["name"] for p in dataset["parameters"]}
    assert "text/csv" in paths["/api/v1/municipalities/{slug}/datasets/{key}/data.csv"]["get"]["responses"]["200"][
        "content"]
    assert {"page", "per_page", "country", "format"} <= {
        p["name"] for p in paths["/api/v1/municipalities"]["get"]["parameters"]}
    requests = {p["name"]: p for p in paths["/open311/v2/requests.{fmt}"]["get"]["parameters"]}
    assert requests["fmt"]["schema"]["enum"] == ["json", "xml"] and requests["jurisdiction_id"]["required"]
    assert {"status", "start_date", "end_date", "page_size"} <= set(requests)


def test_municipalities_api_pages_and_downloads(client):
    data = client.get("/api/v1/municipalities?per_page=2").json
    assert data["total"] >= 4 and len(data["items"]) == 2 and data["pages"] >= 2
    assert client.get("/api/v1/municipalities?country=BO").json["items"][0]["slug"] == "ejemplo-bo"
    with client.get("/api/v1/municipalities?format=csv") as response:
        rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert response.mimetype == "text/csv"
    assert {r["slug"] for r in rows} >= {"intipuca", "ejemplo-bo"}


def test_cors_and_conditional_get(client):
    response = client.get("/api/v1/municipalities")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    etag = response.headers["ETag"]
    again = client.get("/api/v1/municipalities", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get("/api/v1/municipalities?per_page=1", headers={"If-None-Match": etag}).status_code == 200


def test_api_index_points_to_the_document(client):
    assert client.get("/api/v1/").json["openapi"].endswith("/api/v1/openapi.json")
