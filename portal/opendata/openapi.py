"""The OpenAPI document of the read API, generated from the URL map so that it can
never drift from the routes: every GET rule under ``/api/v1/`` and ``/open311/v2/``
becomes a path, its converters become path parameters (``any(json,xml)`` an enum), the
view's docstring its summary and description. Query parameters are declared in the
docstring with lines ``:query name: text``; a text that starts with "required" marks
the parameter as required.
"""
import re

from flask import current_app

CONVERTER_TYPES = {"IntegerConverter": {"type": "integer"}, "FloatConverter": {"type": "number"}}
PREFIXES = ("/api/v1/", "/open311/v2/")
OPEN311_MEDIA = {"application/json": {"schema": {}}, "text/xml": {"schema": {}}}
MEDIA = ((".csv", "text/csv"), (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
QUERY = re.compile(r"^\s*:query\s+(\w+):\s*(.+)$", re.MULTILINE)


def _path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def document() -> dict:
    paths = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIXES) or "GET" not in (rule.methods or ()):
            continue
        view = current_app.view_functions[rule.endpoint]
        doc = (view.__doc__ or "").strip()
        summary = doc.splitlines()[0] if doc else rule.endpoint
        description = QUERY.sub("", doc).strip()
        parameters = []
        for name in sorted(rule.arguments):
            converter = rule._converters[name]
            schema = {"type": "string", "enum": sorted(converter.items)} if hasattr(converter, "items") else \
                CONVERTER_TYPES.get(type(converter).__name__, {"type": "string"})
            parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        for name, text in QUERY.findall(doc):
            parameters.append({"name": name, "in": "query", "required": text.strip().startswith("required"),
                               "description": text.strip(), "schema": {"type": "string"}})
        media = next((kind for suffix, kind in MEDIA if rule.rule.endswith(suffix)), "application/json")
        responses = {
            "200": {"description": "OK", "content": {media: {"schema": {}}}},
            "304": {"description": "Not modified (ETag or Last-Modified matched)"},
            "400": {"description": "A parameter out of its bounds or malformed; the message names it",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "404": {"description": "Unknown municipality or object",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        }
        if rule.rule.startswith("/open311/"):  # answers in the format asked for, errors as Open311 errors
            responses = {"200": {"description": "OK", "content": OPEN311_MEDIA},
                         "400": {"description": "Bad parameter (Open311 error list)", "content": OPEN311_MEDIA},
                         "404": {"description": "Unknown jurisdiction or object (Open311 error list)",
                                 "content": OPEN311_MEDIA}}
        paths.setdefault(_path(rule), {})["get"] = {
            "operationId": rule.endpoint, "summary": summary, "description": description,
            "parameters": parameters, "responses": responses,
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Cabildo read API and Open311 GeoReport v2", "version": "1",
                 "description": "Everything the portal publishes, as JSON. Decimals are exact strings. "
                                "Open datasets (/api/v1/municipalities/{slug}/datasets/...) page with ?limit= and "
                                "?offset= and give next/previous links, filter by any column, and download as "
                                "CSV, XLSX and a Data Package; other lists page with ?page= and ?per_page=, and "
                                "many also answer ?format=csv. Complaints are also served by the Open311 GeoReport v2 "
                                "endpoints under /open311/v2/ (JSON or XML by the path's extension; POST requests "
                                "with an API key are described in docs/complaints.md)."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": {"Error": {"type": "object", "properties": {"error": {
            "type": "object", "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}}}},
    }
