"""schema.org JSON-LD for search engines (Google Dataset Search and the like): the
municipality as a ``GovernmentOrganization`` on its home, each open dataset as a
``Dataset`` with its ``DataDownload`` distributions on its page, and the dated civic
events the domains' calendars announce (participatory-budgeting phases, survey windows)
as ``Event``s.

Builders take plain objects and return dicts; :func:`script` writes one as the body of a
``<script type="application/ld+json">`` that no text inside can close (every ``<``,
``>`` and ``&`` is a JSON escape)."""
import json
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from portal.core import registry
from portal.opendata import catalog, catalog_dates, downloads

CONTEXT = "https://schema.org"
EVENTS_PER_KIND = 20  # the latest published objects of each calendar a home lists


def script(data) -> Markup:
    """``data`` as JSON inside a script element: safe whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _home(municipality) -> str:
    return url_for("municipality.home", slug=municipality.slug, _external=True)


def place(municipality) -> dict:
    node = {"@type": "Place", "name": f"{municipality.name}, {municipality.country}",
            "address": {"@type": "PostalAddress", "addressLocality": municipality.name,
                        "addressCountry": municipality.country}}
    if municipality.department:
        node["address"]["addressRegion"] = municipality.department
    lat, lon = getattr(municipality, "latitude", None), getattr(municipality, "longitude", None)
    if lat is not None and lon is not None:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": float(lat), "longitude": float(lon)}
    return node


def organization(municipality, *, full: bool = True) -> dict:
    """The municipality as a ``GovernmentOrganization`` (``full``: with its place and contact)."""
    node = {"@type": "GovernmentOrganization", "@id": _home(municipality) + "#organization",
            "name": municipality.name, "url": _home(municipality)}
    if not full:
        return node
    node["areaServed"] = place(municipality)
    node["address"] = place(municipality)["address"]
    if getattr(municipality, "code", ""):
        node["identifier"] = municipality.code
    if municipality.website:
        node["sameAs"] = [municipality.website]
    if municipality.logo_url:
        node["logo"] = municipality.logo_url
    email = catalog.contact_email(municipality)
    if email:
        node["email"] = email
    return node


def dataset(municipality, item) -> dict:
    """One open dataset as Google's Dataset documentation asks: name, description (50 to
    5,000 characters), url, identifier, license, creator, distribution (DataDownload with
    encodingFormat and contentUrl), temporalCoverage, spatialCoverage."""
    issued, modified = catalog_dates.dataset_dates(municipality, item)
    _spdx, license_url, _title = downloads.license_of(municipality)
    creator = organization(municipality, full=False)
    return {
        "@context": CONTEXT, "@type": "Dataset",
        "@id": catalog.dataset_uri(municipality, item),
        "name": f"{municipality.name}: {_(item.title)}",
        "description": _(item.description),
        "url": catalog.dataset_uri(municipality, item),
        "identifier": catalog.dataset_uri(municipality, item),
        "sameAs": catalog.landing_page(municipality, item),
        "keywords": list(item.keywords),
        "license": license_url,
        "isAccessibleForFree": True,
        "inLanguage": "es",
        "creator": creator, "publisher": creator,
        "datePublished": issued.date().isoformat(), "dateModified": modified.date().isoformat(),
        "temporalCoverage": f"{issued.date().isoformat()}/{modified.date().isoformat()}",
        "spatialCoverage": place(municipality),
        "includedInDataCatalog": {"@type": "DataCatalog", "name": _("%(name)s: datos abiertos", name=municipality.name),
                                  "url": url_for("opendata_pages.index", slug=municipality.slug, _external=True)},
        "distribution": [{"@type": "DataDownload", "name": d.title, "description": d.description,
                          "encodingFormat": d.media_type, "contentUrl": d.url}
                         for d in catalog.distributions(municipality, item)],
    }


def _event(municipality, name: str, start: date, end: date | None, url: str, description: str) -> dict:
    node = {"@type": "Event", "name": name, "description": description, "url": url,
            "startDate": start.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
            "location": [{"@type": "VirtualLocation", "url": url}, place(municipality)],
            "organizer": organization(municipality, full=False)}
    if end is not None:
        node["endDate"] = end.isoformat()
    return node


def home(municipality) -> dict:
    """The home's graph: the organization and the dated events the domains' calendars
    announce (:func:`portal.core.registry.highlights`: their latest published objects)."""
    events = [_event(municipality, h.name, h.start, h.end, h.url, h.description)
              for h in registry.highlights(municipality, EVENTS_PER_KIND)]
    return {"@context": CONTEXT, "@graph": [organization(municipality), *events]}
