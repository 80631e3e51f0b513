"""Every page of the portal, for tests that look at all of them (layout at 320 px,
accessibility, stale form tokens, screenshots).

:func:`pages` walks the URL map and yields one :class:`Page` per GET route whose
arguments Intipucá's demo can fill, with the role to visit it as: ``"anonymous"`` for a
public page, ``"staff"`` for any other (a platform administrator holding every role of
the municipality: :func:`make_staff` creates one). Downloads, feeds, APIs and one-time
token links are left out: they are not pages a person reads (the API's reference page,
``/api/v1/docs``, is one and stays in).
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

NOT_HTML = (".csv", ".xlsx", ".atom", ".json", ".pb", ".js", ".webmanifest", ".xml", ".ics")
SKIP_PREFIXES = ("/api/", "/open311/", "/files/", "/lang/", "/healthz", "/static/")
READ_BY_PEOPLE = {"opendata.api_docs"}  # pages under a skipped prefix (the API's reference page)
ROLES = ("admin", "editor", "publisher", "moderator", "verifier")
STAFF_PASSWORD = "una frase larga de prueba"


@dataclass(frozen=True)
class Page:
    url: str
    role: str  # "anonymous" or "staff"
    endpoint: str
    accepts_post: bool


def _first(model, *where, column=None):
    from portal.extensions import db

    return db.session.execute(select(column if column is not None else model.id).where(*where)
                              .order_by(model.id).limit(1)).scalar()


def demo_values() -> dict:
    """Ids and codes from Intipucá's demo data, by URL argument (and by endpoint for codes)."""
    from portal.audit.models import ChangeRecord
    from portal.diagnostic.models import Area, Assessment, Indicator, SubArea
    from portal.finance.models import BudgetYear, Scenario
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting.models import BudgetProcess, BudgetProject
    from portal.opendata.datasets import all_datasets
    from portal.participation.complaints.models import Report
    from portal.participation.surveys.models import Survey
    from portal.roadmap.models import Activity, Goal, Plan

    muni = get_by_slug("intipuca")
    process = _first(BudgetProcess, BudgetProcess.municipality_id == muni.id, BudgetProcess.status == "published")
    plan = _first(Plan, Plan.municipality_id == muni.id, Plan.status == "published")
    survey, today = (Survey.municipality_id == muni.id, Survey.status == "published"), date.today()
    return {
        "slug": "intipuca",
        "survey_id": _first(Survey, *survey, Survey.closed_at.is_(None), Survey.opens_on <= today,
                            Survey.closes_on >= today) or _first(Survey, *survey),  # an open one first
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
        "entry_id": _first(ChangeRecord, ChangeRecord.municipality_id == muni.id),
        "assessment_id": _first(Assessment, Assessment.municipality_id == muni.id),
        "diagnostic_staff.entry": _first(SubArea, column=SubArea.code),
        "report_id": _first(Report, Report.municipality_id == muni.id),
        "key": all_datasets()[0].key,
    }


def budget_year_pages(app) -> list[tuple[str, str]]:
    """Intipucá's page for every published budget year (their tables differ in width)."""
    from portal.extensions import db
    from portal.finance.models import BudgetYear
    from portal.municipalities.services import get_by_slug

    with app.app_context():
        muni = get_by_slug("intipuca")
        years = db.session.scalars(select(BudgetYear.year).where(
            BudgetYear.municipality_id == muni.id, BudgetYear.status == "published")).all()
    return [(f"/m/intipuca/finanzas/presupuesto/{year}", "anonymous") for year in sorted(years)]


def dataset_pages() -> list[tuple[str, str]]:
    """Intipucá's page for every open dataset (their columns and descriptions differ)."""
    from portal.opendata.datasets import DATASETS

    return [(f"/m/intipuca/datos/{dataset.key}", "anonymous") for dataset in DATASETS]


def pages(app, access: tuple[str, ...] = ("public", "roles", "platform_admin", "signed_in"), extra=()):
    """Every HTML GET route whose view's access starts with one of ``access``, as Pages
    (sorted by URL); ``extra`` adds ``(url, role)`` pairs the URL map cannot name (e.g.
    pages for other demo years)."""
    from flask import url_for

    with app.app_context():
        values = demo_values()
    found = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            level = str(getattr(view, "access", ""))
            if "GET" not in rule.methods or not level.startswith(access):
                continue
            skipped = rule.rule.startswith(SKIP_PREFIXES) and rule.endpoint not in READ_BY_PEOPLE
            if skipped or rule.rule.endswith(NOT_HTML) or "<token>" in rule.rule:
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
                    role = "anonymous" if level == "public" else "staff"
                    found[url] = Page(url, role, rule.endpoint, "POST" in rule.methods)
    for url, role in extra:
        found.setdefault(url, Page(url, role, "", False))
    return sorted(found.values(), key=lambda page: page.url)


def make_staff(app, email: str):
    """A confirmed platform administrator holding every role in Intipucá (committed)."""
    from portal.accounts import services
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    with app.app_context():
        user = services.create_user(email, STAFF_PASSWORD, confirmed=True, platform_admin=True)
        for role in ROLES:
            services.grant(user, get_by_slug("intipuca"), role)
        db.session.commit()
        return user.id


def sign_in(page, base_url: str, email: str) -> None:
    """Signs ``email`` in through the form (Spanish labels: the default language)."""
    page.goto(f"{base_url}/cuenta/entrar")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state("load")
