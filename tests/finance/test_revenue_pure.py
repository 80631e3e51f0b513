"""Revenue potential computed on constructed rows: each group's formula, rounding at the
end of each row, subtotals, and every check code."""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.finance import revenue
from portal.finance.revenue import MEASURE, POTENTIAL, REFORM, Row

PLAN = [  # Intipucá's "Ingresos Potenciales" (2012), the plan's own figures
    Row(POTENTIAL, "12.AP", "Alumbrado público", D("9826.32"), D("15000.00"), 183, D("1.31")),
    Row(POTENTIAL, "12.AI", "Aseo de inmuebles", D("48896.42"), D("60000.00"), 171, D("6.58")),
    Row(POTENTIAL, "12.PAV", "Pavimentación", D("8151.58"), D("10500.00"), 314, D("1.31")),
    Row(POTENTIAL, "12.BC", "Barrido de calles", payers=314, monthly_payment=D("0.65")),
    Row(POTENTIAL, "12.DS", "Desechos sólidos", payers=687, monthly_payment=D("6.58")),
    Row(POTENTIAL, "12.AN", "Aguas negras", payers=537, monthly_payment=D("0.50")),
    Row(POTENTIAL, "11.IMP", "Impuestos", D("10744.10"), D("14700.00"), 10, D("17.00"), D("5748.06"), D("0.10")),
    Row(POTENTIAL, "12.MORA", "Tasas (mora)", arrears_balance=D("50834.36"), recovery_rate=D("0.10")),
    Row(REFORM, "12.AP.R", "Reforma alumbrado", payers=675, monthly_payment=D("1.31")),
    Row(REFORM, "12.AI.R", "Reforma aseo", payers=688, monthly_payment=D("6.58")),
    Row(REFORM, "12.PAV.R", "Reforma pavimentación", payers=544, monthly_payment=D("0.65")),
    Row(REFORM, "12.BC.R", "Reforma barrido", payers=544, monthly_payment=D("0.65")),
    Row(MEASURE, "12.COBRO", "Mejoras en el cobro", rate=D("0.10")),
    Row(MEASURE, "12.CAT", "Catastro", rate=D("0.05")),
]


def test_the_plans_table_to_the_cent():
    table = revenue.compute(PLAN)
    by_code = {c.row.code: c for c in table.rows}
    expected = {  # code: (foregone, additional, arrears recovery, measure, total)
        "12.AP": ("5173.68", "2876.76", None, None, "8050.44"),
        "12.AI": ("11103.58", "13502.16", None, None, "24605.74"),
        "12.PAV": ("2348.42", "4936.08", None, None, "7284.50"),
        "12.BC": (None, "2449.20", None, None, "2449.20"),
        "12.DS": (None, "54245.52", None, None, "54245.52"),
        "12.AN": (None, "3222.00", None, None, "3222.00"),
        "11.IMP": ("3955.90", "2040.00", "574.81", None, "6570.71"),
        "12.MORA": (None, None, "5083.44", None, "5083.44"),
        "12.AP.R": (None, None, None, "10611.00", "10611.00"),
        "12.AI.R": (None, None, None, "54324.48", "54324.48"),
        "12.PAV.R": (None, None, None, "4243.20", "4243.20"),
        "12.BC.R": (None, None, None, "4243.20", "4243.20"),
        "12.COBRO": (None, None, None, "7761.84", "7761.84"),
        "12.CAT": (None, None, None, "3880.92", "3880.92"),
    }
    for code, figures in expected.items():
        c = by_code[code]
        got = (c.foregone, c.additional, c.arrears_recovery, c.measure, c.total)
        assert got == tuple(None if f is None else D(f) for f in figures), code
    potential = table.subtotals[POTENTIAL]
    assert (potential.collected, potential.accrued) == (D("77618.42"), D("100200.00"))
    assert (potential.foregone, potential.additional, potential.arrears_recovery) == \
        (D("22581.58"), D("83271.72"), D("5658.25"))
    assert potential.total == D("111511.55")
    assert table.subtotals[REFORM].total == D("73421.88") and table.subtotals[MEASURE].total == D("11642.76")
    assert table.reforms_and_measures == D("85064.64")
    assert table.total == D("196576.19")
    assert table.collected_base == D("77618.42")


@pytest.mark.parametrize("row,expected", [
    (Row(POTENTIAL, "12", "x", D("1"), D("2")), []),
    (Row("otro", "12", "x", D("1"), D("2")), [("group", "group")]),
    (Row(POTENTIAL, "12", "x", D("1")), [("accrued", "pair")]),
    (Row(POTENTIAL, "12", "x", payers=3), [("monthly_payment", "pair")]),
    (Row(POTENTIAL, "12", "x", recovery_rate=D("0.1")), [("arrears_balance", "pair")]),
    (Row(POTENTIAL, "12", "x"), [("collected", "empty")]),
    (Row(POTENTIAL, "12", "x", D("1"), D("2"), rate=D("0.1")), [("rate", "unused")]),
    (Row(REFORM, "12", "x", payers=3), [("monthly_payment", "required")]),
    (Row(REFORM, "12", "x", D("5"), payers=3, monthly_payment=D("1")), [("collected", "unused")]),
    (Row(MEASURE, "12", "x"), [("rate", "required")]),
    (Row(MEASURE, "12", "x", rate=D("1.5")), [("rate", "rate")]),
    (Row(POTENTIAL, "12", "x", D("-1"), D("2")), [("collected", "negative")]),
    (Row(REFORM, "12", "x", payers=-1, monthly_payment=D("1")), [("payers", "payers")]),
    (Row(POTENTIAL, "12", "x", arrears_balance=D("10"), recovery_rate=D("-0.1")), [("recovery_rate", "rate")]),
])
def test_check_names_the_column_and_what_is_wrong(row, expected):
    assert revenue.check(row) == expected


def test_rounding_is_half_up_at_the_end_of_each_row():
    rows = [Row(POTENTIAL, "11", "a", arrears_balance=D("0.05"), recovery_rate=D("0.1")),  # 0.005 -> 0.01
            Row(POTENTIAL, "12", "b", arrears_balance=D("0.05"), recovery_rate=D("0.1"))]
    table = revenue.compute(rows)
    assert [c.arrears_recovery for c in table.rows] == [D("0.01"), D("0.01")]
    assert table.total == D("0.02")  # the sum of rounded rows, not the rounded sum (0.01)


def test_a_measure_applies_to_the_collected_potential_rows_only():
    rows = [Row(POTENTIAL, "12", "a", D("1000"), D("1500")), Row(REFORM, "12.R", "b", payers=1, monthly_payment=D("1")),
            Row(MEASURE, "12.M", "c", rate=D("0.125"))]
    table = revenue.compute(rows)
    assert table.rows[2].measure == D("125.00") and table.collected_base == D("1000")
    assert table.subtotals[REFORM].total == D("12.00") and table.total == D("500.00") + D("12.00") + D("125.00")


money = st.integers(0, 10**9).map(lambda n: D(n) / 100)


@given(st.lists(st.tuples(money, money, st.integers(0, 5000), money), min_size=1, max_size=8))
def test_subtotals_always_add_their_rows(items):
    rows = [Row(POTENTIAL, f"12.{i}", "x", c, a, p, m) for i, (c, a, p, m) in enumerate(items)]
    table = revenue.compute(rows)
    sub = table.subtotals[POTENTIAL]
    assert sub.total == sub.foregone + sub.additional + sub.arrears_recovery == table.total
    for c in table.rows:
        assert c.total == c.foregone + c.additional and c.total == c.total.quantize(D("0.01"))

