"""The sections a municipality's home shows; each domain declares its own in its
manifest (:mod:`portal.core.registry`).

A section has a title, the endpoint of its page and a function that tells whether the
municipality has published data there (so the home can show a helpful empty state).
``summary(municipality)``, when given, returns a small piece of HTML (Markup) that the
home shows in the section's card (a constant number of queries, please).

Staff get a dashboard of their work: ``work(municipality)`` returns :class:`WorkItem`
counts; ``manage`` names the endpoint of the section's management screen, linked from its
public pages for the municipality's staff.

The home starts with what a resident can do now and a few headline figures: a section's
``actions(municipality, today)`` returns :class:`Action` items (vote, answer a survey,
report a problem) and ``figure(municipality)`` one :class:`Figure` or None. Both run a
constant number of queries and only read published data (the home is cached).
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable

from portal.core import registry


@dataclass(frozen=True)
class Action:
    """Something a resident can do now: ``label`` (translated) links to ``url``; ``until``
    is the last day it can be done, if there is one."""

    label: str
    url: str
    until: date | None = None
    order: int = 0  # within its section


@dataclass(frozen=True)
class Figure:
    """A headline figure: ``value`` shown as ``kind`` (``money``, ``percent`` for a ratio,
    ``count``), what it is (``label``, translated) and where it comes from (``url``)."""

    value: Decimal | int
    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class WorkItem:
    """Work waiting for the staff: ``count`` things (drafts to publish, overdue
    complaints, a verifier's query...) that people holding one of ``roles`` can act on at
    ``url``."""

    label: str
    count: int
    url: str
    roles: tuple


@dataclass(frozen=True)
class Section:
    key: str
    title: object  # a lazy string
    endpoint: str
    order: int
    has_data: Callable  # (municipality) -> bool
    empty_text: object
    description: object = ""
    summary: Callable | None = None  # (municipality) -> Markup shown in the home's card
    actions: Callable | None = None  # (municipality, today) -> list[Action]
    figure: Callable | None = None  # (municipality) -> Figure | None
    manage: str | None = None  # endpoint of the section's management screen
    work: Callable | None = None  # (municipality) -> list[WorkItem], for the staff dashboard


@dataclass(frozen=True)
class Panel:
    """A block of the municipality home below the sections' cards: ``template`` is
    included with ``items`` (what ``items(municipality)`` returned) when there are any."""

    key: str
    order: int
    template: str
    items: Callable  # (municipality) -> list


def sections() -> list[Section]:
    return registry.sections()


def panels() -> list[Panel]:
    return registry.panels()


def actions_now(municipality, today: date) -> list[Action]:
    """What a resident can do now, section by section in the home's order."""
    found = []
    for section in sections():
        if section.actions is not None:
            found.extend(sorted(section.actions(municipality, today), key=lambda a: a.order))
    return found


def headline_figures(municipality, limit: int = 3) -> list[Figure]:
    """The first ``limit`` figures the sections have, in the home's order."""
    figures = []
    for section in sections():
        if section.figure is None or len(figures) >= limit:
            continue
        figure = section.figure(municipality)
        if figure is not None:
            figures.append(figure)
    return figures


def section_of(blueprint: str | None) -> Section | None:
    """The section whose public pages are on ``blueprint`` (``finance`` -> Finanzas)."""
    for section in sections():
        if blueprint and section.endpoint.partition(".")[0] == blueprint:
            return section
    return None


def work_items(municipality, roles: set) -> list[WorkItem]:
    """The staff's work waiting, for people holding ``roles``: only items with a count."""
    found = []
    for section in sections():
        if section.work is not None:
            found.extend(item for item in section.work(municipality) if item.count and roles & set(item.roles))
    return found
