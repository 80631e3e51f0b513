"""Extreme and malformed values posted to every form of the portal: the URL map is
walked for POST endpoints, each is called with the demo's ids and signed in with a
role allowed there, and hypothesis fills the form's fields (read from its page) with
numbers past every bound, NaN and infinity, far-off dates, control characters, huge
texts and plausible values mixed; then every number and date field is swept past its
bounds with the other fields plausible, so the value reaches the service behind the
form. No answer may be a server error, nor the page a stored value leads to."""
from datetime import date
from html.parser import HTMLParser

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.extensions import db as _db
from portal.extensions import limiter

EXAMPLES = settings(max_examples=5, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

HOSTILE = ["1e400", "-1e400", "NaN", "Infinity", "-inf", "99999999999999999999", "-99999999999999999999",
           "2147483648", "²", "٣", "1,5", "0", "-1", "0x10", "1e-400", "9999-12-31", "0001-01-01", "2026-02-30",
           "9999-12-31T00:00:00Z", "\x00", "a\x0bb\x1bc", "", " ", "x" * 5000, "<script>alert(1)</script>",
           "%s%n", "' OR 1=1 --", "../../etc/passwd", "🙂", "\r\nX-Header: 1", "null", "true"]


class _Fields(HTMLParser):
    """Names and kinds of the fields of a page's POST forms, with the options of selects."""

    def __init__(self, html):
        super().__init__()
        self.fields, self._select, self._in_post = {}, None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_post = (a.get("method") or "get").lower() == "post"
        if not self._in_post:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            entry = self.fields.setdefault(name, {"kind": kind, "options": [], "value": a.get("value")})
            if kind in ("radio", "checkbox", "hidden", "submit") and a.get("value") is not None:
                entry["options"].append(a["value"])
        elif tag == "textarea" and name:
            self.fields.setdefault(name, {"kind": "textarea", "options": []})
        elif tag == "select" and name:
            self._select = self.fields.setdefault(name, {"kind": "select", "options": []})
        elif tag == "option" and self._select is not None and a.get("value"):
            self._select["options"].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._in_post = False


def _first(model, **where):
    statement = select(model.id)
    for name, value in where.items():
        statement = statement.where(getattr(model, name) == value)
    return _db.session.scalar(statement.order_by(model.id).limit(1))


def _demo_ids(muni) -> dict:
    """A real id of Intipucá for every id a route takes, parents and children together."""
    from portal.accounts.models import Invitation, Membership
    from portal.diagnostic.models import Assessment, SubArea
    from portal.finance.models import BudgetYear, ProjectionRule, Scenario
    from portal.opendata.models import NewsFeed
    from portal.participation.budgeting.demo import OPEN
    from portal.participation.budgeting.models import BudgetProcess, BudgetProject, TallyResult
    from portal.participation.complaints.models import (ApiKey, Category, CategoryAttribute, Neighbourhood, Report)
    from portal.participation.surveys.models import Answer, Question, Survey
    from portal.roadmap.models import Activity, Goal, Plan

    m = muni.id
    process = _db.session.scalar(select(BudgetProcess.id).where(BudgetProcess.municipality_id == m,
                                                                 BudgetProcess.title == OPEN))
    category = _first(Category, municipality_id=m)
    scenario = _first(Scenario, municipality_id=m)
    plan = _first(Plan, municipality_id=m)
    today = date.today()
    survey = next((s.id for s in _db.session.execute(select(Survey).where(Survey.municipality_id == m)
                                                     .order_by(Survey.id)).scalars()
                   if s.is_published and s.opens_on <= today and not s.is_closed(today)), None)
    membership = _db.session.scalar(select(Membership).where(Membership.municipality_id == m).limit(1))
    report = _db.session.scalar(select(Report).where(Report.municipality_id == m).order_by(Report.id).limit(1))
    ids = {
        "process_id": process, "project_id": _first(BudgetProject, process_id=process),
        "result_id": _first(TallyResult, process_id=process), "report_id": report.id if report else None,
        "category_id": category, "attribute_id": _first(CategoryAttribute, category_id=category),
        "place_id": _first(Neighbourhood, municipality_id=m), "key_id": _first(ApiKey, municipality_id=m),
        "assessment_id": _first(Assessment, municipality_id=m), "feed_id": _first(NewsFeed, municipality_id=m),
        "scenario_id": scenario, "rule_id": _first(ProjectionRule, scenario_id=scenario),
        "year": _db.session.scalar(select(BudgetYear.year).where(BudgetYear.municipality_id == m).limit(1)),
        "invitation_id": _first(Invitation, municipality_id=m),
        "membership_id": membership.id if membership else None,
        "user_id": membership.user_id if membership else None,
        "plan_id": plan, "activity_id": _first(Activity, plan_id=plan), "goal_id": _first(Goal, plan_id=plan),
        "survey_id": survey, "question_id": _first(Question, survey_id=survey),
        "answer_id": _first(Answer, municipality_id=m),
        "code@report": report.code if report else "x",
        "code@subarea": _db.session.scalar(select(SubArea.code).limit(1)) or "x",
    }
    return {k: v for k, v in ids.items() if v is not None}


def _post_routes(app):
    out = []
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()) and rule.endpoint != "static":
            out.append(rule)
    return sorted(out, key=lambda r: r.rule)


def _values(rule, ids) -> dict:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters.get(arg)
        if converter is None:
            continue
        kind = type(converter).__name__
        if arg == "slug":
            values[arg] = "intipuca"
        elif kind == "AnyConverter":
            values[arg] = sorted(converter.items)[0]
        elif arg == "code":
            values[arg] = ids["code@subarea" if "diagnostico" in rule.rule else "code@report"]
        else:
            values[arg] = ids.get(arg, 1 if kind == "IntegerConverter" else "x")
    return values


def _sign_in(login, muni, access):
    if access == "public":
        return
    if access == "platform_admin":
        login(platform_admin=True)
    elif access.startswith("roles:"):  # the administrator holds every staff role
        login(role="admin", municipality=muni)
    else:
        login(role="resident")


@pytest.fixture
def no_limits():
    saved = limiter.enabled
    limiter.enabled = False
    yield
    limiter.enabled = saved


def test_the_walk_reaches_every_post_endpoint(app):
    rules = _post_routes(app)
    assert len(rules) >= 80  # the portal's forms and actions, one test each below
    endpoints = {r.endpoint for r in rules}
    assert {"budgeting.propose", "municipalities.create", "roadmap.followup"} <= endpoints
    assert any(e.startswith("open311.") for e in endpoints)


def _endpoint_ids(app):
    return [r.endpoint + " " + r.rule for r in _post_routes(app)]


def pytest_generate_tests(metafunc):
    if "post_rule" in metafunc.fixturenames:
        from portal import create_app  # the URL map only: no database is opened

        app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        rules = [(r.endpoint, r.rule) for r in _post_routes(app)]
        metafunc.parametrize("post_rule", rules, ids=[f"{e}:{r}" for e, r in rules])


def test_no_form_answers_a_server_error(app, client, login, muni, no_limits, post_rule):
    endpoint, path = post_rule
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == path)
    view = app.view_functions[endpoint]
    ids = _demo_ids(muni)
    _sign_in(login, muni, getattr(view, "access", "public"))
    with app.test_request_context():
        url = url_for(endpoint, **_values(rule, ids))
    fields = {}
    if "GET" in rule.methods:
        page = client.get(url)
        assert page.status_code < 500, (url, page.status_code)
        if page.status_code == 200 and page.mimetype == "text/html":
            fields = _Fields(page.get_data(as_text=True)).fields
    fixed = {}
    if endpoint == "open311.request_create":  # a client with a key, so the values reach the checks
        from portal.participation.complaints import staff

        fixed = {"api_key": staff.create_api_key(muni, "Prueba")[1], "jurisdiction_id": "intipuca"}
        _db.session.flush()
        fields = {name: {"kind": "text", "options": options} for name, options in (
            ("service_code", ["red-vial", "alumbrado"]), ("lat", ["13.2", "37.76524078"]),
            ("long", ["-88.0", "-122.4212043"]), ("address_string", ["Calle 1"]), ("description", ["Bache"]),
            ("email", ["a@example.org"]), ("first_name", ["Ana"]), ("last_name", ["Pérez"]),
            ("phone", ["7000-0000"]), ("device_id", ["d1"]), ("account_id", ["7"]),
            ("media_url", ["https://example.org/x.jpg"]), ("attribute[falla]", ["dia"]))}
    if not fields:  # an action without a page: the names such forms use
        fields = {name: {"kind": "text", "options": []} for name in
                  ("rule", "count", "batch", "reason", "state", "status", "note", "k", "p", "action", "step",
                   "service_code", "description", "lat", "long", "email", "timeout", "role", "publicar")}

    names = [n for n, spec in fields.items() if spec["kind"] not in ("submit", "file") and n != "csrf_token"]

    @EXAMPLES
    @given(st.data())
    def post(data):
        """Either one field hostile and the rest plausible (to reach the services behind
        the form), or every field drawn from both."""
        target = data.draw(st.sampled_from(names + ["*"]), label="hostile field") if names else "*"
        body = {}
        for name in names:
            if target in (name, "*"):
                pool = HOSTILE if target == name else HOSTILE + _plausible(fields[name])
            else:
                pool = _plausible(fields[name])
            body[name] = data.draw(st.sampled_from(pool), label=name)
        _post_and_show(client, url, {**body, **fixed})

    post()
    for name in names:  # and every number and date field, deterministically, past each bound
        for value in SWEEP.get(fields[name]["kind"], ()):
            body = {other: _plausible(fields[other])[0] for other in names}
            _post_and_show(client, url, {**body, name: value, **fixed})


SWEEP = {"number": ("1e400", "NaN", "99999999999999999999", "-1e400"),
         "date": ("9999-12-31", "0001-01-01"), "datetime-local": ("9999-12-31T00:00", "0001-01-01T00:00")}


def _post_and_show(client, url, body):
    """Post; then, if the portal stored it and moved on, show where it went."""
    response = client.post(url, data=body)
    assert response.status_code < 500, (url, body, response.get_data(as_text=True)[:800])
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303) and location.startswith("/"):
        shown = client.get(location)
        assert shown.status_code < 500, (location, body)


def _plausible(spec) -> list:
    """Values the field would take from a person: its options, what the page put in it,
    or a typical value for its kind."""
    if spec["options"]:
        return list(spec["options"])
    typical = {"number": "3", "date": "2026-01-31", "email": "persona@example.org", "url": "https://example.org/a",
               "password": "correct horse battery 2", "tel": "7000-0000"}.get(spec["kind"], "Texto de prueba")
    return [v for v in (spec.get("value"), typical) if v]
