"""The OpenAPI document of the read API, generated from the URL map so that it can
never drift from the routes: every GET rule under ``/api/v1/`` and ``/open311/v2/``
becomes a path, its converters become path parameters (``any(json,xml)`` an enum), the
view's docstring its summary and description. Query parameters are declared in the
docstring with lines ``:query name: text``; a text that starts with "required" marks
the parameter as required. Response schemas and parameter types and bounds are in
:mod:`portal.opendata.api_schemas`; a dataset's rows also take every column as a filter.
"""
import copy
import re

from flask import current_app

from portal.core import registry
from portal.opendata import api_schemas
from portal.opendata.datasets import all_datasets

CONVERTER_TYPES = {"IntegerConverter": {"type": "integer"}, "FloatConverter": {"type": "number"}}
PREFIXES = ("/api/v1/", "/open311/v2/")
XML = {"type": "string", "format": "binary", "description": "GeoReport v2 XML"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = ((".csv", "text/csv"), (".xlsx", XLSX))
CSV = {"type": "string", "format": "binary", "description": "UTF-8 CSV with a header row"}
FILE_SCHEMAS = {"text/csv": CSV, XLSX: {"type": "string", "format": "binary"}, "text/html": {"type": "string"}}
BOM_TEXT = "0 for a CSV without the UTF-8 byte-order mark (for programs that do not skip it)"
ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def _query_schema(endpoint: str, name: str) -> dict:
    schema = copy.deepcopy(api_schemas.PARAMETERS.get(name, {"type": "string", "maxLength": 500}))
    if name == "topic":  # the topics the domains declare, in their order
        schema["enum"] = list(registry.topics())
    return schema


def _filters() -> list[dict]:
    """Every dataset column (English name) as an equality filter of a dataset's rows."""
    columns = {}
    for dataset in all_datasets():
        for column in dataset.columns:
            columns.setdefault(column.name, []).append(dataset.key)
    return [{"name": name, "in": "query", "required": False, "schema": {"type": "string", "maxLength": 500},
             "description": f"filter: rows whose {name} equals this (datasets: {', '.join(keys)})"}
            for name, keys in sorted(columns.items()) if name not in ("limit", "offset")]


def _path_schema(endpoint: str, name: str, converter) -> dict:
    """A path parameter's type and bounds: an ``any(...)`` converter's values, an integer
    converter's range (up to the largest id), a dataset's key among the declared ones,
    otherwise the bounds :data:`api_schemas.PATH_PARAMETERS` gives the name."""
    if hasattr(converter, "items"):
        return {"type": "string", "enum": sorted(converter.items)}
    kind = CONVERTER_TYPES.get(type(converter).__name__)
    if kind is not None:
        low = getattr(converter, "min", None)
        return {**kind, "minimum": low if low is not None else (0 if not getattr(converter, "signed", False)
                                                                  else -api_schemas.INT_MAX),
                "maximum": getattr(converter, "max", None) or api_schemas.INT_MAX}
    if name == "key" and endpoint.startswith("datasets_api."):
        return {"type": "string", "enum": sorted(d.key for d in all_datasets())}
    return copy.deepcopy(api_schemas.PATH_PARAMETERS.get(name, {"type": "string", "maxLength": 500}))


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
            parameters.append({"name": name, "in": "path", "required": True,
                               "schema": _path_schema(rule.endpoint, name, rule._converters[name])})
        for name, text in QUERY.findall(doc):
            parameters.append({"name": name, "in": "query", "required": text.strip().startswith("required"),
                               "description": text.strip(), "schema": _query_schema(rule.endpoint, name)})
        if rule.endpoint == "datasets_api.rows":
            parameters += _filters()
        media = next((kind for suffix, kind in MEDIA if rule.rule.endswith(suffix)), "application/json")
        if rule.endpoint == "opendata.api_docs":
            media = "text/html"
        content = {media: {"schema": FILE_SCHEMAS.get(media) or api_schemas.RESPONSES.get(rule.endpoint, {})}}
        if any(p["name"] == "format" for p in parameters):  # ?format=csv
            content["text/csv"] = {"schema": CSV}
        if "text/csv" in content:  # every CSV of the portal (portal.core.downloads.wants_bom)
            parameters.append({"name": "bom", "in": "query", "required": False, "description": BOM_TEXT,
                               "schema": copy.deepcopy(api_schemas.PARAMETERS["bom"])})
        responses = {
            "200": {"description": "OK", "content": content},
            "304": {"description": "Not modified (ETag or Last-Modified matched)"},
            "400": {"description": "A parameter out of its bounds or malformed; the message names it",
                    "content": ERROR},
            "404": {"description": "Unknown municipality or object", "content": ERROR},
        }
        if rule.rule.startswith("/open311/"):  # answers in the format asked for, errors as Open311 errors
            errors = {"application/json": {"schema": api_schemas.OPEN311_ERRORS}, "text/xml": {"schema": XML}}
            responses = {"200": {"description": "OK", "content": {
                             "application/json": {"schema": api_schemas.OPEN311.get(rule.endpoint, {})},
                             "text/xml": {"schema": XML}}},
                         "400": {"description": "Bad parameter (Open311 error list)", "content": errors},
                         "404": {"description": "Unknown jurisdiction or object (Open311 error list)",
                                 "content": errors}}
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
        "components": {"schemas": {"Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["status", "message"],
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}}}},
    }


def _kind(schema: dict) -> dict:
    """A schema's type and bounds as plain parts for the reference page."""
    schema = schema or {}
    kind = schema.get("type") or ("any" if not schema.get("anyOf") else
                                   "|".join(s.get("type", "?") for s in schema["anyOf"]))
    pattern = schema.get("pattern")
    if pattern == api_schemas.DECIMAL_PATTERN:  # named once on the page rather than spelled out each time
        kind, pattern = "decimal", None
    return {"type": kind, "format": schema.get("format"), "minimum": schema.get("minimum"),
            "maximum": schema.get("maximum"), "max_length": schema.get("maxLength"),
            "enum": schema.get("enum"), "pattern": pattern, "default": schema.get("default"),
            "nullable": bool(schema.get("nullable"))}


def fields(schema: dict, prefix: str = "", depth: int = 0) -> list[dict]:
    """Every field of a JSON answer, flattened: ``items[].code`` with its type, whether it
    is always written, and whether it can be null."""
    out = []
    if depth > 6 or not isinstance(schema, dict):
        return out
    if schema.get("type") == "array":
        return fields(schema.get("items", {}), prefix + "[]", depth + 1)
    required = set(schema.get("required", ()))
    for name, sub in (schema.get("properties") or {}).items():
        path = f"{prefix}.{name}" if prefix else name
        out.append({"name": path, "required": name in required, **_kind(sub)})
        out += fields(sub, path, depth + 1)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        path = f"{prefix}.{{key}}" if prefix else "{key}"
        out.append({"name": path, "required": False, **_kind(extra)})
        out += fields(extra, path, depth + 1)
    return out


def reference(doc: dict) -> list[dict]:
    """The document as the reference page lists it: one entry per path and method."""
    out = []
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            ok = operation["responses"].get("200", {}).get("content", {})
            out.append({
                "path": path, "method": method.upper(), "id": operation["operationId"],
                "summary": operation.get("summary", ""), "description": operation.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "description": p.get("description", ""), **_kind(p.get("schema"))}
                               for p in operation.get("parameters", [])],
                "media": sorted(ok),
                "fields": fields(ok.get("application/json", {}).get("schema", {})),
                "statuses": sorted(operation["responses"]),
            })
    return out
