"""The read API and Open311 against their OpenAPI document (schemathesis): no server
errors, and every response matches the schema. A bounded number of examples per operation keeps it
quick."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schemathesis
from schemathesis.specs.openapi.checks import response_schema_conformance

from portal.extensions import limiter

EXAMPLES = settings(max_examples=5, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


def test_api_matches_its_schema(app, db):
    limiter.enabled = False
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    seen = []
    for operation in operations:
        @EXAMPLES
        @given(case=operation.as_strategy())
        def check(case):
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = "intipuca"  # random slugs only ever meet 404
            if "jurisdiction_id" in (case.query or {}):
                case.query["jurisdiction_id"] = "intipuca"  # the same for Open311's jurisdictions
            # schemathesis's WSGI transport does not undo Content-Encoding as an HTTP client does
            response = case.call(headers={"Accept-Encoding": "identity"})
            seen.append(response.status_code)
            assert response.status_code < 500, (case.formatted_path, case.query, response.text[:500])
            if response.status_code < 400:
                case.validate_response(response, checks=[response_schema_conformance])
        check()
    assert any(status == 200 for status in seen)
    assert any(o.path.startswith("/open311/v2/") for o in operations)  # Open311 is documented too


HOSTILE = ["1e400", "NaN", "-inf", "99999999999999999999", "-99999999999999999999", "2147483648", "²", "٣",
           "0", "-1", "9999-12-31", "0001-01-31", "9999-12-31T00:00:00Z", "2026-02-30", "a\x0bb\x1b", "\x00",
           "x" * 3000, "' OR 1=1 --", "%00", "csv", "🙂", ""]
GENERIC = ("page", "per_page", "limit", "offset", "after", "year", "as_of", "format", "lang", "start_date",
           "end_date", "page_size", "service_request_id", "scenario", "assessment", "rule")


def test_every_api_and_open311_parameter_takes_hostile_values(app, db):
    """Every documented parameter of every operation (and the paging and date names any
    list might read) gets extreme and malformed values: no 5xx, a 400 names the parameter."""
    from urllib.parse import urlencode

    limiter.enabled = False
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    checked = 0
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        documented = [p for p in operation["parameters"] if p["in"] == "query"]
        names = sorted({p["name"] for p in documented} | set(GENERIC))
        path_params = [p for p in operation["parameters"] if p["in"] == "path"]

        @EXAMPLES
        @given(data=st.data())
        def check(data):
            url = path
            for p in path_params:
                if p["name"] == "slug":
                    value = "intipuca"
                elif "enum" in p["schema"]:
                    value = data.draw(st.sampled_from(p["schema"]["enum"]))
                elif p["schema"].get("type") == "integer":
                    value = data.draw(st.sampled_from(["1", "2", "99999999999999999999"]))
                else:
                    value = data.draw(st.sampled_from(["presupuesto", "encuestas", "1", "alumbrado", "²", "x"]))
                url = url.replace("{" + p["name"] + "}", value)
            query = {name: data.draw(st.sampled_from(HOSTILE), label=name)
                     for name in data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=4))}
            if "jurisdiction_id" in names:
                query["jurisdiction_id"] = "intipuca"
            response = client.get(url + "?" + urlencode(query))
            assert response.status_code < 500, (url, query, response.get_data(as_text=True)[:500])
        check()
        checked += 1
    assert checked >= 25
