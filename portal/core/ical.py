"""Dated civic events as iCalendar (RFC 5545) files a calendar application subscribes to.

The domains say what is dated (participatory budgeting: a process's phases; surveys: the
opening and closing; the roadmap: a plan's milestones and quarterly reviews), each as
:class:`Event` values from its exports, declared as a :class:`portal.core.registry.Calendar`;
every date is a whole day (``DTSTART;VALUE=DATE``) and the calendar carries the
municipality's time zone (``X-WR-TIMEZONE`` and its ``VTIMEZONE``).

:func:`calendar_bytes` writes events with the ``icalendar`` library, which escapes commas,
semicolons and line breaks in text; control characters are removed before, so a hostile
title can neither break a line nor add a property. UIDs are stable
(``budgeting-process-3-voting@portal.example.org``): the kind, the object's id and the
host of ``PUBLIC_URL``. :func:`response` answers a calendar route (``?lang=es|en|pt``
chooses the language of the texts: a calendar application sends no cookie).
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit
from contextlib import nullcontext
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Response, abort, current_app, g, request
from flask_babel import force_locale

CONTENT_TYPE = "text/calendar; charset=utf-8"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Event:
    uid: str  # without the host: "budgeting-process-3-voting"
    summary: str
    start: date
    end: date | None = None  # the last day, inclusive (None: a single day)
    description: str = ""
    url: str = ""


def clean(text) -> str:
    """Text without control characters (tabs and line breaks stay; icalendar escapes them).
    A literal ``\\N`` is the calendar format's own line break (icalendar writes it as one),
    so it is made one here and a one-line property never carries it."""
    text = CONTROL.sub("", str(text or "")).replace("\\N", "\n")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def one_line(text) -> str:
    """Text for a one-line property (a name, a summary): control characters removed and
    runs of blanks and line breaks made one space."""
    return " ".join(clean(text).split())


def zone_of(municipality) -> str:
    """The municipality's IANA time zone; its country's first zone when it has none (or UTC)."""
    name = getattr(municipality, "timezone", None)
    if name and name != "UTC":
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    from babel.core import get_global

    zones = get_global("territory_zones").get((getattr(municipality, "country", "") or "").upper(), [])
    return zones[0] if zones else "UTC"


def calendar_bytes(events: list[Event], name: str, zone: str, host: str, now: datetime | None = None) -> bytes:
    """The iCalendar file of ``events`` (sorted by date, then UID)."""
    from icalendar import Calendar, Timezone
    from icalendar import Event as VEvent

    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Cabildo//Civic calendar//ES")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", zone)
    # always its VTIMEZONE, UTC too: RFC 5545 wants at least one component in a calendar,
    # and a municipality may have no dated event yet
    calendar.add_component(Timezone.from_tzid(zone))
    for event in sorted(events, key=lambda e: (e.start, e.uid)):
        item = VEvent()
        item.add("uid", f"{event.uid}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.start)
        item.add("dtend", (event.end or event.start) + timedelta(days=1))  # DTEND of a whole day is exclusive
        item.add("summary", one_line(event.summary))
        if event.description:
            item.add("description", clean(event.description))
        if event.url:
            item.add("url", event.url)
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)
    return calendar.to_ical()


def host_of(public_url: str) -> str:
    """The host part of ``PUBLIC_URL`` for UIDs (``portal.example.org``)."""
    return urlsplit(public_url).hostname or "localhost"


def span(uid, summary, first, last, description, url) -> list[Event]:
    """One event from ``first`` to ``last`` (either may be missing; none: no event)."""
    if first is None and last is None:
        return []
    first = first or last
    last = last if last and last >= first else None
    return [Event(uid, summary, first, last, description, url)]


def response(name, events) -> Response:
    """The iCalendar answer of a route of the current municipality: ``name()`` the
    calendar's name and ``events(municipality)`` its events, both in the language of
    ``?lang=`` (400 for one the portal does not speak), the interface language otherwise."""
    lang = request.args.get("lang")
    if lang is not None and lang not in current_app.config["LANGUAGES"]:
        abort(400, description="lang: one of " + ", ".join(current_app.config["LANGUAGES"]))
    municipality = g.municipality
    with force_locale(lang) if lang else nullcontext():
        body = calendar_bytes(events(municipality), f"{name()} · {municipality.name}", zone_of(municipality),
                              host_of(current_app.public_root()))
    filename = request.path.rstrip("/").split("/")[-1]
    return Response(body, content_type=CONTENT_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{filename}"',
                             "Cache-Control": "public, max-age=300"})
