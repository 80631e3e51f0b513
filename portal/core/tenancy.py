"""Tenancy: every URL under ``/m/<slug>/`` resolves to a municipality in ``g``.

Use :func:`tenant_blueprint` for a domain's municipal pages: the URL processors load
the municipality (404 if unknown) before the view runs and fill the slug back in
when building URLs, so views and templates never pass it by hand.
"""
from flask import Blueprint, abort, g

from portal.core import registry


def _load_municipality(endpoint, values):
    if values is None or "slug" not in values:
        return
    slug = values.pop("slug")
    if g.get("page_cache_hit") is not None:  # answered from the page cache: nothing to load
        return
    municipality = registry.find_tenant(slug)
    if municipality is None:
        abort(404)
    g.municipality = municipality


def _add_slug(endpoint, values):
    if "slug" in values:
        return
    municipality = g.get("municipality")
    if municipality is not None:
        values["slug"] = municipality.slug


def tenant_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint whose routes live under ``/m/<slug><url_prefix>``."""
    bp = Blueprint(name, import_name, url_prefix=f"/m/<slug>{url_prefix}")
    bp.url_value_preprocessor(_load_municipality)
    bp.url_defaults(_add_slug)
    return bp


def current_municipality():
    """The municipality of the current request, or ``None`` outside ``/m/<slug>/``."""
    return g.get("municipality")
