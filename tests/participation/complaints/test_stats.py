"""The pure statistics module, on hand-computed cases."""
from datetime import datetime
from decimal import Decimal

import pytest

from portal.participation.complaints import open311_format, stats
from portal.participation.complaints.stats import ReportFacts

AS_OF = datetime(2026, 3, 1)


def D(text):
    return Decimal(text)


@pytest.mark.parametrize("values, median, p90", [
    ([], None, None),
    ([5], D(5), D(5)),
    ([3, 1, 2], D(2), D(3)),
    ([1, 2, 3, 4], D("2.5"), D(4)),
    (list(range(1, 11)), D("5.5"), D(9)),
    ([D("4.5"), 1, 10, 2], D("3.25"), D(10)),
])
def test_median_and_nearest_rank_percentile(values, median, p90):
    assert stats.median(values) == median
    assert stats.percentile(values, D("0.9")) == p90


FACTS = [
    ReportFacts("a", datetime(2026, 1, 1), "fixed", datetime(2026, 1, 3), 5, confirmation="yes"),     # 2 d, on time
    ReportFacts("a", datetime(2026, 1, 10), "fixed", datetime(2026, 1, 20), 5, reopened=True,
                confirmation="no"),                                                                 # 10 d, late
    ReportFacts("b", datetime(2026, 2, 1), "wont_fix", datetime(2026, 2, 5, 12), 3),                  # 4.5 d, late
    ReportFacts("b", datetime(2026, 2, 20), "received", None, 3),                                      # overdue
    ReportFacts("b", datetime(2026, 2, 28, 12), "received", None, 3),                                  # not yet due
    ReportFacts("a", datetime(2026, 2, 2), "duplicate", datetime(2026, 2, 3), 5),                     # left out
    ReportFacts("a", datetime(2026, 2, 10), "not_ours", datetime(2026, 2, 11), 5),                    # 1 d, on time
]


def test_summary_by_hand():
    s = stats.summarize(FACTS, AS_OF)
    assert s.total == 6
    assert s.per_month == (("2026-01", 2), ("2026-02", 4))
    assert s.resolved == 4
    assert s.median_days == D("3.25")          # 1, 2, 4.5, 10
    assert s.p90_days == D(10)                 # rank ceil(3.6) = 4
    assert (s.on_time, s.on_time_n) == (D("0.4"), 5)   # 2 of (4 resolved + 1 overdue)
    assert (s.reopen_rate, s.reopen_n) == (D("0.5"), 2)
    assert (s.confirmed_fixed, s.confirmed_n) == (D("0.5"), 2)


def test_summary_per_category_by_hand():
    groups = stats.by_category(FACTS, AS_OF)
    a, b = groups["a"], groups["b"]
    assert (a.total, a.median_days, a.p90_days) == (3, D(2), D(10))
    assert a.on_time == D(2) / D(3)
    assert (b.total, b.median_days, b.on_time, b.on_time_n) == (3, D("4.5"), D(0), 2)
    assert b.reopen_rate is None and b.confirmed_fixed is None


def test_closing_after_as_of_is_not_resolved_yet():
    late = [ReportFacts("a", datetime(2026, 2, 27), "fixed", datetime(2026, 3, 5), 5)]
    s = stats.summarize(late, AS_OF)
    assert s.resolved == 0 and s.on_time is None and s.median_days is None


def test_month_keys_cross_the_year():
    assert stats.month_keys(datetime(2026, 2, 15), 3) == ["2025-12", "2026-01", "2026-02"]


def test_xml_output_is_escaped_and_always_well_formed():
    import xml.etree.ElementTree as ET

    body = open311_format.to_xml("service_requests", [
        {"service_request_id": "1", "description": "<b>a & b</b>\x00\x07 ok", "lat": None, "flag": False}])
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?><service_requests>')
    request = ET.fromstring(body).find("request")
    assert request.findtext("description") == "<b>a & b</b> ok"
    assert request.find("lat").text is None and request.findtext("flag") == "false"
    assert open311_format.to_json([{"a": "", "b": Decimal("13.5"), "c": "7"}]) == '[{"a": null, "b": 13.5, "c": "7"}]'


@pytest.mark.parametrize("language, words", [("es", ("dic", "")), ("en", ("Dec", "")), ("pt", ("dez.", "de "))])
def test_the_statistics_page_names_its_months_in_words(client, muni, language, words):
    import re
    from datetime import date

    december = date.today().year - (date.today().month < 12)  # the last December in the 12-month window
    month = f"{words[0]} {words[1]}{december}"
    client.set_cookie("lang", language)
    html = client.get("/m/intipuca/reclamos/estadisticas").get_data(as_text=True)
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))
    assert month in visible and not re.search(r"\b20\d\d-\d\d\b", visible)
