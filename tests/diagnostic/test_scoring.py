"""The pure roll-up, rules and bands (table-driven)."""
from decimal import Decimal as D

import pytest

from portal.diagnostic import scoring
from portal.diagnostic.scoring import NA, NR, SCORED, AreaInput, CompositeInput, IndicatorInput, SubAreaInput


def ind(code, state=SCORED, score=None, weight=1, dims=()):
    return IndicatorInput(code, state, D(score) if score is not None else None, D(weight),
                          tuple((c, D(w)) for c, w in dims))


@pytest.mark.parametrize("pairs, expected", [
    ([(D(50), D(1)), (D(100), D(1))], D(75)),
    ([(D(50), D(1)), (D(100), D(3))], D("87.5")),
    ([(None, D(1)), (D(40), D(2))], D(40)),
    ([(D(40), D(0)), (D(60), D(1))], D(60)),
    ([], None),
    ([(None, D(1))], None),
])
def test_weighted_mean(pairs, expected):
    assert scoring.weighted_mean(pairs) == expected


# The published Contabilidad y Registro de la Información example: a plain mean gives
# 47.78, the published 45.00 needs gf11 weighted 2.
CONTABILIDAD = [("gf02", 70, 1), ("gf05", 40, 1), ("gf06", 60, 1), ("gf08", 100, 1), ("gf09", 60, 1),
                ("gf11", 20, 2), ("gf12", 0, 1), ("gf13", 60, 1), ("gf14", 20, 1)]


@pytest.mark.parametrize("indicators, expected, not_reported", [
    ([ind("a", score=50), ind("b", score=100)], D(75), 0),
    ([ind("a", score=50, weight=3), ind("b", score=100)], D("62.5"), 0),
    ([ind("a", score=50), ind("b", NA)], D(50), 0),  # no aplica is left out, not 0
    ([ind("a", score=50), ind("b", NR)], D(50), 1),  # no reportado is left out and counted
    ([ind("a", NA), ind("b", NR)], None, 1),  # nothing scored: no score
    ([ind(c, score=s, weight=w) for c, s, w in CONTABILIDAD], D(45), 0),
])
def test_subarea_roll_up(indicators, expected, not_reported):
    rollup = scoring.roll_up([AreaInput("A", (SubAreaInput("S", tuple(indicators)),))])
    assert rollup.subareas["S"].score == expected
    assert rollup.subareas["S"].not_reported == not_reported
    assert rollup.areas["A"].score == expected


def test_area_weights_empty_branches_and_counts():
    areas = [AreaInput("A", (
        SubAreaInput("s1", (ind("a", score=40),), D(4)),
        SubAreaInput("s2", (ind("b", score=100),), D(1)),
        SubAreaInput("s3", (ind("c", NR), ind("d", NA)), D(5)),  # empty: left out of the area
    ))]
    rollup = scoring.roll_up(areas)
    assert rollup.subareas["s3"].score is None
    assert rollup.areas["A"].score == D(52)  # (40*4 + 100*1) / 5
    assert (rollup.areas["A"].scored, rollup.areas["A"].not_applicable, rollup.areas["A"].not_reported) == (2, 1, 1)


def test_dimensions_and_composites():
    areas = [AreaInput("A", (SubAreaInput("s", (
        ind("a", score=60, dims=[("ef", 1)]),
        ind("b", score=90, dims=[("ef", 2), ("tr", 1)]),
        ind("c", NA, dims=[("tr", 1)]),
        ind("d", score=30, dims=[("tr", 1)]),
    )),))]
    composites = [CompositeInput("x", (("ef", D(1)), ("fe", D(1)))), CompositeInput("y", (("tr", D(1)),))]
    rollup = scoring.roll_up(areas, ["ef", "fe", "tr", "sos"], composites)
    assert rollup.dimensions["ef"].score == D(80)  # (60 + 2*90) / 3
    assert rollup.dimensions["tr"].score == D(60)  # (90 + 30) / 2, c left out
    assert rollup.dimensions["fe"].score is None and rollup.dimensions["sos"].score is None
    assert rollup.composites["x"].score == D(80)  # only ef has a score
    assert rollup.composites["y"].score == D(60)


def test_scores_stay_exact():
    areas = [AreaInput("A", (SubAreaInput("s", (ind("a", score=100), ind("b", score=40), ind("c", score=18))),))]
    score = scoring.roll_up(areas).areas["A"].score
    assert isinstance(score, D) and score == D(158) / D(3)


@pytest.mark.parametrize("score, cutoffs, expected", [
    (D(80), scoring.DEFAULT_CUTOFFS, "alto"), (D("79.99"), scoring.DEFAULT_CUTOFFS, "medio-alto"),
    (D(60), scoring.DEFAULT_CUTOFFS, "medio-alto"), (D(40), scoring.DEFAULT_CUTOFFS, "medio"),
    (D("39.9"), scoring.DEFAULT_CUTOFFS, "bajo"), (None, scoring.DEFAULT_CUTOFFS, None),
    (D(75), (D(75), D(50), D(25)), "alto"),
])
def test_bands(score, cutoffs, expected):
    assert scoring.band_for(score, cutoffs) == expected


@pytest.mark.parametrize("kind, value, zero, full, bands, expected", [
    ("linear", D("0.6"), D("0.3"), D("0.9"), (), D(50)),
    ("linear", D("0.1"), D("0.3"), D("0.9"), (), D(0)),  # clamped
    ("linear", D("1.0"), D("0.3"), D("0.9"), (), D(100)),
    ("linear", D(10), D(30), D(5), (), D(80)),  # lower is better
    ("linear", None, D(0), D(1), (), None),
    ("bands", D("0.7"), None, None, ((D("0.5"), D(50)), (D("0.8"), D(100))), D(50)),
    ("bands", D("0.9"), None, None, ((D("0.5"), D(50)), (D("0.8"), D(100))), D(100)),
    ("bands", D("0.2"), None, None, ((D("0.5"), D(50)), (D("0.8"), D(100))), D(0)),
    ("bands-desc", D(3), None, None, ((D(5), D(100)), (D(10), D(50))), D(100)),
    ("bands-desc", D(7), None, None, ((D(5), D(100)), (D(10), D(50))), D(50)),
])
def test_rules(kind, value, zero, full, bands, expected):
    assert scoring.apply_rule(kind, value, zero, full, bands) == expected


def test_rule_errors_and_bands_parsing():
    with pytest.raises(ValueError):
        scoring.linear_score(D(1), D(2), D(2))
    with pytest.raises(ValueError):
        scoring.parse_bands("0.5-50")
    assert scoring.parse_bands("0.5:50; 0.8:100") == ((D("0.5"), D(50)), (D("0.8"), D(100)))


@pytest.mark.parametrize("items, expected", [
    ([(D(1), True), (D(1), False)], D(50)), ([(D(3), True), (D(1), False)], D(75)), ([], None),
])
def test_checklist(items, expected):
    assert scoring.checklist_score(items) == expected
