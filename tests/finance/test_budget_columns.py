"""A budget table shows the phases with figures first (a phone sees its first columns)."""
import re
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.finance.reports import PHASES, figures_first


def row(**values):
    return SimpleNamespace(**{phase: values.get(phase) for phase in PHASES})


@pytest.mark.parametrize("rows, expected", [
    ([row(accrued=1, cash=2), row(accrued=3)], ["accrued", "cash", "approved", "modified"]),
    ([row(approved=1, modified=2, accrued=3, cash=4)], list(PHASES)),
    ([], list(PHASES)),
    ([row(cash=0)], ["cash", "approved", "modified", "accrued"]),  # zero is a figure
    ([{"approved": None, "cash": 5}], ["cash", "approved", "modified", "accrued"]),  # dicts too
])
def test_phases_with_figures_come_first(rows, expected):
    assert figures_first(rows, PHASES) == expected


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)  # a busy CI machine
@given(st.lists(st.fixed_dictionaries({p: st.one_of(st.none(), st.integers(0, 9)) for p in PHASES}), max_size=6))
def test_the_order_is_a_permutation_by_descending_count(rows):
    order = figures_first(rows, PHASES)
    assert sorted(order) == sorted(PHASES)
    counts = [sum(r[p] is not None for r in rows) for p in order]
    assert counts == sorted(counts, reverse=True)


def test_the_budget_page_heads_its_tables_with_a_phase_that_has_figures(client):
    html = client.get("/m/intipuca/finanzas/").get_data(as_text=True)
    for caption in re.findall(r"<caption>(.*?)</caption>\s*<thead><tr>(.*?)</tr>", html, re.S):
        first_phase = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', caption[1])[1]
        assert first_phase not in ("Presupuestado", "Ingresos presupuestados"), caption
    rows = re.findall(r'<tbody>(.*?)</tbody>', html, re.S)[0]
    first_figures = re.findall(r'<tr><th scope="row">[^<]*</th><td class="num">([^<]*)</td>', rows)
    assert first_figures and all(value != "—" for value in first_figures)


def test_every_line_table_heads_with_a_phase_that_has_figures(client):
    """The "all lines" table of a year that published no approved budget starts with what
    was spent and collected, not a column of "—"."""
    html = client.get("/m/intipuca/finanzas/presupuesto/2013").get_data(as_text=True)
    table = html[html.index("<summary>Todas las líneas"):]
    table = table[:table.index("</table>")]
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert heads[:2] == ["Código", "Nombre"] and heads[2] != "Presupuestado", heads
    first_figures = re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td class=\"num\">([^<]*)</td>", table)
    assert first_figures and all(value != "—" for value in first_figures)
