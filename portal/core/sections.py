"""The sections a municipality's home shows; each domain registers its own.

A section has a title, the endpoint of its page and a function that tells whether the
municipality has published data there (so the home can show a helpful empty state).
``summary(municipality)``, when given, returns a small piece of HTML (Markup) that the
home shows in the section's card (a constant number of queries, please).
"""
from dataclasses import dataclass
from typing import Callable


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


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: s.order)
