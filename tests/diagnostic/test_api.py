"""The API returns exactly what the pure roll-up computes."""
import csv
import io
from decimal import Decimal as D

from portal.core.api import dec
from portal.diagnostic import scoring, services


def _pure(result):
    """Recompute the roll-up from plain inputs, independent of the service helper."""
    areas = []
    for a in result.catalog.areas:
        subs = []
        for s in a.subareas:
            inds = []
            for i in s.indicators:
                sc = result.scores.get(i.code)
                state = sc.state if sc else scoring.NR
                inds.append(scoring.IndicatorInput(i.code, state, sc.value if state == scoring.SCORED else None,
                                                   i.weight, tuple((t.dimension.code, t.weight) for t in i.tags)))
            subs.append(scoring.SubAreaInput(s.code, tuple(inds), s.weight))
        areas.append(scoring.AreaInput(a.code, tuple(subs), a.weight))
    comps = [scoring.CompositeInput(c.code, tuple((p.dimension.code, p.weight) for p in c.parts))
             for c in result.catalog.composites]
    return scoring.roll_up(areas, [d.code for d in result.catalog.dimensions], comps)


def test_api_equals_pure_roll_up(client, muni):
    results = services.published_results(muni)
    for result in results:
        body = client.get(f"/api/v1/municipalities/intipuca/diagnostic?assessment={result.assessment.id}").get_json()
        pure = _pure(result)
        assert body["assessment"]["date"] == result.assessment.date.isoformat()
        for level in ("areas", "subareas", "indicators", "dimensions", "composites"):
            expected = {code: dec(node.score) for code, node in getattr(pure, level).items()}
            assert {row["code"]: row["score"] for row in body[level]} == expected, level
            for row in body[level]:
                score = getattr(pure, level)[row["code"]].score
                assert row["band"] == scoring.band_for(score)
        assert [a["date"] for a in body["assessments"]] == ["2012-01-15", "2013-04-15"]


def test_api_latest_by_default_and_by_date(client):
    latest = client.get("/api/v1/municipalities/intipuca/diagnostic").get_json()
    assert latest["assessment"]["date"] == "2013-04-15"
    composites = {c["code"]: c["score"] for c in latest["composites"]}
    assert composites == {"desempeno-operativo": "80", "vision-largo-plazo": "70"}
    first = client.get("/api/v1/municipalities/intipuca/diagnostic?assessment=2012-01-15").get_json()
    gf = next(a for a in first["areas"] if a["code"] == "gestion-financiera")
    assert D(gf["score"]).quantize(D("0.01")) == D("54.26") and gf["band"] == "medio" and gf["weight"] == "1"
    ac07 = next(i for i in first["indicators"] if i["code"] == "ac07")
    assert ac07["score"] is None and ac07["state"] == "nr" and ac07["source"] == "surveys.services_satisfaction"
    assert client.get("/api/v1/municipalities/intipuca/diagnostic?assessment=nope").status_code == 404


def test_api_csv(client):
    response = client.get("/api/v1/municipalities/intipuca/diagnostic?assessment=2012-01-15&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    gf14 = next(r for r in rows if r["code"] == "gf14")
    assert gf14["level"] == "indicator" and gf14["score"] == "20" and gf14["parent"].startswith("contabilidad")
    assert {r["level"] for r in rows} == {"composite", "dimension", "area", "subarea", "indicator"}


def test_drafts_are_not_in_the_api(client, db, muni):
    catalog = services.adopted_catalog(muni)
    from datetime import date

    services.create_assessment(muni, catalog, date(2014, 1, 1))
    body = client.get("/api/v1/municipalities/intipuca/diagnostic").get_json()
    assert body["assessment"]["date"] == "2013-04-15" and len(body["assessments"]) == 2
