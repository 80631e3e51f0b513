"""Caching published pages (Flask-Caching).

Published pages change only when something is published, and every publication (every
change to published data) is appended to the municipality's hash-chained change record.
So a cached page's key carries the head (last position) of that record and of the
platform's (for the shared catalogs): a publication moves the head and the next request
renders afresh.
Because the key is read from the database, several portal servers on one database
agree on what is current even with an in-process cache each; a shared store
(``CACHE_URL=redis://...``) only saves them rendering the same page once each. Each
process remembers the heads it read for ``CACHE_HEADS_SECONDS`` (1 by default; 0 reads
them on every request), so a hit needs no database at all; a change recorded in the same
process forgets them at once, one recorded by another server is seen within that second.

Only anonymous requests without flashed messages are answered from the cache, and a page
is stored only when it set no cookie, did not touch the session and holds no CSRF token
(forms, signed-in and personalised pages are never stored). The key holds the language,
the path with its query and the day (pages that show phases or "overdue" move on at
midnight). Pages opt in by endpoint in their domain's manifest (``cached_endpoints`` of
:class:`portal.core.registry.Domain`); :func:`cached_endpoints` lists them with their
timeouts.
"""
import hashlib
import time
from datetime import date

from flask import g, request, session
from flask_caching import Cache
from flask_caching.backends import NullCache

from portal.core import registry

cache = Cache()


def cached_endpoints() -> dict[str, int | None]:
    """Endpoints of the pages made only of published data that the page cache answers,
    with their timeouts in seconds (None: until something is published), as the domains
    declare them."""
    return registry.cached_endpoints()


def settings(env, overrides: dict) -> dict:
    """Flask-Caching settings from ``CACHE_URL`` / ``CACHE_TYPE`` (in-process by default;
    tests run without a cache unless they ask for one)."""
    url = overrides.get("CACHE_URL", env.get("CACHE_URL", ""))
    kind = overrides.get("CACHE_TYPE", env.get("CACHE_TYPE", ""))
    if not kind:
        if url.startswith(("redis://", "rediss://", "unix://")):
            kind = "RedisCache"
        elif url.startswith("memcached://"):
            kind = "MemcachedCache"
        elif overrides.get("TESTING"):
            kind = "NullCache"
        else:
            kind = "SimpleCache"
    config = {"CACHE_TYPE": kind, "CACHE_DEFAULT_TIMEOUT": int(env.get("CACHE_DEFAULT_TIMEOUT", "300")),
              "CACHE_KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "cabildo:"), "CACHE_THRESHOLD": 2000,
              "CACHE_NO_NULL_WARNING": True}
    if kind == "RedisCache":
        config["CACHE_REDIS_URL"] = url
    elif kind == "MemcachedCache":
        config["CACHE_MEMCACHED_SERVERS"] = [url[len("memcached://"):]]
    return config


_RECENT: dict[str, tuple[float, str]] = {}  # slug: (when read, heads)
_RECENT_MAX = 10_000  # slugs remembered (unknown slugs too): forgotten all at once past it


def forget_heads(*_args) -> None:
    _RECENT.clear()


def _heads(slug: str) -> str:
    """The heads, remembered for ``CACHE_HEADS_SECONDS`` (see the module's docstring)."""
    from flask import current_app

    seconds = current_app.config.get("CACHE_HEADS_SECONDS", 1.0)
    now = time.monotonic()
    recent = _RECENT.get(slug)
    if recent is not None and now - recent[0] < seconds:
        return recent[1]
    heads = _read_heads(slug)
    if seconds > 0:
        if len(_RECENT) >= _RECENT_MAX:
            _RECENT.clear()
        _RECENT[slug] = (now, heads)
    return heads


def _read_heads(slug: str) -> str:
    """The positions of the change record the pages of the municipality named by ``slug``
    depend on, as its domain declares them (:func:`portal.core.registry.page_version`),
    read before the municipality itself is loaded."""
    return registry.page_version(slug)


def _cacheable_request() -> bool:
    if request.method != "GET" or request.endpoint not in cached_endpoints():
        return False
    if isinstance(cache.cache, NullCache):  # no cache (the test suite): not even the key's queries
        return False
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return False
    return "_flashes" not in session


def page_key(slug: str) -> str:
    from portal.core.i18n import language

    path = hashlib.sha256(request.full_path.encode()).hexdigest()[:32]
    return f"page:{language()}:{date.today().isoformat()}:{_heads(slug)}:{path}"


def note_change(session) -> None:
    """A change record was added to ``session`` (the audit package calls this): the heads
    read so far are forgotten when it is flushed, and again at commit or rollback."""
    session.info["change_pending"] = True


def _forget_on_new_records(session, _context) -> None:
    if session.info.pop("change_pending", False):
        forget_heads()
        session.info["change_recorded"] = True


def _after_rollback(session) -> None:
    """Positions of records rolled back may be written again: forget heads read meanwhile."""
    if session.info.pop("change_recorded", False):
        forget_heads()


def _after_commit(session) -> None:
    """Forget again at commit: another request of this process may have read the heads
    between this session's flush and its commit."""
    if session.info.pop("change_recorded", False):
        forget_heads()


def init_app(app):
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    cache.init_app(app)
    if not event.contains(Session, "after_flush", _forget_on_new_records):
        event.listen(Session, "after_flush", _forget_on_new_records)
        event.listen(Session, "after_rollback", _after_rollback)
        event.listen(Session, "after_commit", _after_commit)

    @app.url_value_preprocessor
    def look_up_cached_page(endpoint, values):
        """Runs before the municipality is loaded (app-level URL processors come first):
        a hit is answered without loading it (see ``portal.core.tenancy``)."""
        g.pop("page_cache_key", None)
        g.pop("page_cache_hit", None)
        if not values or "slug" not in values or not _cacheable_request():
            return
        g.page_cache_key = page_key(values["slug"])
        stored = cache.get(g.page_cache_key)
        if stored is not None:
            g.page_cache_hit = stored

    @app.before_request
    def serve_cached_page():
        stored = g.get("page_cache_hit")
        if stored is None:
            return None
        body, content_type = stored
        response = app.response_class(body, content_type=content_type)
        response.headers["X-Cache"] = "hit"
        return response

    @app.after_request
    def store_page(response):
        key = g.get("page_cache_key")
        if key is None or g.get("page_cache_hit"):
            return response
        if (response.status_code == 200 and not response.direct_passthrough and not response.is_streamed
                and "Set-Cookie" not in response.headers and not session.modified and "csrf_token" not in g):
            cache.set(key, (response.get_data(), response.content_type),
                      timeout=cached_endpoints().get(request.endpoint))
            response.headers["X-Cache"] = "miss"
        return response
