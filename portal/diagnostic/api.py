"""Read API: ``GET /api/v1/municipalities/<slug>/diagnostic`` (JSON, or ``?format=csv``).

The latest published assessment, or the one ``?assessment=`` names (an id or a
YYYY-MM-DD date): every area, sub-area, indicator, dimension and composite with its
code, name, weight, score (an exact decimal string or null) and band, plus the list of
published assessments. The figures are the pure roll-up's, unrounded.
"""
from flask import abort, g, jsonify, request

from portal.accounts.permissions import public
from portal.core.api import api_blueprint, dec, wants_csv
from portal.core.downloads import csv_response
from portal.diagnostic import services

bp = api_blueprint("diagnostic_api", __name__)

CSV_COLUMNS = ["level", "code", "name", "parent", "weight", "score", "band", "state", "not_reported"]


def _node(result, kind, code, name, weight, parent=None, **extra):
    node = result.node(kind, code)
    score = node.score if node is not None else None
    row = {"code": code, "name": name, "weight": dec(weight), "score": dec(score), "band": result.band(score)}
    if node is not None and kind not in ("composites",):
        row["not_reported"] = node.not_reported
        row["not_applicable"] = node.not_applicable
    if parent is not None:
        row["parent"] = parent
    row.update(extra)
    return row


def document(result, results) -> dict:
    """The API document of one result (also used by tests against the pure roll-up)."""
    catalog = result.catalog
    areas, subareas, indicators = [], [], []
    for area in catalog.areas:
        areas.append(_node(result, "areas", area.code, area.name, area.weight))
        for sub in area.subareas:
            subareas.append(_node(result, "subareas", sub.code, sub.name, sub.weight, parent=area.code))
            for ind in sub.indicators:
                score = result.scores.get(ind.code)
                indicators.append(_node(
                    result, "indicators", ind.code, ind.name, ind.weight, parent=sub.code,
                    state=score.state if score is not None else "nr",
                    dimensions=[{"code": t.dimension.code, "weight": dec(t.weight)} for t in ind.tags],
                    raw_value=dec(score.raw_value) if score is not None else None,
                    source=ind.source_key or None))
    dimensions = [_node(result, "dimensions", d.code, d.name, 1) for d in catalog.dimensions]
    composites = [_node(result, "composites", c.code, c.name, 1, axis=c.axis,
                        dimensions=[{"code": p.dimension.code, "weight": dec(p.weight)} for p in c.parts])
                  for c in catalog.composites]
    a = result.assessment
    return {
        "municipality": g.municipality.slug,
        "assessment": {"id": a.id, "date": a.date.isoformat(), "title": a.title, "verified": a.is_verified,
                       "catalog": catalog.name, "catalog_version": catalog.version,
                       "previous": result.previous.assessment.id if result.previous else None,
                       "conclusions": a.conclusions, "next_steps": a.next_steps},
        "bands": {"cutoffs": [dec(c) for c in catalog.cutoffs], "labels": catalog.band_labels},
        "composites": composites, "dimensions": dimensions, "areas": areas, "subareas": subareas,
        "indicators": indicators,
        "assessments": [{"id": r.assessment.id, "date": r.assessment.date.isoformat(),
                         "verified": r.assessment.is_verified, "catalog_version": r.catalog.version}
                        for r in results],
    }


def csv_rows(doc):
    for level in ("composites", "dimensions", "areas", "subareas", "indicators"):
        for row in doc[level]:
            yield {"level": level[:-1] if level != "subareas" else "subarea", "code": row["code"],
                   "name": row["name"], "parent": row.get("parent", ""), "weight": row["weight"],
                   "score": row["score"], "band": row["band"], "state": row.get("state", ""),
                   "not_reported": row.get("not_reported", "")}


@bp.route("/diagnostic")
@public
def diagnostic():
    """The published diagnostic: areas, sub-areas and indicators with their scores.

    :query assessment: an assessment's id or date (YYYY-MM-DD); the latest by default
    :query format: csv for a CSV download
    """
    results = services.published_results(g.municipality)
    result = services.pick(results, request.args.get("assessment"))
    if result is None:
        abort(404)
    doc = document(result, results)
    if wants_csv():
        return csv_response(list(csv_rows(doc)), CSV_COLUMNS,
                            f"diagnostico-{g.municipality.slug}-{result.assessment.date.isoformat()}.csv")
    return jsonify(doc)
