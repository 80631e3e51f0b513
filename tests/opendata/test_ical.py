"""iCalendar files of dated civic events: parsed back with icalendar; every VEVENT has
UID, DTSTAMP and DTSTART; UIDs unique and stable; texts in the asked language; hostile
titles cannot break lines or add properties."""
from datetime import date, datetime, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from portal.core import ical

PATHS = ["/m/intipuca/calendario.ics", "/m/intipuca/presupuesto/calendario.ics",
         "/m/intipuca/encuestas/calendario.ics", "/m/intipuca/hoja-de-ruta/calendario.ics"]


def _events(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, list(calendar.walk("VEVENT"))


@pytest.mark.parametrize("path", PATHS)
def test_calendars_parse_with_required_properties_and_unique_uids(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = _events(response.data)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert events, path
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event.keys()), event
        assert str(event["UID"]).endswith("@localhost")
        assert str(event["URL"]).startswith("http://localhost/m/intipuca/")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    again = [str(e["UID"]) for e in _events(client.get(path).data)[1]]
    assert again == uids  # stable across requests


def test_whole_calendar_holds_every_section_with_the_municipality_zone(client):
    calendar, events = _events(client.get("/m/intipuca/calendario.ics").data)
    uids = {str(e["UID"]).split("@")[0] for e in events}
    assert any(u.startswith("budgeting-process-") and u.endswith("-voting") for u in uids)
    assert any(u.startswith("survey-") and u.endswith("-closes") for u in uids)
    assert any(u.startswith("roadmap-milestone-") for u in uids)
    assert any(u.startswith("roadmap-review-") for u in uids)
    assert str(calendar["X-WR-TIMEZONE"]) == "America/El_Salvador"
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/El_Salvador"]
    sections = set()
    for path in PATHS[1:]:
        sections |= {str(e["UID"]) for e in _events(client.get(path).data)[1]}
    assert sections == {str(e["UID"]) for e in events}


def test_process_calendar_has_its_phases_with_inclusive_days(client, muni):
    from portal.participation.budgeting import services

    process = next(p for p in services.processes(muni) if p.voting_open and p.voting_close)
    calendar, events = _events(client.get(f"/m/intipuca/presupuesto/{process.id}/calendario.ics").data)
    voting = next(e for e in events if str(e["UID"]) == f"budgeting-process-{process.id}-voting@localhost")
    assert voting.decoded("DTSTART") == process.voting_open
    assert (voting.decoded("DTEND") - process.voting_close).days == 1  # DTEND is exclusive
    assert process.title in str(voting["SUMMARY"])
    assert all(str(e["UID"]).startswith(f"budgeting-process-{process.id}-") for e in events)
    assert client.get("/m/intipuca/presupuesto/999999/calendario.ics").status_code == 404


@pytest.mark.parametrize("lang,word", [("es", "Votación"), ("en", "Voting"), ("pt", "Votação")])
def test_texts_in_the_asked_language(client, lang, word):
    _, events = _events(client.get(f"/m/intipuca/presupuesto/calendario.ics?lang={lang}").data)
    assert any(str(e["SUMMARY"]).startswith(word + ":") for e in events)


def test_unknown_language_refused(client):
    assert client.get("/m/intipuca/calendario.ics?lang=xx").status_code == 400


def test_uid_host_comes_from_public_url(app, client):
    saved = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = "https://portal.example.org/cabildo"
    try:
        response = client.get("/m/intipuca/encuestas/calendario.ics")
        _, events = _events(response.data)
        assert all(str(e["UID"]).endswith("@portal.example.org") for e in events)
        assert all(str(e["URL"]).startswith("https://portal.example.org/cabildo/m/intipuca/") for e in events)
    finally:
        app.config["PUBLIC_URL"] = saved


HOSTILE = ["Obra\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nEND:VEVENT", "Calle 1, 2; 3 \\ fin", "a\x00b\x1bc\x7fd",
           "línea\nDTSTART:19700101", "\u2028separador", "\\N", "fin\\Nde línea"]


@settings(max_examples=60, deadline=None)
@given(title=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=80)))
@example(title="\\N")
@example(title="fin\\Nde línea")
def test_hostile_titles_stay_one_property(app, title):
    event = ical.Event("survey-1-opens", title, date(2026, 3, 1), None, title, "https://x.example/m/a/")
    with app.test_request_context():
        body = ical.calendar_bytes([event], title, "America/El_Salvador", "x.example",
                                   now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    text = body.decode()
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded content lines
    assert not any(ord(c) < 32 and c not in "\r\n\t" for c in text)  # RFC 5545 text allows tabs
    assert lines.count("BEGIN:VEVENT") == 1
    start = lines.index("BEGIN:VEVENT")
    event = {line.split(":")[0].split(";")[0] for line in lines[start:] if line}  # property names only
    assert event == {"BEGIN", "END", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "TRANSP", "URL"} | (
        {"DESCRIPTION"} if title else set())
    _, events = _events(body)
    assert len(events) == 1 and str(events[0]["UID"]) == "survey-1-opens@x.example"
    assert str(events[0]["SUMMARY"]) == ical.one_line(title)
    assert str(events[0].get("DESCRIPTION", "")) == (ical.clean(title) if title else "")


def test_zone_falls_back_to_the_country():
    class Place:
        timezone = "UTC"
        country = "BR"
    assert ical.zone_of(Place()).startswith("America/")
    Place.timezone, Place.country = "Not/AZone", "XX"
    assert ical.zone_of(Place()) == "UTC"


def test_pages_link_to_their_calendars(client):
    for page, link in [("/m/intipuca/presupuesto/", "/m/intipuca/presupuesto/calendario.ics"),
                       ("/m/intipuca/encuestas/", "/m/intipuca/encuestas/calendario.ics"),
                       ("/m/intipuca/hoja-de-ruta/", "/m/intipuca/hoja-de-ruta/calendario.ics")]:
        html = client.get(page).get_data(as_text=True)
        assert f'href="{link}"' in html, page


def test_a_calendar_without_events_still_has_a_component(client, make):
    """RFC 5545: ``icalbody = calprops component`` with at least one component. A new
    municipality of a country without a known zone (UTC) and no dated event yet."""
    lone = make.municipality(name="Sin Fechas", country="XX", locale="es")
    for path in ("calendario.ics", "presupuesto/calendario.ics", "encuestas/calendario.ics"):
        response = client.get(f"/m/{lone.slug}/{path}")
        assert response.status_code == 200, path
        calendar, events = _events(response.data)
        assert events == [] and [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["UTC"], path
        assert b"BEGIN:VTIMEZONE" in response.data
