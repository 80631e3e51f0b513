"""Dated civic events as iCalendar (RFC 5545) files a calendar application subscribes to.

What is dated in the portal: the phases of a participatory-budgeting process
(proposals, review, voting, results, start of execution), the opening and closing of a survey, the
milestones and quarterly reviews of a published roadmap plan. Every date is a whole day
(``DTSTART;VALUE=DATE``); the calendar carries the municipality's time zone
(``X-WR-TIMEZONE`` and its ``VTIMEZONE``).

``events_*`` functions turn published objects into :class:`Event` values (pure data);
:func:`calendar_bytes` writes them with the ``icalendar`` library, which escapes commas,
semicolons and line breaks in text; control characters are removed before, so a hostile
title can neither break a line nor add a property. UIDs are stable
(``budgeting-process-3-voting@portal.example.org``): the kind, the object's id and the
host of ``PUBLIC_URL``.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _

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


def _span(uid, summary, first, last, description, url) -> list[Event]:
    if first is None and last is None:
        return []
    first = first or last
    last = last if last and last >= first else None
    return [Event(uid, summary, first, last, description, url)]


def events_for_process(process, url: str) -> list[Event]:
    """The dated phases of a participatory-budgeting process."""
    base, title = f"budgeting-process-{process.id}", process.title
    review_start = process.proposals_close + timedelta(days=1) if process.proposals_close else None
    if review_start and process.review_close and review_start > process.review_close:
        review_start = process.review_close
    return [
        *_span(f"{base}-proposals", _("Propuestas: %(title)s", title=title), process.proposals_open,
               process.proposals_close, _("Los vecinos presentan proyectos."), url),
        *_span(f"{base}-review", _("Revisión de propuestas: %(title)s", title=title),
               review_start if process.review_close else None, process.review_close,
               _("La municipalidad revisa la viabilidad y el costo de las propuestas."), url),
        *_span(f"{base}-voting", _("Votación: %(title)s", title=title), process.voting_open, process.voting_close,
               _("Los vecinos votan por los proyectos."), url),
        *_span(f"{base}-results", _("Resultados: %(title)s", title=title), process.results_date, None,
               _("Se publican los proyectos elegidos."), url),
        *_span(f"{base}-execution", _("Inicio de la ejecución: %(title)s", title=title), process.execution_start,
               None, _("La municipalidad empieza a ejecutar los proyectos elegidos."), url),
    ]


def events_for_survey(survey, url: str) -> list[Event]:
    """A survey's opening and closing days."""
    return [
        Event(f"survey-{survey.id}-opens", _("Abre la encuesta: %(title)s", title=survey.title), survey.opens_on,
              None, survey.purpose or "", url),
        Event(f"survey-{survey.id}-closes", _("Cierra la encuesta: %(title)s", title=survey.title),
              survey.close_date, None, survey.purpose or "", url),
    ]


def events_for_plan(plan, url: str) -> list[Event]:
    """A plan's milestones and quarterly reviews."""
    out = [Event(f"roadmap-milestone-{m.id}", _("Hito: %(title)s", title=m.title), m.due_on, None,
                 _("Plan: %(plan)s", plan=plan.title), url) for m in plan.milestones if m.due_on]
    out += [Event(f"roadmap-review-{r.id}", _("Revisión trimestral: %(title)s", title=r.title or plan.title),
                  r.held_on, None, r.summary or _("Plan: %(plan)s", plan=plan.title), url)
            for r in plan.reviews if r.held_on]
    return out


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
