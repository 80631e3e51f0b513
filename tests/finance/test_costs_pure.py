"""What each service costs, on constructed studies: allocation keys, subsidy per service,
household and month, the covering fee, and a fee reform."""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.finance import costs
from portal.finance.costs import Service

WASTE = Service("12.DS", "Desechos sólidos", 500, staff=D("30000"), fuel=D("6000"), disposal=D("12000"),
                accrued=D("36000"), collected=D("24000"))
LIGHT = Service("12.AP", "Alumbrado", 250, supplies=D("9000"), other=D("3000"), accrued=D("15000"),
                collected=D("9826.32"))


@pytest.mark.parametrize("key,shares,expected", [
    ("direct", (None, None), (D("8000.00"), D("2000.00"))),        # 48,000 : 12,000
    ("households", (None, None), (D("6666.67"), D("3333.33"))),    # 500 : 250
    ("share", (D("0.3"), D("0.5")), (D("3000.00"), D("5000.00"))),  # 20 % left unallocated
])
def test_allocation_keys(key, shares, expected):
    services = [Service(**{**WASTE.__dict__, "share": shares[0]}), Service(**{**LIGHT.__dict__, "share": shares[1]})]
    assert costs.check(services, D("10000"), key) == []
    result = costs.study(services, D("10000"), key)
    assert tuple(r.indirect for r in result.services) == expected


def test_subsidy_per_household_and_month_and_covering_fee():
    result = costs.study([WASTE, LIGHT], D("10000"), "direct")
    waste, light = result.services
    assert (waste.direct, waste.cost) == (D("48000.00"), D("56000.00"))
    assert waste.subsidy == D("32000.00") and waste.subsidy_accrued == D("20000.00")
    assert waste.per_household == D("64.00") and waste.per_household_month == D("5.33")  # 64 / 12 = 5.333
    assert waste.covering_fee == D("9.33")  # 56,000 / 500 / 12 = 9.333
    assert waste.cost_recovery == D("0.4286")  # 24,000 / 56,000
    assert light.cost == D("14000.00") and light.subsidy == D("4173.68")
    assert light.per_household_month == D("1.39")  # 4,173.68 / 250 / 12 = 1.3912
    assert result.totals["cost"] == D("70000.00") and result.totals["subsidy"] == D("36173.68")
    assert result.totals["indirect"] == D("10000.00")


def test_a_fee_reform():
    waste = costs.study([WASTE]).services[0]  # no indirect costs: cost 48,000
    reform = costs.simulate(waste, D("8.50"), 480, D("0.90"))
    assert reform.revenue == D("44064.00")  # 8.50 x 480 x 12 x 0.90
    assert reform.increase == D("20064.00") and reform.subsidy == D("3936.00") and not reform.covers
    assert costs.simulate(waste, D("10"), 500, D("0.80")).covers  # 48,000 exactly
    assert costs.check_reform(D("-1"), 10, D("1.2")) == [("fee", "negative"), ("collection_rate", "rate")]


@pytest.mark.parametrize("services,indirect,key,expected", [
    ([WASTE], D("0"), "other", [(None, "key", "key")]),
    ([Service("x", "x", 0, staff=D("1"))], D("0"), "direct", [(0, "households", "households")]),
    ([Service("x", "x", 1)], D("0"), "direct", [(0, "staff", "nothing")]),
    ([Service("x", "x", 1, staff=D("-1"))], D("0"), "direct", [(0, "staff", "negative")]),
    ([Service("x", "x", 1, staff=D("1"))], D("5"), "share", [(0, "share", "shares")]),
    ([Service("x", "x", 1, staff=D("1"), share=D("0.6")), Service("y", "y", 1, staff=D("1"), share=D("0.6"))],
     D("5"), "share", [(None, "share", "shares")]),
    ([Service("x", "x", 1, staff=D("1"), share=D("0.5"))], D("5"), "direct", [(0, "share", "unused")]),
    ([Service("x", "x", 1, staff=D("0"))], D("5"), "direct", [(None, "indirect", "base")]),
])
def test_check(services, indirect, key, expected):
    assert costs.check(services, indirect, key) == expected


CENTS = st.integers(0, 10**8).map(lambda n: D(n) / 100)


@given(st.lists(st.tuples(st.integers(1, 10_000), CENTS), min_size=1, max_size=6), CENTS,
       st.sampled_from(["direct", "households"]))
def test_the_pool_is_allocated_whole_to_within_a_cent_per_service(items, pool, key):
    services = [Service(f"s{i}", "s", h, staff=c + 1) for i, (h, c) in enumerate(items)]
    result = costs.study(services, pool, key)
    assert abs(result.totals["indirect"] - pool) <= D("0.01") * len(services)
    for r in result.services:
        assert r.cost == r.direct + r.indirect and r.subsidy == r.cost - (r.service.collected or 0)

