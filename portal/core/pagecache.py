"""Cached pages answered in front of Flask: a WSGI layer around ``app.wsgi_app``.

A page served from the page cache (:mod:`portal.core.caching`) inside Flask still pays for
the request context, the session, the language, the rate limiter, the URL processors and
every ``after_request`` hook (security headers, compression). This layer answers a hit
before all of that. It keeps each page **as it was sent**: status, headers (the security
headers, ``Content-Language``, ``Vary``, the compression Flask-Compress chose) and body,
once for each ``Accept-Encoding`` (and host and scheme) it was asked with, and sends it
back byte for byte.

Flask's side decides what may be kept: when it stores a page (or serves one from its
cache) it leaves the page's key and timeout in the WSGI environ (``caching.WSGI_STORE``);
this layer then keeps the response if it is a ``200`` that sets no cookie. To find a
page it computes the same key: the language through :func:`portal.core.i18n.choose_language`
(the function Flask-Babel's selector uses), the path with its query, the day and the
change-record heads of the municipality named in the URL (remembered
``CACHE_HEADS_SECONDS``, read in one query otherwise).

Only requests that are certainly anonymous are looked up: ``GET`` or ``HEAD`` of a
cached endpoint, no ``Authorization`` header, no remember-me cookie, and either no
session cookie or a validly signed one holding nothing but a CSRF token (no user, no
flashed message, not a permanent session that Flask would renew). A request that asks
conditionally (``If-None-Match``, ``If-Modified-Since``) for a page stored with an
``ETag`` or a ``Last-Modified`` goes to Flask. Anything else, and anything uncertain
(an unknown route, a bad cookie, no cache configured), goes to Flask unchanged.
"""
import hashlib
import time

from flask.globals import _cv_app
from flask_caching.backends import NullCache
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date
from werkzeug.routing import RequestRedirect
from werkzeug.sansio.http import parse_cookie

from portal.core import caching
from portal.core.i18n import LANGUAGE_COOKIE, choose_language

# What an anonymous visitor's session may hold for a page to be answered here.
HARMLESS_SESSION_KEYS = frozenset({"csrf_token"})
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
MAX_REMEMBERED = 4096  # URLs and language headers remembered per process (forgotten all at once past it)
MAX_VARIANT = 512  # characters of Accept-Encoding and Host: longer ones are not looked up


_DATE = [0, ""]  # the second and its HTTP date


def _now() -> str:
    """The current HTTP date (formatted once a second)."""
    second = int(time.time())
    if _DATE[0] != second:
        _DATE[:] = [second, http_date(second)]
    return _DATE[1]


def variant_key(page_key: str, environ: dict) -> str | None:
    """The key of one sent form of a page: ``page_key`` with the request's
    ``Accept-Encoding``, host and scheme (None when they are too long to keep)."""
    encoding = environ.get("HTTP_ACCEPT_ENCODING", "")
    host = environ.get("HTTP_HOST", "")
    if len(encoding) > MAX_VARIANT or len(host) > MAX_VARIANT:
        return None
    variant = hashlib.sha256(f"{encoding}\0{host}\0{environ.get('wsgi.url_scheme', '')}".encode()).hexdigest()[:24]
    return f"sent:{variant}:{page_key}"


class PageCacheLayer:
    """WSGI middleware: ``app.wsgi_app = PageCacheLayer(app, app.wsgi_app)``."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.languages = tuple(app.config["LANGUAGES"])
        self._pages: dict = {}  # (script name, path, query): (slug, full path) or None
        self._languages: dict = {}  # (lang cookie, Accept-Language): language

    # Finding a page ---------------------------------------------------------------------

    def _backend(self):
        backend = self.app.extensions["cache"][caching.cache]
        return None if isinstance(backend, NullCache) else backend

    def _anonymous(self, environ) -> tuple[bool, dict]:
        """Whether the request is certainly anonymous, and its cookies."""
        if "HTTP_AUTHORIZATION" in environ:
            return False, {}
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        config = self.app.config
        if config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
            return False, cookies
        value = cookies.get(config["SESSION_COOKIE_NAME"])
        if value:
            serializer = self.app.session_interface.get_signing_serializer(self.app)
            if serializer is None:
                return False, cookies
            try:
                data = serializer.loads(value, max_age=int(self.app.permanent_session_lifetime.total_seconds()))
            except Exception:  # a bad or expired signature: Flask decides what to do with it
                return False, cookies
            if not isinstance(data, dict) or not set(data) <= HARMLESS_SESSION_KEYS:
                return False, cookies
        return True, cookies

    def _page(self, environ) -> tuple[str, str] | None:
        """``(slug, full path)`` when the URL is a cached page's, else None. Remembered
        per URL (the URL map does not change while the process runs)."""
        url = (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        if url in self._pages:
            return self._pages[url]
        try:
            endpoint, values = self.app.url_map.bind_to_environ(environ).match()
        except (HTTPException, RequestRedirect):
            page = None
        else:
            page = None
            if endpoint in caching.cached_endpoints():
                page = (values.get("slug"), self.app.request_class(environ, populate_request=False).full_path)
        if len(self._pages) >= MAX_REMEMBERED:
            self._pages.clear()
        self._pages[url] = page
        return page

    def _language(self, chosen: str | None, accept: str | None) -> str:
        remembered = self._languages.get((chosen, accept))
        if remembered is None:
            remembered = choose_language(chosen, accept, self.languages)
            if len(self._languages) >= MAX_REMEMBERED:
                self._languages.clear()
            self._languages[(chosen, accept)] = remembered
        return remembered

    def _heads(self, slug: str | None) -> str:
        seconds = self.app.config.get("CACHE_HEADS_SECONDS", 1.0)
        heads = caching.remembered_heads(slug, seconds)
        if heads is not None:
            return heads
        context = _cv_app.get(None)
        if context is not None and context.app is self.app:
            return caching._heads(slug)
        with self.app.app_context():
            return caching._heads(slug)

    def page_key(self, environ, cookies: dict) -> str | None:
        """The key Flask's side gives this request's page (None: not a cached page)."""
        page = self._page(environ)
        if page is None:
            return None
        slug, full_path = page
        language = self._language(cookies.get(LANGUAGE_COOKIE), environ.get("HTTP_ACCEPT_LANGUAGE"))
        return caching.key_for(language, full_path, self._heads(slug))

    def lookup(self, environ) -> tuple[object, str] | None:
        """``(backend, page key)`` for a request this layer may answer, else None."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        backend = self._backend()
        if backend is None:
            return None
        anonymous, cookies = self._anonymous(environ)
        if not anonymous:
            return None
        key = self.page_key(environ, cookies)
        return None if key is None else (backend, key)

    # Answering --------------------------------------------------------------------------

    def stored(self, environ) -> tuple[str, list, bytes] | None:
        """The page as it was sent for this request, when this layer may answer it."""
        try:
            found = self.lookup(environ)
            if found is None:
                return None
            backend, key = found
            sent_key = variant_key(key, environ)
            stored = backend.get(sent_key) if sent_key else None
        except Exception:  # the database or the cache store failing: Flask answers (and reports) it
            return None
        if stored is None:
            return None
        status, headers, body = stored
        if any(name in environ for name in CONDITIONAL) and any(
                name.lower() in ("etag", "last-modified") for name, _ in headers):
            return None
        return status, headers, body

    def __call__(self, environ, start_response):
        stored = self.stored(environ)
        if stored is None:
            return self._through_flask(environ, start_response)
        status, headers, body = stored
        if any(name == "Date" for name, _ in headers):
            headers = [(name, _now() if name == "Date" else value) for name, value in headers]
        start_response(status, list(headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _through_flask(self, environ, start_response):
        sent = {}

        def remember(status, headers, exc_info=None):
            sent["status"], sent["headers"], sent["error"] = status, headers, exc_info is not None
            return start_response(status, headers, exc_info)

        iterable = self.wsgi_app(environ, remember)
        keep = environ.get(caching.WSGI_STORE)
        if (keep is None or environ.get("REQUEST_METHOD") != "GET" or sent.get("error")
                or not sent.get("status", "").startswith("200 ")
                or any(name.lower() == "set-cookie" for name, _ in sent["headers"])):
            return iterable
        backend = self._backend()
        key, timeout = keep
        sent_key = variant_key(key, environ)
        if backend is None or sent_key is None:
            return iterable
        try:
            body = b"".join(iterable)
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        headers = [(name, "hit" if name.lower() == "x-cache" else value) for name, value in sent["headers"]]
        backend.set(sent_key, (sent["status"], headers, body), timeout=timeout)
        return [body]


def init_app(app):
    """Answer cached pages in front of Flask (inside ``ProxyFix`` when one is configured)."""
    app.wsgi_app = PageCacheLayer(app, app.wsgi_app)
