"""Sources: values from the rest of the portal that feed diagnostic indicators.

A domain registers a :class:`Source` (financial ratios, survey results, complaint
statistics). Given a municipality and a date it returns a :class:`SourceValue`
(the raw value, a short detail like "n=312", and the path of the page with the
source data) or None when there is nothing to measure. The indicator's published
scoring rule turns the raw value into 0-100.

Register sources in the domain's ``init_app``; keys are ``"<domain>.<name>"``.
``candidates(municipality)`` lets a source list concrete instances (e.g. one per
survey question); a source without it is a single series.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable


@dataclass(frozen=True)
class SourceValue:
    value: Decimal
    detail: str = ""
    url: str | None = None


@dataclass(frozen=True)
class Source:
    key: str
    label: object  # a (lazy) string
    domain: str
    unit: str  # "ratio", "percent", "score", "days", "money", "count"
    value: Callable[..., SourceValue | None]  # (municipality, as_of: date, param: str|None)
    description: object = ""


_SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    _SOURCES[source.key] = source


def get_source(key: str) -> Source | None:
    return _SOURCES.get(key)


def all_sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)


def read(key: str, municipality, as_of: date, param: str | None = None) -> SourceValue | None:
    """The source's value, or None when unknown or without data."""
    source = get_source(key)
    if source is None:
        return None
    return source.value(municipality, as_of, param)
