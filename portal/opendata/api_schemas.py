"""JSON Schemas of the read API's answers and the types and bounds of its parameters,
for the OpenAPI document (:mod:`portal.opendata.openapi`).

The schemas describe what the views write: decimals as exact strings (``"1064147.34"``,
:func:`portal.core.api.dec`), dates as ``YYYY-MM-DD``, lists as ``{"items": [...]}``.
Every property a view always writes is required; a value that can be missing is
``nullable``. ``tests/opendata/test_openapi_live.py`` validates every documented
endpoint's live answers on the demo against them, so they cannot drift.

Parameter bounds are those of the query-string parsers: years 1900-2200, whole numbers
within a PostgreSQL ``integer``, page sizes within each list's maximum.
"""
INT_MAX = 2_147_483_647
YEAR_MIN, YEAR_MAX = 1900, 2200

DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
DEC = {"type": "string", "pattern": DECIMAL_PATTERN, "description": "exact decimal as a string"}
INT = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
ID = {"type": "integer", "minimum": 1}
YEAR = {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
UTC_TIME = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$",
            "description": "date and time in UTC, without an offset"}


def null(schema: dict) -> dict:
    """``schema`` or null."""
    return dict(schema, nullable=True)


def obj(properties: dict, optional: tuple = ()) -> dict:
    """An object whose properties are all required but those named in ``optional``."""
    required = sorted(k for k in properties if k not in optional)
    out = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    return out


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def mapping(values: dict) -> dict:
    """An object with free keys (codes, names) whose values follow ``values``."""
    return {"type": "object", "additionalProperties": values}


def items_of(item: dict, **extra) -> dict:
    """The list shape ``{"items": [...], ...}``."""
    return obj({"items": array(item), **extra})


CELL = {"nullable": True, "anyOf": [STR, INT, BOOL], "description": "a cell: decimals and dates as strings"}
KEYSET_PAGE = {"page": ID, "per_page": ID, "total": COUNT, "pages": COUNT, "next": null(STR)}
OFFSET_PAGE = {"limit": ID, "offset": COUNT, "next": null(URL), "previous": null(URL)}

MUNICIPALITY = obj({"slug": STR, "code": null(STR), "name": STR, "country": STR, "department": null(STR),
                    "population": null(COUNT), "currency": STR, "locale": STR, "is_example": BOOL, "url": URL})
DATASET = obj({
    "key": STR, "municipality": STR, "municipality_code": null(STR), "title": STR, "title_en": STR,
    "description": STR, "topic": STR, "uri": URL, "license": STR, "license_url": URL,
    "issued": DATETIME, "modified": DATETIME, "feed": URL,
    "columns": array(obj({"name": STR, "es": STR, "type": STR})),
    "distributions": obj({k: URL for k in ("json", "csv", "csv-en", "xlsx", "xlsx-en", "datapackage")}),
})
CHECKPOINTS = obj({
    "algorithm": STR, "public_key": null(STR), "key_id": null(STR), "signed_message": STR,
    "checkpoints": array(obj({"chain": STR, "municipality": null(STR), "seq": ID, "head": STR,
                              "signed_at": STR, "key_id": STR, "signature": STR})),
})
PHASES = {k: null(DEC) for k in ("approved", "modified", "accrued", "cash", "execution")}
MONTH = {"type": "integer", "minimum": 1, "maximum": 12}
FORECAST = obj({"year_to_date": DEC, **{k: null(DEC) for k in ("close", "low", "high", "mean_share", "spread")},
                "method": {"type": "string", "enum": ["actual", "seasonal", "linear", "none"]},
                "shares": array(obj({"year": YEAR, "share": DEC}))})
EXECUTION_ROW = obj({"code": STR, "name": STR, "kind": STR, "accrued": DEC, "cash": DEC,
                     **{k: null(DEC) for k in ("budget", "execution")},
                     "past": array(obj({"year": YEAR, "accrued": null(DEC)})), "forecast": FORECAST})
BUDGET_ROW = obj({"code": STR, "name": STR, **PHASES})
DEBT_YEAR = obj({k: (YEAR if k == "year" else DEC)
                 for k in ("year", "disbursed", "interest", "principal", "service", "balance")})
INDICATOR = obj({
    "code": STR, "name": STR, "year": YEAR, "value": null(DEC), "unit": STR, "display": STR,
    "threshold": null(DEC), "direction": STR, "ideal": STR, "status": STR, "reason": STR, "formula": STR,
    "formula_with_values": null(STR), "inputs": mapping(null(DEC)),
})
SCORE = {"code": STR, "name": STR, "score": null(DEC), "band": null(STR), "weight": DEC}
PROCESS = obj({"id": ID, "title": STR, "purpose": STR, "budget": DEC, "year": YEAR, "ballot_type": STR,
               "rule": STR, "historical": BOOL, "example_data": BOOL,
               "voting_open": null(DATE), "voting_close": null(DATE)})
SURVEY = obj({"id": ID, "title": STR, "purpose": STR, "opens_on": DATE, "closes_on": DATE, "audience": STR,
              "results_mode": STR, "state": {"type": "string", "enum": ["open", "closed", "upcoming"]},
              "results_available": BOOL, "is_example": BOOL, "results_url": STR})
MEAN = {"mean": null(DEC), "ci_low": null(DEC), "ci_high": null(DEC)}
STATISTICS = {"category": null(STR), "name": null(STR), "service_days": null(COUNT), "total": COUNT,
              "resolved": COUNT, "median_days": null(DEC), "p90_days": null(DEC), "on_time": null(DEC),
              "on_time_n": COUNT, "confirmed_fixed": null(DEC), "confirmed_n": COUNT,
              "reopen_rate": null(DEC), "reopen_n": COUNT}
PLAN = {"id": ID, "title": STR, "description": STR, "approved_on": null(DATE), "council_act": STR,
        "time_unit": STR, "url": URL, "api_url": URL}
AMOUNTS = {"funding_source": null(STR), "amount": null(DEC)}
SCENARIO_LINE = obj({"scenario": STR, "year": YEAR, "code": STR, "name": STR, "rubro": STR, "kind": STR,
                     "amount": DEC, "tags": STR})
OPEN311_ERRORS = array(obj({"code": INT, "description": STR}))

RESPONSES = {
    "opendata.api_index": obj({"municipalities": URL, "openapi": URL, "docs": URL}),
    "opendata.api_municipalities": items_of(MUNICIPALITY, **KEYSET_PAGE),
    "opendata_catalog.platform_datasets": items_of(DATASET, total=COUNT, **OFFSET_PAGE),
    "checkpoints_platform.all_checkpoints_json": CHECKPOINTS,
    "checkpoints_api.checkpoints_json": CHECKPOINTS,
    "changes_api.change": obj({
        "id": ID, "seq": ID, "created_at": UTC_TIME, "actor_role": null(STR), "action": STR, "section": STR,
        "object_type": STR, "object_id": null(STR), "summary": STR, "changes": {"type": "object"},
        "note": null(STR), "prev_hash": STR, "hash": STR}),
    "datasets_api.listing": items_of(DATASET, municipality=STR),
    "datasets_api.rows": items_of(mapping(CELL), dataset=STR, municipality=STR, count=COUNT,
                                  filters=mapping(STR), **OFFSET_PAGE),
    "datasets_api.package": obj({"name": STR, "resources": array(obj({"name": STR, "path": STR,
                                                                       "schema": {"type": "object"}}))}),
    "budgeting_api.processes": items_of(PROCESS, total=COUNT),
    "budgeting_api.results": obj({
        "process": PROCESS, "rule": STR,
        "totals": obj({"budget": DEC, "selected_cost": DEC, "selected": COUNT, "ballots": COUNT,
                       "per_voter_budget": null(DEC), "note": null(STR)}),
        "pots": array(obj({"district": null(STR), "budget": DEC, "spent": DEC, "projects": COUNT,
                           "selected": COUNT, "ballots": COUNT, "turnout": null({"type": "number"}),
                           "per_voter_budget": null(DEC), "note": null(STR)})),
        "projects": array(obj({"id": STR, "name": STR, "cost": DEC, "district": null(STR), "votes": COUNT,
                               "score": null({"type": "number"}), "selected": BOOL, "reason_code": null(STR),
                               "reason": null(STR), "remaining": null(DEC), "supporters_money": null(DEC)})),
    }),
    "complaints_api.service_list": obj({"municipality": STR, "services": array(obj({
        "code": STR, "name": STR, "description": STR, "group": STR, "unit": STR, "service_days": null(COUNT),
        "questions": array(STR)}))}),
    "complaints_api.statistics": obj({
        "municipality": STR, "as_of": DATE,
        "overall": obj({**STATISTICS, "per_month": mapping(COUNT)}),
        "services": array(obj(STATISTICS))}),
    "diagnostic_api.diagnostic": obj({
        "assessment": obj({"id": ID, "title": STR, "date": DATE, "verified": BOOL, "catalog": STR,
                           "catalog_version": ID, "conclusions": STR, "next_steps": STR, "previous": null(ID)}),
        "assessments": array(obj({"id": ID, "date": DATE, "verified": BOOL, "catalog_version": ID})),
        "bands": obj({"cutoffs": array(DEC), "labels": mapping(STR)}),
        "areas": array(obj({**SCORE, "not_applicable": COUNT, "not_reported": COUNT})),
        "dimensions": array(obj({**SCORE, "not_applicable": COUNT, "not_reported": COUNT})),
        "composites": array(obj({**SCORE, "axis": null(STR),
                                 "dimensions": array(obj({"code": STR, "weight": DEC}))})),
    }),
    "finance_api.budget": obj({
        "municipality": STR, "year": YEAR, "currency": STR, "years": array(YEAR),
        "lines": array(obj({"year": YEAR, "code": STR, "name": STR, "rubro": STR, "kind": STR, "tags": STR,
                            **{k: null(DEC) for k in ("approved", "modified", "accrued", "cash")}})),
        "facts": mapping(null(DEC)),
        "income": array(BUDGET_ROW), "expense": array(BUDGET_ROW),
        "totals": obj({"income": obj(PHASES), "expense": obj(PHASES)}),
    }),
    "finance_api.indicators": obj({"municipality": STR, "year": YEAR, "scenario": null(STR), "projected": BOOL,
                                   "years": array(YEAR), "indicators": array(INDICATOR)}),
    "finance_api.scenarios": obj({"municipality": STR, "scenarios": array(obj({
        "id": ID, "name": STR, "base_year": null(YEAR), "description": STR, "years": array(YEAR)}))}),
    "finance_api.scenario_lines": items_of(SCENARIO_LINE, municipality=STR, year=null(YEAR), years=array(YEAR),
                                           scenario=obj({"id": ID, "name": STR, "base_year": null(YEAR)})),
    "finance_api.revenue": items_of(
        obj({"year": YEAR, "group": {"type": "string", "enum": ["potencial", "reforma", "medida"]}, "code": STR,
             "name": STR, "payers": null(COUNT),
             **{k: null(DEC) for k in ("collected", "accrued", "monthly_payment", "arrears_balance", "recovery_rate",
                                       "rate", "foregone", "additional", "arrears_recovery", "measure")},
             "total": DEC}),
        municipality=STR, year=YEAR, currency=STR, years=array(YEAR), note=STR,
        subtotals=mapping(obj({**{k: DEC for k in ("collected", "accrued", "foregone", "additional",
                                                   "arrears_recovery", "total")}, "rows": COUNT})),
        collected_base=DEC, reforms_and_measures=DEC, total=DEC),
    "finance_api.costs": items_of(
        obj({"year": YEAR, "code": STR, "name": STR, "households": COUNT,
             **{k: null(DEC) for k in ("staff", "supplies", "fuel", "disposal", "other", "accrued", "collected",
                                       "per_household", "per_household_month", "covering_fee", "cost_recovery")},
             **{k: DEC for k in ("direct", "indirect", "cost", "subsidy", "subsidy_accrued")}}),
        municipality=STR, year=YEAR, currency=STR, years=array(YEAR), note=STR, allocation_key=STR,
        indirect_costs=DEC, totals=mapping(DEC)),
    "finance_debt_api.debt": items_of(
        obj({"name": STR, "lender": STR, "principal": DEC, "rate": DEC, "years": ID, "method": STR,
             "start_year": YEAR, "start_month": ID, "periods_per_year": ID, "grace_periods": COUNT,
             "maturity_year": YEAR, "maturity_month": ID, "by_year": array(DEBT_YEAR)}),
        municipality=STR, currency=STR, scenario=null(STR), totals=array(DEBT_YEAR),
        suppliers=array(obj({"supplier": STR, "due_year": YEAR, "due_month": ID, "amount": DEC, "paid": DEC,
                             "paid_year": null(YEAR)})),
        limits=array(obj({"year": YEAR, "projected": BOOL, "code": STR, "direction": STR, "limit": DEC,
                          "numerator": null(DEC), "denominator": null(DEC), "value": null(DEC),
                          "ok": null(BOOL)}))),
    "finance_execution_api.execution_": items_of(
        EXECUTION_ROW, municipality=STR, currency=STR, year=YEAR, month=MONTH, months=array(MONTH),
        years=array(YEAR), past_years=array(YEAR), budget_source=null(obj({"kind": STR, "name": STR})),
        totals=mapping(obj({**{k: null(DEC) for k in ("budget", "execution")}, "accrued": DEC, "cash": DEC,
                            "past": array(obj({"year": YEAR, "accrued": null(DEC)})),
                            "forecast": null(FORECAST)})),
        investment=obj({"accrued": DEC, **{k: null(DEC) for k in ("budget", "expected", "execution")}}),
        indicators=array(obj({"code": STR, "name": STR, "value": null(DEC), "status": STR})),
        warnings=array(obj({"kind": {"type": "string", "enum": ["legal_limit", "threshold", "investment"]},
                            "code": STR, "name": STR, "month": MONTH, "value": null(DEC),
                            "threshold": null(DEC), "direction": STR, "previous": null(DEC),
                            "expected": null(DEC)}))),
    "roadmap_api.plans": items_of(obj({**PLAN, "activities": COUNT})),
    "roadmap_api.plan": obj({
        **PLAN,
        "horizons": array(obj({"name": STR, "start": null(DATE), "end": null(DATE)})),
        "actions": array(STR),
        "activities": array(obj({
            "id": ID, "number": STR, "parent_id": null(ID), "horizon": null(STR), "action": null(STR),
            "area": null(STR), "title": STR, "description": null(STR), "start": null(DATE), "end": null(DATE),
            "period_unit": null(STR), "permanent": BOOL, "period": null(STR), "responsible": null(STR),
            "cost": null(DEC), "currency": null(STR), "funding_source": null(STR), "target_codes": array(STR),
            "budget_lines": array(STR), "status": STR, "done": BOOL, "progress": null(DEC),
            "timeliness": null(STR), "verification": null(STR), "evidence_file": null(URL),
            "limitation": null(STR), "observations": null(STR), "actual_cost": null(DEC), "weight": null(DEC),
            "source_ref": null(STR), "url": URL})),
        "milestones": array(obj({"title": STR, "kind": null(STR), "date": null(DATE), "activity_id": null(ID),
                                 "reached": null(BOOL)})),
        "goals": array(obj({"title": STR, "source": null(STR), "param": null(STR), "year": null(YEAR),
                            "direction": null(STR), "target": null(DEC), "baseline": null(DEC),
                            "baseline_year": null(YEAR), "unit": null(STR), "actual": null(DEC),
                            "status": STR})),
        "reviews": array(obj({"date": null(DATE), "title": STR, "summary": null(STR),
                              "approved_changes": null(STR), "council_act": null(STR)})),
        "totals": obj({"total": null(DEC), "by_horizon": array(obj({"horizon": null(STR), "amount": null(DEC)})),
                       "by_funding_source": array(obj(AMOUNTS)),
                       "by_horizon_and_source": array(obj({"horizon": null(STR), "sources": array(obj(AMOUNTS))}))}),
        "follow_up": obj({k: COUNT for k in ("activities", "done", "on_time", "late", "upcoming", "cancelled")}),
    }),
    "surveys_api.surveys": items_of(SURVEY),
    "surveys_api.survey_results": obj({
        "survey": SURVEY, "responses": COUNT, "paper": COUNT, "example": COUNT,
        "questions": array(obj({
            "code": STR, "text": STR, "kind": STR, "n": COUNT, "counts": mapping(COUNT), "shares": mapping(null(DEC)),
            **MEAN,
            "rows": array(obj({"service": STR, "n": COUNT, "not_used": COUNT, **MEAN})),
            "texts": array(STR)}, optional=("rows", "texts"))),
    }),
}

# The fiscal semáforo (portal.compare.semaforo_views, declared by finance).
FISCAL_LIGHT = obj({"municipality": STR, "slug": STR, "country": STR,
                    "light": {"type": "string", "enum": ["red", "amber", "green", "no_data"]}, "label": STR,
                    "reasons": array(STR), "year": null(YEAR), "month": null(MONTH), "url": URL})
RESPONSES["compare_api.semaforo_api"] = items_of(FISCAL_LIGHT, **KEYSET_PAGE)

# Query parameters by name: type and bounds (the parsers' limits); per-endpoint entries win.
PARAMETERS = {
    "page": {"type": "integer", "minimum": 1, "maximum": INT_MAX},
    "per_page": {"type": "integer", "minimum": 1, "maximum": 500},
    "after": {"type": "string", "maxLength": 500},
    "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
    "offset": {"type": "integer", "minimum": 0, "maximum": INT_MAX, "default": 0},
    "year": YEAR,
    "as_of": DATE,
    "format": {"type": "string", "enum": ["csv"]},
    "lang": {"type": "string", "enum": ["es", "en"]},
    "country": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
    "topic": {"type": "string"},  # its enum: the registered Atom topics (openapi._query_schema)
    "scenario": {"type": "string", "maxLength": 120},
    "assessment": {"type": "string", "maxLength": 20, "pattern": r"^([0-9]{1,9}|[0-9]{4}-[0-9]{2}-[0-9]{2})$"},
    "rule": {"type": "string", "maxLength": 40},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 1000},
    "start_date": DATETIME,
    "end_date": DATETIME,
    "extensions": {"type": "string", "enum": ["true", "false"]},
    "status": {"type": "string", "maxLength": 20},
    "month": {"type": "integer", "minimum": 1, "maximum": 12},
    "light": {"type": "string", "enum": ["red", "amber", "green", "no_data"]},
    "bom": {"type": "string", "enum": ["0", "1"], "default": "1"},
}

# Path parameters by name: type and bounds (what the routes can find; anything else is a 404).
# Integer converters take their bounds from the converter (unsigned: from 0) up to INT_MAX.
SLUG = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{1,58}$"}  # municipalities.services.create
PATH_PARAMETERS = {
    "slug": SLUG,
    "name_or_id": {"type": "string", "minLength": 1, "maxLength": 120},  # a scenario's id or name
    "code": {"type": "string", "minLength": 1, "maxLength": 40},  # an Open311 service code
    "request_id": {"type": "string", "pattern": r"^[0-9]{1,10}$"},  # an Open311 service request id
    "token": {"type": "string", "minLength": 1, "maxLength": 40},  # an Open311 tracking token
}

# The document itself, and Open311 GeoReport v2 answers in JSON (lists at the top level, as the standard has them).
RESPONSES["opendata.openapi"] = obj({"openapi": {"type": "string", "pattern": r"^3\.0\.[0-9]+$"},
                                     "info": obj({"title": STR, "version": STR, "description": STR}),
                                     "servers": array(obj({"url": STR})), "paths": mapping({"type": "object"}),
                                     "components": {"type": "object"}})
W3C = null(DATETIME)
REQUEST = obj({
    "service_request_id": STR, "status": {"type": "string", "enum": ["open", "closed"]}, "status_notes": null(STR),
    "service_name": STR, "service_code": STR, "description": null(STR), "agency_responsible": null(STR),
    "service_notice": null(STR), "requested_datetime": W3C, "updated_datetime": W3C, "expected_datetime": W3C,
    "address": null(STR), "address_id": null(STR), "zipcode": null(STR), "lat": null({"type": "number"}),
    "long": null({"type": "number"}), "media_url": null(URL),
    "extended_attributes": {"type": "object"},
    "notes": array(obj({"datetime": W3C, "type": STR, "description": STR})),
}, optional=("extended_attributes", "notes"))
OPEN311 = {
    "open311.discovery": obj({"changeset": STR, "contact": STR, "key_service": STR, "endpoints": array(obj({
        "specification": STR, "url": URL, "changeset": STR, "type": STR, "formats": array(STR)}))}),
    "open311.service_list": array(obj({"service_code": STR, "service_name": STR, "description": STR,
                                       "metadata": BOOL, "type": STR, "keywords": STR, "group": STR})),
    "open311.service_definition": obj({"service_code": STR, "attributes": array(obj({
        "variable": BOOL, "code": STR, "datatype": STR, "required": BOOL, "datatype_description": null(STR),
        "order": INT, "description": STR, "values": array(obj({"key": STR, "name": STR}))}))}),
    "open311.request_list": array(REQUEST),
    "open311.request_one": array(REQUEST),
    "open311.token": array(obj({"service_request_id": STR, "token": STR})),
    "open311.request_updates": array(obj({"update_id": STR, "service_request_id": STR, "status": STR,
                                          "updated_datetime": W3C, "description": null(STR), "media_url": null(URL)})),
}
