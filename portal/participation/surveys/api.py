"""Read API: published surveys and their results (decimals as exact strings)."""
from flask import abort, g, jsonify

from portal.accounts.permissions import public
from portal.core.api import api_blueprint, dec, wants_csv
from portal.core.downloads import csv_response
from portal.participation.surveys import results, services

api = api_blueprint("surveys_api", __name__, "/surveys")


def _survey_json(survey, today):
    return {
        "id": survey.id, "title": survey.title, "purpose": survey.purpose,
        "opens_on": survey.opens_on.isoformat(), "closes_on": survey.close_date.isoformat(),
        "audience": survey.audience, "results_mode": survey.results_mode,
        "state": "open" if survey.is_open(today) else ("closed" if survey.is_closed(today) else "upcoming"),
        "results_available": survey.results_public(today), "is_example": survey.is_example,
        "results_url": results.results_path(g.municipality, survey),
    }


def _summary_json(summary):
    if summary is None:
        return {"mean": None, "ci_low": None, "ci_high": None}
    low, high = results.interval(summary)
    return {"mean": dec(summary.mean), "ci_low": dec(low) if low != "" else None,
            "ci_high": dec(high) if high != "" else None}


@api.route("")
@public
def surveys():
    """Published surveys of the municipality, with their state and whether results are public.

    :query format: ``csv`` for a CSV download
    """
    today = services.today()
    items = [_survey_json(s, today) for s in services.public_surveys(g.municipality)]
    if wants_csv():
        columns = ["id", "title", "opens_on", "closes_on", "audience", "results_mode", "state",
                   "results_available", "is_example", "results_url"]
        return csv_response(items, columns, f"encuestas-{g.municipality.slug}.csv")
    return jsonify({"items": items})


@api.route("/<int:survey_id>/results")
@public
def survey_results(survey_id):
    """A survey's results: per question n, counts, shares, and the mean with its 95 % interval
    (decimal strings; null with fewer than two answers or when they are all equal); per service
    for a matrix; moderated texts. 404 until results are public. Below ``min_count`` responses
    (setting ``SURVEY_MIN_COUNT``, 5) ``withheld`` is true and ``questions`` is empty."""
    today = services.today()
    survey = services.get_survey(g.municipality, survey_id)
    if survey is None or not survey.results_public(today):
        abort(404)
    outcome = results.survey_results(g.municipality, survey)
    questions = []
    for r in outcome.questions:
        q = r.question
        item = {"code": q.code, "text": q.text, "kind": q.kind, "n": r.n,
                "counts": {s.value: s.count for s in r.shares},
                "shares": {s.value: dec(s.share) for s in r.shares}}
        item.update(_summary_json(r.summary))
        if r.matrix is not None:
            item["n"] = r.matrix.overall.n
            item["rows"] = [dict(service=row, n=s.n, not_used=not_used, **_summary_json(s))
                            for row, s, not_used in r.matrix.rows]
        if q.kind in ("short_text", "long_text"):
            item["texts"] = r.texts
        questions.append(item)
    return jsonify({"survey": _survey_json(survey, today), "responses": outcome.responses,
                    "paper": outcome.paper, "example": outcome.example, "min_count": outcome.min_count,
                    "withheld": outcome.withheld, "questions": questions})
