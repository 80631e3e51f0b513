"""Atom (RFC 4287) documents built with the standard library (pure: plain values in)."""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from portal.core.text import clean_text

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: datetime
    author: str
    link: str
    summary: str = ""
    enclosure: str | None = None
    enclosure_type: str = "application/json"
    categories: tuple = field(default_factory=tuple)
    more_enclosures: tuple = field(default_factory=tuple)  # ((href, type), ...): e.g. the dataset's CSV


def _iso(moment: datetime) -> str:
    """RFC 3339 in UTC, with the fraction of a second when there is one: two changes made in
    the same second keep distinct, truthful ``updated`` times."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    spec = "microseconds" if moment.microsecond else "seconds"
    return moment.astimezone(timezone.utc).isoformat(timespec=spec).replace("+00:00", "Z")


def feed(*, id: str, title: str, self_url: str, alternate: str, entries: list[Entry], updated: datetime,
         author: str = "Cabildo", lang: str = "es") -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    ET.SubElement(root, f"{{{ATOM}}}id").text = clean_text(id)
    ET.SubElement(root, f"{{{ATOM}}}title").text = clean_text(title)
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _iso(updated)
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": self_url, "type": "application/atom+xml"})
    ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "href": alternate, "type": "text/html"})
    ET.SubElement(ET.SubElement(root, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = clean_text(author)
    ET.SubElement(root, f"{{{ATOM}}}generator").text = "Cabildo"
    for item in entries:
        node = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}id").text = clean_text(item.id)
        ET.SubElement(node, f"{{{ATOM}}}title").text = clean_text(item.title)
        ET.SubElement(node, f"{{{ATOM}}}updated").text = _iso(item.updated)
        ET.SubElement(ET.SubElement(node, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = clean_text(item.author)
        ET.SubElement(node, f"{{{ATOM}}}link", {"rel": "alternate", "href": clean_text(item.link), "type": "text/html"})
        if item.enclosure:
            ET.SubElement(node, f"{{{ATOM}}}link", {"rel": "enclosure", "href": item.enclosure,
                                                    "type": item.enclosure_type})
        for href, kind in item.more_enclosures:
            ET.SubElement(node, f"{{{ATOM}}}link", {"rel": "enclosure", "href": href, "type": kind})
        for term in item.categories:
            ET.SubElement(node, f"{{{ATOM}}}category", {"term": clean_text(term)})
        if item.summary:
            ET.SubElement(node, f"{{{ATOM}}}summary", {"type": "text"}).text = clean_text(item.summary)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
