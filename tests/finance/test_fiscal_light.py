"""The fiscal semáforo's light from early warnings (pure, constructed values)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.finance import early_warning
from portal.finance.fiscal_light import AMBER, GREEN, LIGHTS, NO_DATA, RED, light

KINDS = (early_warning.LEGAL_LIMIT, early_warning.THRESHOLD, early_warning.INVESTMENT)


@pytest.mark.parametrize("kinds, has_data, expected", [
    ((), True, GREEN),                                              # published months, no warning
    ((), False, NO_DATA),                                           # nothing published: never green
    (("threshold",), False, NO_DATA),                               # no data wins over stray warnings
    (("threshold",), True, AMBER),                                  # an indicator heading to a breach
    (("investment",), True, AMBER),                                 # investment behind by mid-year
    (("threshold", "investment"), True, AMBER),
    (("legal_limit",), True, RED),                                  # a legal limit at the close
    (("investment", "legal_limit", "threshold"), True, RED),        # the worst one decides
    (("something_new",), True, AMBER),                              # an unknown warning is never green
])
def test_light_from_warning_kinds(kinds, has_data, expected):
    assert light(kinds, has_data) == expected


def test_the_kinds_are_those_of_the_early_warning():
    assert light([early_warning.LEGAL_LIMIT]) == RED
    assert light([early_warning.THRESHOLD]) == light([early_warning.INVESTMENT]) == AMBER
    assert LIGHTS == (RED, AMBER, GREEN, NO_DATA)  # worst first: the order of the filter


@given(st.lists(st.sampled_from(KINDS), max_size=6))
def test_red_exactly_when_a_legal_limit_and_green_exactly_without_warnings(kinds):
    result = light(kinds)
    assert (result == RED) == (early_warning.LEGAL_LIMIT in kinds)
    assert (result == GREEN) == (kinds == [])
    assert light(iter(kinds)) == result  # any iterable, read once
