"""Gantt layout: where each column, group heading, bar and marker goes (pure).

Months (or weeks) across, activities down, grouped by horizon then corrective action.
Units are SVG user units (pixels at scale 1). The drawing itself is in
:mod:`portal.roadmap.gantt_svg`.
"""
from dataclasses import dataclass
from datetime import date, timedelta

ROW = 24  # height of an activity row
HEAD = 22  # height of a group heading row
TOP = 40  # room for the column labels (year above month)
LABEL = 180  # the label column on the left
RIGHT = 110  # room after the last column for status labels
COLUMN = {"month": 30, "week": 22}


@dataclass(frozen=True)
class Bar:
    id: int
    label: str
    horizon: str
    action: str
    starts_on: date | None
    ends_on: date | None
    permanent: bool = False
    state: str = "not_started"
    status_label: str = ""
    url: str = ""


@dataclass(frozen=True)
class Marker:
    label: str
    on: date
    kind: str = "milestone"  # milestone | evaluation
    activity_id: int | None = None


@dataclass(frozen=True)
class Column:
    x: float
    width: float
    label: str  # month number or week number
    year: int | None  # set on the first column of each year
    starts_on: date


@dataclass(frozen=True)
class Row:
    kind: str  # horizon | action | activity | markers
    y: float
    height: float
    label: str
    bar: Bar | None = None
    x: float | None = None  # bar start
    width: float | None = None  # bar length


@dataclass(frozen=True)
class PlacedMarker:
    x: float
    y: float
    marker: Marker


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    label_width: float
    columns: tuple
    rows: tuple
    markers: tuple
    today_x: float | None
    starts_on: date | None
    ends_on: date | None


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _columns(first: date, last: date, unit: str) -> list[tuple[date, date]]:
    """(start, next start) of every column covering first..last."""
    spans = []
    if unit == "week":
        cursor = _week_start(first)
        while cursor <= last:
            spans.append((cursor, cursor + timedelta(days=7)))
            cursor += timedelta(days=7)
    else:
        cursor = _month_start(first)
        while cursor <= last:
            following = _next_month(cursor)
            spans.append((cursor, following))
            cursor = following
    return spans


def layout(bars: list[Bar], markers: list[Marker], today: date, unit: str = "month",
           plan_start: date | None = None, plan_end: date | None = None, markers_label: str = "") -> Layout:
    """Place everything. Bars come in display order; they are grouped by horizon and
    then action in order of first appearance. Permanent work spans from its start (or
    the plan's) to the end of the chart. Activities without dates get a row but no bar."""
    unit = unit if unit in COLUMN else "month"
    dates = [d for b in bars for d in (b.starts_on, b.ends_on) if d] + [m.on for m in markers]
    dates += [d for d in (plan_start, plan_end) if d]
    if not dates:
        return Layout(LABEL + RIGHT, TOP, LABEL, (), (), (), None, None, None)
    first, last = min(dates), max(dates)
    spans = _columns(first, last, unit)
    width = COLUMN[unit]
    columns = []
    seen_years = set()
    for index, (start, _following) in enumerate(spans):
        label = str(start.month) if unit == "month" else str(start.isocalendar()[1])
        year = start.year if start.year not in seen_years else None
        seen_years.add(start.year)
        columns.append(Column(LABEL + index * width, width, label, year, start))
    chart_start, chart_end = spans[0][0], spans[-1][1]

    def x_of(day: date) -> float:
        """The x of the start of ``day``, interpolated inside its column."""
        day = max(chart_start, min(day, chart_end))
        for index, (start, following) in enumerate(spans):
            if start <= day < following:
                fraction = (day - start).days / (following - start).days
                return LABEL + (index + fraction) * width
        return LABEL + len(spans) * width

    rows: list[Row] = []
    placed: list[PlacedMarker] = []
    y = TOP
    plan_markers = [m for m in markers if m.activity_id is None]
    if plan_markers:
        rows.append(Row("markers", y, ROW, markers_label))
        for marker in plan_markers:
            placed.append(PlacedMarker(x_of(marker.on), y + ROW / 2, marker))
        y += ROW
    by_activity: dict[int, list[Marker]] = {}
    for marker in markers:
        if marker.activity_id is not None:
            by_activity.setdefault(marker.activity_id, []).append(marker)
    groups: dict[str, dict[str, list[Bar]]] = {}
    for bar in bars:
        groups.setdefault(bar.horizon, {}).setdefault(bar.action, []).append(bar)
    for horizon, actions in groups.items():
        if horizon:
            rows.append(Row("horizon", y, HEAD, horizon))
            y += HEAD
        for action, members in actions.items():
            if action:
                rows.append(Row("action", y, HEAD, action))
                y += HEAD
            for bar in members:
                x = length = None
                start = bar.starts_on or (plan_start if bar.permanent else None)
                end = chart_end if bar.permanent else bar.ends_on
                if start and end:
                    x = x_of(start)
                    length = max(x_of(end + timedelta(days=1)) - x, 3.0)
                rows.append(Row("activity", y, ROW, bar.label, bar, x, length))
                for marker in by_activity.get(bar.id, []):
                    placed.append(PlacedMarker(x_of(marker.on), y + ROW / 2, marker))
                y += ROW
    today_x = x_of(today) if chart_start <= today < chart_end else None
    return Layout(LABEL + len(spans) * width + RIGHT, y + 8, LABEL, tuple(columns), tuple(rows),
                  tuple(placed), today_x, chart_start, chart_end - timedelta(days=1))
