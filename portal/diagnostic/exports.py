"""What the diagnostic publishes to the rest of the portal: the rows of its open dataset
and its value for the comparisons."""
from datetime import date

from flask import url_for

from portal.core.registry import Collected
from portal.diagnostic import api, scoring, services


def scores(municipality):
    """Every published assessment: composites, dimensions, areas, sub-areas and indicators
    (the rows of the API's CSV, with the assessment's date, verification and catalog)."""
    results = services.published_results(municipality)
    for result in results:
        doc = api.document(result, results)
        assessment = doc["assessment"]
        for row in api.csv_rows(doc):
            yield {"assessment_date": assessment["date"], "verified": assessment["verified"],
                   "catalog_version": assessment["catalog_version"], **row}


def comparison_values(municipality, today: date, metrics) -> dict:
    """The area-weighted mean score of the latest published assessment and the one before."""
    results = services.published_results(municipality)

    def overall(result):
        return scoring.weighted_mean((result.rollup.areas[a.code].score, a.weight)
                                     for a in result.catalog.areas if a.code in result.rollup.areas)
    scored = [(r, overall(r)) for r in results]
    scored = [(r, v) for r, v in scored if v is not None]
    if not scored:
        return {}
    result, value = scored[-1]
    before = scored[-2] if len(scored) > 1 else (None, None)
    return {"diagnostic.global": Collected(
        result.assessment.date.isoformat(), value,
        before[0].assessment.date.isoformat() if before[0] else "", before[1], result.assessment.date,
        verified=not result.unverified, detail=result.assessment.title or "",
        url=url_for("diagnostic.overview", slug=municipality.slug, assessment=result.assessment.id,
                    _external=False))}
