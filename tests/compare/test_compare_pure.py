"""Pure modules of the comparison: bands, freshness, peer groups, exact least squares, ranking."""
from datetime import date
from decimal import Decimal as D

import pytest

from portal.compare import metrics, peers, ranking, regression

@pytest.mark.parametrize("key,value,band", [
    ("finance.autonomia_financiera", D("0.35"), "alto"), ("finance.autonomia_financiera", D("0.3499"), "medio-alto"),
    ("finance.autonomia_financiera", D("0.15"), "medio"), ("finance.autonomia_financiera", D("0.01"), "bajo"),
    ("finance.gasto_personal", D("0.30"), "alto"), ("finance.gasto_personal", D("0.5"), "medio"),
    ("finance.gasto_personal", D("0.51"), "bajo"), ("diagnostic.global", D(80), "alto"),
    ("finance.autonomia_financiera", None, None),
])
def test_bands_follow_the_better_direction(key, value, band):
    assert metrics.band(metrics.get(key), value) == band


def test_signed_change_is_positive_when_better():
    assert metrics.signed(metrics.get("finance.gasto_personal"), D("-0.1")) == D("0.1")
    assert metrics.signed(metrics.get("finance.autonomia_financiera"), D("-0.1")) == D("-0.1")


def test_freshness_uses_declared_frequency_plus_grace():
    metric = metrics.get("finance.autonomia_financiera")  # 365 days
    assert not metrics.is_stale(metric, date(2024, 12, 31), date(2026, 3, 31))  # 455 days
    assert metrics.is_stale(metric, date(2024, 12, 31), date(2026, 4, 1))  # 456 days
    assert metrics.is_stale(metric, None, date(2026, 1, 1))


@pytest.mark.parametrize("population,band", [(0, "0-5000"), (4999, "0-5000"), (5000, "5000-20000"),
                                             (19999, "5000-20000"), (20000, "20000-100000"),
                                             (100000, "100000+"), (None, None)])
def test_population_bands(population, band):
    assert peers.population_band(population) == band


def test_percentile_ranks_share_ties_and_skip_missing():
    ranks = peers.percentile_ranks({"a": D(1), "b": D(5), "c": D(5), "d": D(9), "e": None})
    assert ranks == {"a": D(0), "b": D("0.5"), "c": D("0.5"), "d": D(1)}
    assert peers.percentile_ranks({"x": D(3)}) == {"x": D("0.5")}


def test_money_is_ranked_within_its_currency_and_poverty_inverted():
    inputs = {"usd-poor": peers.Inputs(own_revenue_pc=D(10), poverty_rate=D("0.6")),
              "usd-rich": peers.Inputs(own_revenue_pc=D(90), poverty_rate=D("0.1")),
              "bob": peers.Inputs(own_revenue_pc=D(500))}
    ranks = peers.input_ranks(inputs, {"usd-poor": "USD", "usd-rich": "USD", "bob": "BOB"})
    assert ranks["usd-poor"] == {"own_revenue_pc": D(0), "poverty_rate": D(0)}
    assert ranks["usd-rich"] == {"own_revenue_pc": D(1), "poverty_rate": D(1)}
    assert ranks["bob"] == {"own_revenue_pc": D("0.5")}  # alone in its currency
    index = peers.capacity_index(ranks)
    assert index == {"usd-poor": D(0), "usd-rich": D(1), "bob": D("0.5")}


@pytest.mark.parametrize("n,groups", [(2, 1), (3, 1), (4, 2), (8, 2), (9, 3), (30, 3)])
def test_capacity_groups_are_quantiles(n, groups):
    index = {i: D(i) / n for i in range(n)}
    index["none"] = None
    result = peers.capacity_groups(index)
    assert result["none"] is None
    assert max(v for v in result.values() if v) == groups
    assert result[0] == 1 and result[n - 1] == groups
    sizes = [sum(1 for v in result.values() if v == g) for g in range(1, groups + 1)]
    assert max(sizes) - min(sizes) <= 1


def test_least_squares_recovers_an_exact_line_and_plane():
    fit = regression.fit(["x"], [[D(0)], [D(1)], [D(2)], [D(3)]], [D(1), D(3), D(5), D(7)])
    assert [round(c, 20) for _, c in fit.terms] == [D(1), D(2)]
    assert fit.r2 == 1
    plane = regression.fit(["a", "b"], [[D(0), D(0)], [D(1), D(0)], [D(0), D(1)], [D(1), D(1)], [D(2), D(1)]],
                           [D(5), D(7), D(2), D(4), D(6)])  # y = 5 + 2a - 3b
    assert plane.predict({"a": D(3), "b": D(2)}).quantize(D("1e-20")) == D(5).quantize(D("1e-20"))
    assert plane.predict({"a": D(3)}) is None


def test_least_squares_matches_a_hand_computed_fit():
    # x = 1,2,3,4; y = 2,3,5,4: slope = 0.8, intercept = 1.5, R² = 0.64
    fit = regression.fit(["x"], [[D(1)], [D(2)], [D(3)], [D(4)]], [D(2), D(3), D(5), D(4)])
    intercept, slope = (c for _, c in fit.terms)
    assert intercept.quantize(D("1e-12")) == D("1.5").quantize(D("1e-12"))
    assert slope.quantize(D("1e-12")) == D("0.8").quantize(D("1e-12"))
    assert fit.r2.quantize(D("1e-12")) == D("0.64").quantize(D("1e-12"))


def test_collinear_inputs_fall_back_to_the_index():
    observations = {k: {"a": D(k), "b": D(2 * k), "capacity_index": D(k) / 10} for k in range(8)}
    ys = {k: D(3 * k + 1) for k in range(8)}
    fit = regression.best_fit(observations, ys, ("a", "b"), "capacity_index")
    assert [name for name, _ in fit.terms] == ["intercepto", "a"]
    with pytest.raises(regression.Singular):
        regression.fit(["a", "b"], [[o["a"], o["b"]] for o in observations.values()], list(ys.values()))
    few = {k: observations[k] for k in range(4)}
    assert [n for n, _ in regression.best_fit(few, {k: ys[k] for k in few}, ("a", "b"), "capacity_index")
            .terms] == ["intercepto", "capacity_index"]
    assert regression.best_fit({1: observations[1]}, {1: D(1)}, ("a",), "capacity_index") is None


def _row(key, group, value, previous=None, ranked=True):
    return ranking.Row(key, key, group, value, previous, ranked=ranked)


def test_positions_are_k_of_n_within_each_group_and_skip_unranked():
    metric = metrics.get("finance.autonomia_financiera")
    rows = ranking.rank(metric, [_row("a", 1, D("0.2")), _row("b", 1, D("0.4")), _row("c", 1, D("0.4")),
                                 _row("d", 2, D("0.1")), _row("e", 1, D("0.9"), ranked=False),
                                 _row("f", 1, None), _row("g", None, D("0.5"))])
    found = {r.key: (r.position, r.group_size) for r in rows}
    assert found == {"a": (3, 3), "b": (1, 3), "c": (1, 3), "d": (1, 1), "e": (None, None), "f": (None, None),
                     "g": (None, None)}
    lower = ranking.rank(metrics.get("finance.gasto_personal"), [_row("a", 1, D("0.2")), _row("b", 1, D("0.4"))])
    assert [r.position for r in lower] == [1, 2]


def test_most_improved_comes_first_in_the_better_direction():
    rows = [_row("small", 1, D("0.30"), D("0.29")), _row("big", 1, D("0.30"), D("0.10")),
            _row("worse", 1, D("0.30"), D("0.40")), _row("new", 1, D("0.5"))]
    assert [r.key for r in ranking.order(metrics.get("finance.autonomia_financiera"), rows)] == \
        ["big", "small", "worse", "new"]
    assert [r.key for r in ranking.order(metrics.get("finance.gasto_personal"), rows)] == \
        ["worse", "small", "big", "new"]
    expected = [ranking.Row("x", "x", 1, D(5), expected=D(2)), ranking.Row("y", "y", 1, D(9), expected=D(9))]
    assert [r.key for r in ranking.order(metrics.get("diagnostic.global"), expected, ranking.DIFFERENCE)] == ["x", "y"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FIGURES = st.one_of(st.none(), st.decimals(min_value=-5, max_value=5, places=1))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Ana", "ana", "Beta", "Zeta", "Ñandú", "Eta"]),
                          st.sampled_from([None, 1, 2, 3, "SV", "GT"]), _FIGURES, _FIGURES, _FIGURES, st.booleans()),
                max_size=30),
       st.sampled_from(["higher", "lower"]))
def test_arrange_places_rows_as_rank_and_page_order_do(items, direction):
    """The refresh's one-pass arrangement gives every row the rank of :func:`ranking.rank`
    (with and without unverified values) and, in every order, the place the page lists it
    in: groups in page order, each group's rows by :func:`ranking.page_order`."""
    from portal.compare import ranking
    from portal.compare.metrics import HIGHER, LOWER, Metric

    metric = Metric("x.y", "x", "x", "ratio", HIGHER if direction == "higher" else LOWER, (), 365)
    rows = [ranking.Row(i, name, group, value, previous, expected, ranked=value is not None and verified)
            for i, (name, group, value, previous, expected, verified) in enumerate(items)]
    groups, placed = ranking.arrange(metric, rows)
    verified = {r.key: r for r in ranking.rank(metric, rows)}
    everyone = {r.key: r for r in ranking.rank(metric, [ranking.Row(r.key, r.name, r.group, r.value, r.previous,
                                                                    r.expected, ranked=r.value is not None)
                                                        for r in rows])}
    for row in rows:
        spot = placed[row.key]
        assert (spot.position, spot.group_size) == (verified[row.key].position, verified[row.key].group_size)
        assert (spot.position_all, spot.group_size_all) == (everyone[row.key].position, everyone[row.key].group_size)
    for by in ranking.ORDERS:
        expected_order = [r.key for g in groups
                          for r in ranking.page_order(metric, [x for x in rows if x.key in g.members], by)]
        assert sorted(placed, key=lambda k: placed[k].seq[by]) == expected_order
        assert sorted(placed[k].seq[by] for k in placed) == list(range(len(rows)))
    assert [g.start for g in groups] == [sum(x.size for x in groups[:i]) for i in range(len(groups))]
