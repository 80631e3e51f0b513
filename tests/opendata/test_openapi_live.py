"""Every documented endpoint of the read API, requested on the demo, against the OpenAPI
document (openapi-core): the request and the answer (status, media type, body schema) must
conform, so the document cannot drift from what the API writes."""
import re

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.exceptions import OpenAPIError
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from portal.extensions import limiter

# Demo values for path parameters and the queries worth walking besides the bare path.
QUERIES = {
    "/api/v1/municipalities": ["", "per_page=3", "format=csv", "format=csv&bom=0", "country=SV"],
    "/api/v1/datasets": ["", "limit=2&offset=1", "topic=finance&country=SV"],
    "/api/v1/municipalities/{slug}/datasets/{key}": ["", "limit=3", "year=2013&direction=revenue"],
    "/api/v1/municipalities/{slug}/datasets/{key}/data.csv": ["", "lang=en", "bom=0"],
    "/api/v1/municipalities/{slug}/finance/budget": ["", "year=2013"],
    "/api/v1/municipalities/{slug}/finance/indicators": ["", "year=2013", "year=2016&scenario=PRFM 2014-2018"],
    "/api/v1/municipalities/{slug}/finance/scenarios/{name_or_id}/lines": ["", "year=2016", "format=csv"],
    "/api/v1/municipalities/{slug}/finance/revenue": ["", "year=2012", "format=csv"],
    "/api/v1/municipalities/{slug}/finance/costs": ["", "year=2012", "format=csv"],
    "/api/v1/municipalities/{slug}/diagnostic": ["", "assessment=1", "assessment=2013-04-15", "format=csv"],
    "/api/v1/municipalities/{slug}/complaints/statistics": ["", "as_of=2026-06-30", "format=csv"],
    "/api/v1/municipalities/{slug}/surveys": ["", "format=csv"],
}


OPEN311_QUERIES = {"/open311/v2/requests.{fmt}": ["", "status=open&page_size=5", "extensions=true"],
                   "/open311/v2/requests/{request_id}.{fmt}": ["", "extensions=true"]}


def _values(app):
    """Path-parameter values that exist on the demo."""
    from sqlalchemy import select

    from portal.audit.models import ChangeRecord
    from portal.participation.complaints.models import Report
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting import services as budgeting
    from portal.participation.surveys import services as surveys

    muni = get_by_slug("intipuca")
    process = next(p for p in budgeting.processes(muni) if budgeting.result_for(muni, p, None) is not None)
    survey = next(s for s in surveys.public_surveys(muni) if s.results_public(surveys.today()))
    change = db.session.execute(select(ChangeRecord.id).filter_by(municipality_id=muni.id).limit(1)).scalar()
    report = db.session.execute(select(Report).filter_by(municipality_id=muni.id, hidden=False)
                                .order_by(Report.id).limit(1)).scalar()
    return {"slug": "intipuca", "key": "presupuesto", "process_id": process.id, "survey_id": survey.id,
            "change_id": change, "plan_id": 1, "name_or_id": "1", "code": "alumbrado",
            "request_id": report.id, "token": report.code}


def _requests(spec, values):
    """(path, url, query) for every GET path of the document, with demo values."""
    for path, item in spec["paths"].items():
        if "get" not in item:
            continue
        queries = QUERIES.get(path, [""])
        if path.startswith("/open311/"):  # both formats, the jurisdiction named
            queries = [f"jurisdiction_id=intipuca{'&' + q if q else ''}" for q in OPEN311_QUERIES.get(path, [""])]
        for fmt in (("json", "xml") if "{fmt}" in path else ("",)):
            url = re.sub(r"{(\w+)}", lambda m: str(dict(values, fmt=fmt)[m.group(1)]), path)
            for query in queries:
                yield path, url, query


def test_every_documented_endpoint_answers_as_documented(app, db):
    limiter.enabled = False
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    openapi = OpenAPI.from_dict(spec)
    checked, failures = set(), []
    for path, url, query in _requests(spec, _values(app)):
        environ = EnvironBuilder(path=url, query_string=query, base_url="http://localhost").get_environ()
        request = Request(environ)
        response = client.open(environ)
        assert response.status_code == 200, (url, query, response.status_code, response.get_data()[:300])
        response.make_sequence()  # a streamed CSV read whole for validation
        try:
            openapi.validate_request(WerkzeugOpenAPIRequest(request))
            openapi.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
        except OpenAPIError as error:  # every mismatch listed, not only the first
            failures.append(f"{url}?{query}: {error!r}: {error.__cause__!r}"[:1500])
        checked.add(path)
    assert not failures, "\n".join(failures)
    assert checked == {p for p, item in spec["paths"].items() if "get" in item}


def test_every_json_answer_has_a_real_schema(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for media, content in item["get"]["responses"]["200"]["content"].items():
            assert content["schema"].get("type"), (path, media)  # nothing declared as "anything"
            if media == "application/json" and not path.startswith("/open311/"):
                assert content["schema"]["type"] == "object" and content["schema"]["required"], path


@pytest.mark.parametrize("path,parameter,expected", [
    ("/api/v1/municipalities/{slug}/finance/budget", "year", {"type": "integer", "minimum": 1900, "maximum": 2200}),
    ("/api/v1/municipalities/{slug}/finance/indicators", "scenario", {"type": "string", "maxLength": 120}),
    ("/api/v1/municipalities/{slug}/diagnostic", "format", {"type": "string", "enum": ["csv"]}),
    ("/api/v1/municipalities/{slug}/datasets/{key}", "limit",
     {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
    ("/api/v1/municipalities/{slug}/datasets/{key}", "direction", {"type": "string", "maxLength": 500}),
    ("/api/v1/municipalities", "per_page", {"type": "integer", "minimum": 1, "maximum": 500}),
])
def test_parameters_carry_types_and_bounds(client, path, parameter, expected):
    spec = client.get("/api/v1/openapi.json").get_json()
    declared = {p["name"]: p["schema"] for p in spec["paths"][path]["get"]["parameters"]}
    assert {k: declared[parameter].get(k) for k in expected} == expected
    assert "assessment" in {p["name"] for p in spec["paths"]["/api/v1/municipalities/{slug}/diagnostic"]["get"][
        "parameters"]}


def bounded(schema: dict) -> bool:
    """A parameter schema that says which values it takes: a list of values, a pattern, a
    date format or a maximum length for text; both ends for numbers."""
    if "enum" in schema:
        return True
    if schema.get("type") == "string":
        return any(k in schema for k in ("pattern", "maxLength")) or schema.get("format") in ("date", "date-time")
    if schema.get("type") in ("integer", "number"):
        return "minimum" in schema and "maximum" in schema
    return False


def test_every_parameter_path_and_query_has_its_type_and_bounds(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    unbounded = [(path, p["in"], p["name"], p["schema"]) for path, item in spec["paths"].items()
                 for p in item["get"]["parameters"] if not bounded(p["schema"])]
    assert not unbounded, unbounded
    rows = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/municipalities/{slug}/datasets/{key}"]["get"][
        "parameters"]}
    assert "presupuesto" in rows["key"]["enum"] and re.fullmatch(rows["slug"]["pattern"], "intipuca")
    change = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/municipalities/{slug}/changes/{change_id}"][
        "get"]["parameters"]}
    assert change["change_id"] == {"type": "integer", "minimum": 0, "maximum": 2147483647}


def test_unknown_path_values_are_outside_the_document_and_answer_404(app, db):
    """A value the document rules out (a dataset key it does not list, a malformed slug)
    fails the request's validation, and the API answers it with its documented 404."""
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    openapi = OpenAPI.from_dict(spec)
    for url in ("/api/v1/municipalities/intipuca/datasets/no-such-dataset",
                "/api/v1/municipalities/Not_A_Slug/datasets"):
        environ = EnvironBuilder(path=url, base_url="http://localhost").get_environ()
        with pytest.raises(OpenAPIError):
            openapi.validate_request(WerkzeugOpenAPIRequest(Request(environ)))
        response = client.open(environ)
        assert response.status_code == 404, url
        openapi.validate_response(WerkzeugOpenAPIRequest(Request(environ)), WerkzeugOpenAPIResponse(response))


def test_every_csv_answer_documents_the_byte_order_mark_switch(app, db):
    """``?bom=0`` (README: a CSV without the mark, for programs) is a parameter of every
    operation that answers CSV, and does what it says on every one of them."""
    limiter.enabled = False
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    values = _values(app)
    csv_paths = [path for path, item in spec["paths"].items()
                 if "text/csv" in item["get"]["responses"]["200"]["content"]]
    assert len(csv_paths) >= 10
    for path in csv_paths:
        declared = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert declared["bom"]["schema"] == {"type": "string", "enum": ["0", "1"], "default": "1"}, path
        url = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
        csv_query = "" if path.endswith(".csv") else "format=csv&"
        answers = {}
        for flag in ("1", "0"):  # each (streamed) answer read whole before the next request
            response = client.get(f"{url}?{csv_query}bom={flag}")
            answers[flag] = (response.mimetype, response.get_data())
        assert answers["1"][0] == answers["0"][0] == "text/csv", path
        assert answers["1"][1].startswith(b"\xef\xbb\xbf"), path
        assert answers["0"][1] == answers["1"][1][3:], path


def test_error_answers_are_as_documented_too(app, db):
    """Unknown municipalities and objects (404) and a malformed value of each documented
    query parameter (400, or the 200 of a parameter that ignores it): every answer, errors
    included, matches its status's schema in the document (Open311's its own error list)."""
    limiter.enabled = False
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    openapi = OpenAPI.from_dict(spec)
    values = dict(_values(app), fmt="json")
    statuses, failures = [], []
    for path, item in spec["paths"].items():
        known = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
        unknown = re.sub(r"{(\w+)}", lambda m: "no-such" if m.group(1) == "slug" else
                         ("json" if m.group(1) == "fmt" else "999999"), path)
        tries = [(unknown, "")] + [(known, f"{p['name']}=%C2%B2x") for p in item["get"]["parameters"]
                                   if p["in"] == "query"]
        for url, query in tries:
            environ = EnvironBuilder(path=url, query_string=query, base_url="http://localhost").get_environ()
            response = client.open(environ)
            response.make_sequence()
            statuses.append(response.status_code)
            try:
                openapi.validate_response(WerkzeugOpenAPIRequest(Request(environ)), WerkzeugOpenAPIResponse(response))
            except OpenAPIError as error:
                failures.append(f"{url}?{query} {response.status_code}: {error!r}: {error.__cause__!r}"[:600])
    assert not failures, "\n".join(failures)
    assert {400, 404} <= set(statuses)


def test_a_document_that_drifts_is_caught(app, db):
    """The walk above fails when a schema stops matching: a required property the API does not write."""
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["paths"]["/api/v1/municipalities/{slug}/finance/scenarios"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]
    schema["required"] = schema["required"] + ["not_written"]
    environ = EnvironBuilder(path="/api/v1/municipalities/intipuca/finance/scenarios",
                             base_url="http://localhost").get_environ()
    response = client.open(environ)
    with pytest.raises(OpenAPIError):
        OpenAPI.from_dict(spec).validate_response(WerkzeugOpenAPIRequest(Request(environ)),
                                                  WerkzeugOpenAPIResponse(response))
