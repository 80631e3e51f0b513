"""Pure computations of the roadmap: roll-up, timeliness, totals, goals, Gantt layout."""
from datetime import date
from decimal import Decimal

import pytest

from portal.roadmap import gantt, progress
from portal.roadmap.progress import Item

D = Decimal
TODAY = date(2014, 6, 15)


@pytest.mark.parametrize("items, expected", [
    # a leaf keeps its entered progress; done means 100; not started 0; in progress unknown None
    ([Item(1, progress=D("40"), state="in_progress")], {1: D("40")}),
    ([Item(1, state="done")], {1: D(100)}),
    ([Item(1, done=True, progress=D(10))], {1: D(100)}),
    ([Item(1)], {1: D(0)}),
    ([Item(1, state="in_progress")], {1: None}),
    # weighted roll-up: (2*100 + 2*50 + 1*0) / 5 = 60
    ([Item(1, state="delayed"), Item(2, 1, "done", weight=D(2)), Item(3, 1, "in_progress", progress=D(50), weight=D(2)),
      Item(4, 1, weight=D(1))], {1: D(60), 2: D(100), 3: D(50), 4: D(0)}),
    # cancelled children do not count; unknown children count as 0; default weights 1
    ([Item(1), Item(2, 1, "done"), Item(3, 1, "cancelled"), Item(4, 1, "in_progress")],
     {1: D(50), 2: D(100), 3: None, 4: None}),
    # two levels
    ([Item(1), Item(2, 1), Item(3, 2, "done"), Item(4, 2), Item(5, 1, "done")], {1: D(75), 2: D(50)}),
    # all-zero weights fall back to equal weights; out-of-range entries are clamped
    ([Item(1), Item(2, 1, "done", weight=D(0)), Item(3, 1, weight=D(0), progress=D(150), state="in_progress")],
     {1: D(100), 3: D(100)}),
])
def test_rolled_progress(items, expected):
    result = progress.rolled_progress(items)
    for key, value in expected.items():
        assert result[key] == value, (key, result[key])


@pytest.mark.parametrize("item, expected", [
    (Item(1, state="done"), "done"),
    (Item(1, done=True, ends_on=date(2014, 1, 31)), "done"),
    (Item(1, state="cancelled", ends_on=date(2014, 1, 31)), "cancelled"),
    (Item(1, state="delayed", ends_on=date(2014, 12, 31)), "late"),
    (Item(1, state="in_progress", starts_on=date(2014, 2, 1), ends_on=date(2014, 3, 31)), "late"),
    (Item(1, starts_on=date(2014, 6, 1), ends_on=date(2014, 6, 15)), "on_time"),  # ends today
    (Item(1, starts_on=date(2014, 7, 1), ends_on=date(2014, 8, 31)), "upcoming"),
    (Item(1, permanent=True, starts_on=date(2014, 1, 1)), "on_time"),
    (Item(1, permanent=True, state="delayed"), "late"),
    (Item(1), "on_time"),
])
def test_timeliness(item, expected):
    assert progress.timeliness(item, TODAY) == expected


def test_counts_use_top_level_activities_only():
    items = [Item(1, state="done"), Item(2, ends_on=date(2014, 1, 31)), Item(3, 2, state="done"),
             Item(4, starts_on=date(2015, 1, 1), ends_on=date(2015, 2, 1)), Item(5, state="cancelled")]
    counts = progress.counts(items, TODAY)
    assert (counts.total, counts.done, counts.late, counts.upcoming, counts.cancelled) == (4, 1, 1, 1, 1)
    assert counts.done_share == D(1) / D(3)


def test_totals_exact_to_the_cent():
    # The PRFM's short term: 44,696.42 = PFGL 35,596.42 + FODES 7,000.00 + Cooperantes 2,100.00
    rows = [("2000.00", "FODES"), (None, "N/A"), ("20000.00", "PFGL"), ("2500.00", "PFGL"), ("3996.42", "PFGL"),
            ("5000.00", "FODES"), ("2100.00", "Cooperantes"), ("5300.00", "PFGL"), ("800.00", "PFGL"),
            ("3000.00", "PFGL")]
    items = [Item(i, cost=D(c) if c else None, funding_source=s, horizon="Corto plazo")
             for i, (c, s) in enumerate(rows, start=1)]
    items.append(Item(99, cost=D("0.01"), horizon="Mediano plazo", funding_source="PFGL"))
    items.append(Item(100, 99, cost=D("999"), horizon="Mediano plazo"))  # parent has its own cost: child ignored
    totals = progress.totals(items, ["Corto plazo", "Mediano plazo", "Largo plazo"])
    assert dict(totals.by_horizon) == {"Corto plazo": D("44696.42"), "Mediano plazo": D("0.01"),
                                       "Largo plazo": D(0)}
    assert totals.total == D("44696.43")
    short = dict(dict(totals.by_horizon_source)["Corto plazo"])
    assert short["PFGL"] == D("35596.42")
    assert short["FODES"] + short["Cooperantes"] == D("9100.00")
    assert totals.by_source[0] == ("PFGL", D("35596.43"))


def test_parent_without_cost_counts_its_children():
    items = [Item(1, horizon="A"), Item(2, 1, cost=D("0.10")), Item(3, 1, cost=D("0.20")), Item(4, 3, cost=D(5))]
    assert progress.totals(items).total == D("0.30")


@pytest.mark.parametrize("direction, target, year, actual, baseline, expected", [
    (">=", "0.25", 2015, "0.26", "0.17", "met"),
    (">=", "0.25", 2015, "0.25", "0.17", "met"),
    (">=", "0.25", 2015, "0.20", "0.17", "on_track"),  # year not over, moving up
    (">=", "0.25", 2015, "0.15", "0.17", "missed"),  # moving away
    (">=", "0.25", 2013, "0.20", "0.17", "missed"),  # year over
    ("<=", "0.50", 2015, "0.55", "0.57", "on_track"),
    ("<=", "0.50", 2015, "0.49", "0.57", "met"),
    ("<", "1.7", 2015, "1.7", None, "on_track"),
    ("<", "1.7", 2013, "1.7", None, "missed"),
    (">=", "0", 2015, None, "-155423.69", "no_data"),
])
def test_goal_status(direction, target, year, actual, baseline, expected):
    assert progress.goal_status(direction, D(target), year, D(actual) if actual else None, TODAY,
                                D(baseline) if baseline else None) == expected


def test_gantt_layout_months_groups_and_markers():
    bars = [
        gantt.Bar(1, "UATM", "Corto plazo", "Tributaria", date(2014, 1, 1), date(2014, 1, 31), state="done"),
        gantt.Bar(2, "Catastro", "Corto plazo", "Tributaria", date(2014, 2, 1), date(2014, 3, 31)),
        gantt.Bar(3, "Comisión", "Corto plazo", "Financiera", date(2014, 1, 1), date(2014, 1, 31)),
        gantt.Bar(4, "Mora", "Mediano plazo", "Tributaria", None, None, permanent=True),
        gantt.Bar(5, "Sin fechas", "Mediano plazo", "Tributaria", None, None),
    ]
    markers = [gantt.Marker("Hito", date(2014, 3, 31), "milestone", 2),
               gantt.Marker("Evaluación", date(2014, 12, 15), "evaluation")]
    placed = gantt.layout(bars, markers, TODAY, "month", plan_start=date(2014, 1, 1))
    assert len(placed.columns) == 12  # Jan..Dec 2014
    assert [c.year for c in placed.columns][:2] == [2014, None]
    kinds = [r.kind for r in placed.rows]
    # plan-level markers row, then horizon > action > activities
    assert kinds == ["markers", "horizon", "action", "activity", "activity", "action", "activity",
                     "horizon", "action", "activity", "activity"]
    uatm, catastro = placed.rows[3], placed.rows[4]
    width = gantt.COLUMN["month"]
    assert uatm.x == gantt.LABEL and uatm.width == pytest.approx(width)
    assert catastro.x == pytest.approx(gantt.LABEL + width) and catastro.width == pytest.approx(2 * width)
    permanent, undated = placed.rows[9], placed.rows[10]
    assert permanent.x == gantt.LABEL and permanent.x + permanent.width == pytest.approx(gantt.LABEL + 12 * width)
    assert undated.x is None
    milestone = [m for m in placed.markers if m.marker.kind == "milestone"][0]
    assert milestone.y == pytest.approx(catastro.y + catastro.height / 2)
    assert placed.today_x == pytest.approx(gantt.LABEL + (5 + 14 / 30) * width)  # 15 June
    assert placed.rows[-1].y < placed.height


def test_gantt_layout_weeks_and_today_outside():
    bars = [gantt.Bar(1, "A", "", "", date(2026, 9, 7), date(2026, 9, 20))]
    placed = gantt.layout(bars, [], date(2030, 1, 1), "week")
    assert len(placed.columns) == 2 and placed.columns[0].starts_on == date(2026, 9, 7)
    assert placed.rows[0].width == pytest.approx(2 * gantt.COLUMN["week"])
    assert placed.today_x is None
    assert gantt.layout([], [], TODAY).rows == ()
