"""axe-core (WCAG 2.1 A and AA) in Chromium at a phone's width on EVERY public HTML page
of the portal (each route, its ids taken from the demo) and on every staff page of a
municipality, signed in as a staff member holding every role."""
import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
NOT_HTML = (".csv", ".xlsx", ".atom", ".json", ".pb", ".js", ".webmanifest", ".xml", ".ics")
SKIP_PREFIXES = ("/api/", "/open311/", "/files/", "/lang/", "/healthz", "/static/")
PASSWORD = "una frase larga de prueba"
ROLES = ("admin", "editor", "publisher", "moderator", "verifier")


def _first(model, *where, column=None):
    from sqlalchemy import select

    from portal.extensions import db

    return db.session.execute(select(column if column is not None else model.id).where(*where)
                              .order_by(model.id).limit(1)).scalar()


def demo_values() -> dict:
    """Ids and codes from Intipucá's demo data, by URL argument (and by endpoint for codes)."""
    from portal.diagnostic.models import Area, Indicator, SubArea
    from portal.finance.models import BudgetYear, Scenario
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting.models import BudgetProcess, BudgetProject
    from portal.participation.complaints.models import Report
    from portal.participation.surveys.models import Survey
    from portal.roadmap.models import Activity, Goal, Plan

    muni = get_by_slug("intipuca")
    process = _first(BudgetProcess, BudgetProcess.municipality_id == muni.id, BudgetProcess.status == "published")
    plan = _first(Plan, Plan.municipality_id == muni.id, Plan.status == "published")
    return {
        "slug": "intipuca",
        "survey_id": _first(Survey, Survey.municipality_id == muni.id, Survey.status == "published"),
        "process_id": process,
        "project_id": _first(BudgetProject, BudgetProject.process_id == process),
        "plan_id": plan,
        "activity_id": _first(Activity, Activity.plan_id == plan),
        "goal_id": _first(Goal, Goal.plan_id == plan),
        "scenario_id": _first(Scenario, Scenario.municipality_id == muni.id, Scenario.status == "published"),
        "year": _first(BudgetYear, BudgetYear.municipality_id == muni.id, BudgetYear.status == "published",
                       column=BudgetYear.year),
        "seq": 1,
        "diagnostic.area": _first(Area, column=Area.code),
        "diagnostic.subarea": _first(SubArea, column=SubArea.code),
        "diagnostic.indicator": _first(Indicator, column=Indicator.code),
        "complaints.track": _first(Report, Report.municipality_id == muni.id, Report.hidden.is_(False),
                                   column=Report.code),
        "finance.indicator": "autonomia_financiera",
    }


def html_pages(app, access) -> list[str]:
    """Every GET route with ``access`` whose arguments the demo can fill, as URLs."""
    from flask import url_for

    with app.app_context():
        values = demo_values()
    pages = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            if "GET" not in rule.methods or not str(getattr(view, "access", "")).startswith(access):
                continue
            if rule.rule.startswith(SKIP_PREFIXES) or rule.rule.endswith(NOT_HTML) or "<token>" in rule.rule:
                continue
            args = {}
            for name in rule.arguments - set(rule.defaults or {}):
                value = values.get(rule.endpoint) if name == "code" else values.get(name)
                if value is None:
                    break
                args[name] = value
            else:
                url = url_for(rule.endpoint, **args)
                if not url.endswith(NOT_HTML):
                    pages.append(url)
    return sorted(set(pages))


def audit(page, url):
    response = page.goto(url)
    if "text/html" not in response.headers.get("content-type", ""):
        return response.status, []  # e.g. a token in plain text: not a page
    page.evaluate(AXE.read_text())
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return response.status, violations


@pytest.fixture
def audit_page(browser):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci` (make test does it)")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-SV", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_every_public_page_has_no_axe_violations(audit_page, live_app, live_server):
    pages = html_pages(live_app, "public")
    assert len(pages) >= 40, pages
    failures = {}
    for path in pages:
        status, violations = audit(audit_page, live_server + path)
        if violations or status >= 500:
            failures[path] = (status, violations)
    assert not failures, failures


def test_every_staff_page_has_no_axe_violations(audit_page, live_app, live_server):
    from portal.accounts import services
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    email = f"axe-staff-{os.getpid()}-{time.time_ns()}@example.org"
    with live_app.app_context():
        user = services.create_user(email, PASSWORD, confirmed=True, platform_admin=True)
        for role in ROLES:
            services.grant(user, get_by_slug("intipuca"), role)
        db.session.commit()
    pages = [p for p in html_pages(live_app, "roles") + html_pages(live_app, "platform_admin")
             + html_pages(live_app, "signed_in")]
    assert len(pages) >= 20, pages
    audit_page.goto(f"{live_server}/cuenta/entrar")
    audit_page.get_by_label("Correo electrónico").fill(email)
    audit_page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    audit_page.get_by_role("button", name="Entrar").click()
    expect(audit_page.locator("main")).to_contain_text("Sesión iniciada")
    failures = {}
    for path in pages:
        status, violations = audit(audit_page, live_server + path)
        if violations or status >= 500:
            failures[path] = (status, violations)
    assert not failures, failures
