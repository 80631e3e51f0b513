"""Row sources of the open datasets: each takes the municipality and yields plain dicts
keyed by the English column names of :mod:`portal.opendata.datasets`.

They read through each domain's ``services`` (published data only) and reuse the
domain's own export code where one exists, so a download shows the same figures as the
page and the domain's API. Large tables (budget lines, ballots, survey answers,
complaints) are read with ``yield_per`` so that memory stays flat however many rows.
"""
from datetime import date

from flask import url_for
from sqlalchemy import select

from portal.core.publication import PUBLISHED
from portal.extensions import db

BATCH = 500


def _stream(stmt, scalars: bool = False):
    """Rows of a ``yield_per`` statement; the (server-side, on PostgreSQL) cursor is closed
    as soon as the reader stops, e.g. when a JSON page has its rows."""
    result = db.session.execute(stmt)
    try:
        yield from (result.scalars() if scalars else result)
    finally:
        result.close()

# Budget phases: the portal's phase -> (Fiscal Data Package phase, local name for revenue, for expenditure).
PHASES = (
    ("approved", "approved", "presupuestado", "presupuestado"),
    ("modified", "adjusted", "modificado", "modificado"),
    ("accrued", "executed", "devengado", "devengado"),
    ("cash", "executed", "percibido", "pagado"),
)
DIRECTIONS = {"income": "revenue", "expense": "expenditure"}


def budget_lines(municipality):
    """Long format: one row per year, line and phase with an amount (empty phases are left out)."""
    from portal.finance import classifier as classifiers
    from portal.finance import services as finance
    from portal.finance.models import BudgetLine, BudgetYear

    cls = finance.classifier_for(municipality)
    stmt = (select(BudgetYear.year, BudgetLine.code, BudgetLine.name, BudgetLine.approved, BudgetLine.modified,
                   BudgetLine.accrued, BudgetLine.cash)
            .join(BudgetYear, BudgetYear.id == BudgetLine.budget_year_id)
            .where(BudgetLine.municipality_id == municipality.id, BudgetYear.status == PUBLISHED)
            .order_by(BudgetYear.year, BudgetLine.id).execution_options(yield_per=BATCH))
    for year, code, name, *amounts in _stream(stmt):
        rubro = classifiers.rubro_of(code)
        entry = cls.get(rubro)
        kind = entry.kind if entry else ""
        for (phase, fdp_phase, revenue_name, expense_name), amount in zip(PHASES, amounts):
            if amount is None:
                continue
            yield {"year": year, "direction": DIRECTIONS.get(kind, ""), "phase": fdp_phase,
                   "local_phase": expense_name if kind == "expense" else revenue_name, "phase_code": phase,
                   "code": code, "name": name, "rubro": rubro, "amount": _cents(amount),
                   "currency": municipality.currency}


def _cents(value):
    from portal.finance.projections import cents

    return cents(value)


def financial_indicators(municipality):
    """Every indicator for every year with figures (actual series, not scenarios)."""
    from portal.finance import reports
    from portal.finance import services as finance

    rows = finance.budget_years(municipality)
    if not rows:
        return
    the_series = finance.series(municipality, rows=rows)
    definitions = finance.catalog(municipality)
    for year in the_series.years:
        for result in finance.indicators(municipality, year, the_series=the_series, definitions=definitions):
            item = reports.result_dict(result)
            yield {**{key: item[key] for key in ("year", "code", "name", "value", "unit", "threshold", "direction",
                                                 "status", "reason", "formula")}, "_display": item["display"]}


def indicator_file_row(row: dict) -> dict:
    """A financial indicator row as the CSV/XLSX files write it: value and threshold
    rounded to the places the indicator is shown with (the JSON API keeps them exact)."""
    from portal.finance.ratios import rounded

    display = row.get("_display", "")
    return {**row, "value": rounded(row.get("value"), display), "threshold": rounded(row.get("threshold"), display)}


def diagnostic_scores(municipality):
    """Every published assessment: composites, dimensions, areas, sub-areas and indicators."""
    from portal.diagnostic import api as diagnostic_api
    from portal.diagnostic import services as diagnostic

    results = diagnostic.published_results(municipality)
    for result in results:
        doc = diagnostic_api.document(result, results)
        assessment = doc["assessment"]
        for row in diagnostic_api._csv_rows(doc):
            yield {"assessment_date": assessment["date"], "verified": assessment["verified"],
                   "catalog_version": assessment["catalog_version"], **row}


def roadmap_activities(municipality):
    """Every activity of every published plan, with its progress and timeliness today."""
    from portal.core.api import dec
    from portal.roadmap import importer
    from portal.roadmap import services as roadmap

    today = date.today()
    for item in roadmap.list_plans(municipality):
        plan = item["plan"]
        view = roadmap.plan_view(municipality, plan, today)
        for a in view.activities:
            yield {"plan_id": plan.id, "plan": plan.title, "activity_id": a.id, "number": a.number,
                   "parent_id": a.parent_id, "horizon": view.horizons.get(a.horizon_id),
                   "action": view.actions.get(a.action_id), "area": a.area, "title": a.title,
                   "start": a.starts_on, "end": a.ends_on, "period": importer.period_text(a),
                   "responsible": a.responsible, "cost": dec(a.cost), "currency": a.currency,
                   "funding_source": a.funding_source.name if a.funding_source else None,
                   "status": a.state, "done": a.done, "progress": dec(view.progress.get(a.id)),
                   "timeliness": view.timeliness.get(a.id), "actual_cost": dec(a.actual_cost)}


def budgeting_results(municipality):
    """Every published count of every published process: one row per project."""
    from portal.core.api import dec
    from portal.participation.budgeting import services as budgeting

    for process in budgeting.processes(municipality):
        for result in budgeting.results(municipality, process):
            for line in result.lines:
                yield {"process_id": process.id, "process": process.title, "year": process.year,
                       "rule": result.rule, "official": result.rule == process.rule,
                       "project": line.project.ref, "title": line.project.title, "cost": dec(line.project.cost),
                       "district": line.project.district, "votes": line.votes, "score": line.score,
                       "selected": line.selected, "reason_code": line.reason}


def budgeting_ballots(municipality):
    """Anonymized ballots (a running number per process, never the voter): the choices as
    the pabulib ``vote`` column writes them, the channel and the district."""
    from portal.participation.budgeting import services as budgeting

    for process in budgeting.processes(municipality):
        if not budgeting.results(municipality, process):
            continue  # ballots are published with the results
        for number, (choices, channel, district) in enumerate(budgeting.ballots(municipality, process), 1):
            yield {"process_id": process.id, "ballot": number, "choices": choices, "channel": channel,
                   "district": district}


def survey_responses(municipality):
    """Long format, anonymized: one row per answer of every survey whose results are public
    and that has at least ``SURVEY_MIN_COUNT`` responses (the district blank where it has
    fewer). Texts only once approved by a moderator, and only their redacted version."""
    from sqlalchemy.orm import selectinload

    from portal.participation.surveys import results as survey_results
    from portal.participation.surveys import services as surveys
    from portal.participation.surveys.models import SurveyResponse

    today = surveys.today()
    minimum = survey_results.min_count()
    for survey in surveys.public_surveys(municipality):
        if not survey.results_public(today):
            continue
        total, shown = survey_results.publishable_districts(municipality, survey, minimum)
        if total < minimum:
            continue  # too few responses to publish (SURVEY_MIN_COUNT); small districts left blank
        districts = {d.id: d.name for d in municipality.districts if d.id in shown}
        questions = {q.id: q for q in surveys.ordered_questions(survey)}
        stmt = (select(SurveyResponse).where(SurveyResponse.municipality_id == municipality.id,
                                             SurveyResponse.survey_id == survey.id)
                .options(selectinload(SurveyResponse.answers)).order_by(SurveyResponse.id)
                .execution_options(yield_per=BATCH))
        for number, response in enumerate(_stream(stmt, scalars=True), 1):
            base = {"survey_id": survey.id, "response": number, "date": response.created_at.date(),
                    "district": districts.get(response.district_id, ""), "channel": response.channel,
                    "example": response.is_example}
            for answer in sorted(response.answers, key=lambda a: a.id):
                question = questions.get(answer.question_id)
                if question is None:
                    continue
                if question.kind in ("short_text", "long_text"):
                    if answer.moderation != "approved":
                        continue
                    value = answer.redacted
                elif answer.number is not None:
                    value = str(answer.number)
                else:
                    value = "" if question.kind == "matrix" else answer.item
                yield {**base, "question": question.code, "kind": question.kind,
                       "item": answer.item if question.kind in ("matrix", "single", "multiple") else "",
                       "value": value}


def complaints(municipality, offset: int = 0):
    """Anonymized reports: no name, e-mail, phone, tracking code, coordinates, address or
    free text (which may name people); hidden reports are left out. ``offset`` skips rows
    in the database (the API's pages of a million complaints)."""
    from portal.participation.complaints import staff

    keep = ("id", "created_at", "category_code", "category", "district", "neighbourhood", "status",
            "closed_at", "days_to_resolve", "service_days", "overdue", "supports", "reopen_count",
            "confirmation", "channel")
    for row in staff.export_rows(municipality, staff.InboxFilters(), visible_only=True, offset=offset):
        out = {key: row[key] for key in keep}
        out["created_at"] = row["created_at"].date()
        out["closed_at"] = row["closed_at"].date() if row["closed_at"] else None
        yield out


def page_url(endpoint: str, **values) -> str | None:
    try:
        return url_for(endpoint, _external=True, **values)
    except Exception:  # a domain that is not installed
        return None
