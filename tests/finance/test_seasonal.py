"""The seasonal projection and the early warning: tables on constructed data."""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.finance import early_warning, ratios, seasonal


def even(amount):
    return {m: D(amount) for m in range(1, 13)}


def back_loaded():  # half the year's total in December
    return {**{m: D(10) for m in range(1, 12)}, 12: D(110)}


@pytest.mark.parametrize("series, month, expected", [
    (even(10), 6, D(60)), (even(10), 12, D(120)), ({1: D(5), 3: D(7)}, 3, D(12)), ({}, 4, D(0)),
])
def test_year_to_date_sums_months_one_to_m(series, month, expected):
    assert seasonal.to_date(series, month) == expected


@pytest.mark.parametrize("series, month, expected", [
    (even(10), 6, D("0.5")), (back_loaded(), 6, D(60) / D(220)), ({1: D(1)}, 6, None), (even(0), 6, None),
])
def test_share_reached(series, month, expected):
    assert seasonal.share_reached(series, month) == expected


def test_seasonal_close_is_ytd_over_mean_share_with_the_spread_as_range():
    past = {2020: even(10), 2021: {**even(10), 12: D(10)}, 2022: back_loaded()}
    # shares at month 6: 0.5, 0.5, 60/220
    shares = [D("0.5"), D("0.5"), D(60) / D(220)]
    mean = sum(shares) / 3
    spread = (sum((s - mean) ** 2 for s in shares) / 2).sqrt()
    result = seasonal.forecast(even(20), 6, past)
    assert result.method == seasonal.SEASONAL and result.year_to_date == D(120)
    assert result.mean_share == mean and result.spread == spread
    assert result.close == D(120) / mean
    assert result.low == D(120) / (mean + spread) and result.high == D(120) / (mean - spread)
    assert result.low < result.close < result.high
    assert [y for y, _ in result.shares] == [2020, 2021, 2022]


def test_one_past_year_gives_a_close_without_a_range():
    result = seasonal.forecast({m: D(30) for m in range(1, 4)}, 3, {2020: back_loaded()})
    assert result.close == D(90) / (D(30) / D(220)) and result.low is None and result.high is None
    assert result.spread is None


def test_without_history_the_projection_is_linear():
    result = seasonal.forecast({1: D(10), 2: D(20), 3: D(30)}, 3, {2020: {1: D(5)}})
    assert result.method == seasonal.LINEAR and result.close == D(240) and result.low is None


def test_month_twelve_is_the_actual_close():
    result = seasonal.forecast(back_loaded(), 12, {2020: even(1)})
    assert result.method == seasonal.ACTUAL and result.close == result.low == result.high == D(220)


def test_nothing_executed_by_that_month_in_past_years_gives_no_projection():
    late = {**even(0), 12: D(100)}
    result = seasonal.forecast({1: D(5)}, 3, {2020: late, 2021: late})
    assert result.method == seasonal.NONE and result.close is None


def test_wide_spread_leaves_no_upper_bound():
    early, late = {**even(0), 1: D(100)}, {**even(0), 12: D(100)}
    result = seasonal.forecast({1: D(50)}, 1, {2020: early, 2021: late})
    assert result.mean_share == D("0.5") and result.high is None and result.low is not None


def test_month_out_of_range_is_refused():
    with pytest.raises(ValueError):
        seasonal.forecast({}, 13, {})


def test_totals_add_closes_and_bounds():
    a = seasonal.forecast(even(10), 6, {2020: even(1), 2021: back_loaded()})
    b = seasonal.forecast(even(5), 6, {2020: even(1), 2021: back_loaded()})
    total = seasonal.add([a, b])
    assert total.close == a.close + b.close and total.low == a.low + b.low and total.year_to_date == D(90)
    linear = seasonal.forecast(even(5), 6, {})
    assert seasonal.add([a, linear]).low is None
    assert seasonal.add([]) is None


@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=2), min_size=12, max_size=12),
       st.integers(min_value=1, max_value=11))
def test_a_year_shaped_like_its_past_is_projected_to_its_own_total(amounts, month):
    series = {m: amounts[m - 1] for m in range(1, 13)}
    result = seasonal.forecast(series, month, {2020: series, 2021: series})
    total = seasonal.to_date(series, 12)
    if result.close is None:
        assert seasonal.to_date(series, month) == 0
    elif total:
        assert abs(result.close - total) < D("0.000001") and abs(result.spread) < D("1e-20")


@pytest.mark.parametrize("value, expected", [(D("1.005"), D("1.01")), (D("-1.005"), D("-1.01")), (None, None)])
def test_cents_half_up(value, expected):
    assert seasonal.cents(value) == expected


def definition(code, direction=">=", threshold=D(1)):
    return ratios.Definition(code, code.title(), "a / b", direction=direction, threshold=threshold)


def result(code, value, direction=">=", threshold=D(1)):
    d = definition(code, direction, threshold)
    return ratios.Result(d, 2024, value, ratios.status_of(d, value), "", "", {})


@pytest.mark.parametrize("projected, last, expected", [
    ([result("eficacia", D("0.9"))], [result("eficacia", D("1.1"))], [("threshold", "eficacia")]),
    ([result("eficacia", D("0.9"))], [result("eficacia", D("0.8"))], []),  # already failing: no news
    ([result("eficacia", D("0.9"))], None, []),
    ([result("eficacia", D("1.2"))], [result("eficacia", D("1.1"))], []),
    ([result("eficacia", None)], [result("eficacia", D("1.1"))], []),
    ([result("limite_endeudamiento", D("1.8"), "<=", D("1.7"))], None, [("legal_limit", "limite_endeudamiento")]),
    ([result("limite_endeudamiento", D("1.7"), "<=", D("1.7"))], None, []),
])
def test_indicator_warnings(projected, last, expected):
    found = early_warning.indicator_warnings(6, projected, last)
    assert [(w.kind, w.code) for w in found] == expected
    for w in found:
        assert w.value == projected[0].value and w.month == 6


@pytest.mark.parametrize("month, ytd, budget, share, warns", [
    (5, D(0), D(100), D("0.4"), False),  # before mid-year
    (6, D(29), D(100), D("0.4"), True),  # 0.29 < 0.75 x 0.4
    (6, D(30), D(100), D("0.4"), False),  # exactly 0.30 is on track
    (6, D(10), D(0), D("0.4"), False),  # no budget
    (6, D(10), None, None, False),
    (12, D(74), D(100), D(1), True),
    (9, D(56), D(100), None, True),  # without history: 0.56 < 9/12 x 0.75 = 0.5625
    (9, D(57), D(100), None, False),
])
def test_investment_behind_by_mid_year(month, ytd, budget, share, warns):
    found = early_warning.investment_warning(month, ytd, budget, share)
    expected_share = share if share is not None else D(month) / 12
    behind = budget is not None and budget > 0 and month >= 6 and ytd / budget < expected_share * D("0.75")
    assert (found is not None) == warns == behind
    if found:
        assert found.value == ytd / budget and found.expected == expected_share
