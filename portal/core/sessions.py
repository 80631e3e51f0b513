"""The signed-cookie session, left alone by the service worker's pre-caching.

A page asks the service worker to keep the forms it links to (``data-offline-cache``);
the worker fetches them all at once, marked with :data:`PRECACHE_HEADER`. Were each of
those answers allowed to set the session cookie, a fresh browser would receive several
new sessions in a race, keep whichever came last, and the form the person is filling in
would carry the CSRF token of another one. A marked request therefore never creates,
changes or renews the session: its answer has no ``Set-Cookie``. (The token in a page
kept this way is never used: the outbox fetches a fresh one before it sends.)
"""
from flask import request
from flask.sessions import SecureCookieSessionInterface

PRECACHE_HEADER = "X-Cabildo-Precache"


def is_precache() -> bool:
    """True for a request the service worker made to keep a page for later."""
    return bool(request) and request.headers.get(PRECACHE_HEADER) == "1"


class PrecacheSafeSessionInterface(SecureCookieSessionInterface):
    def save_session(self, app, session, response):
        if is_precache():
            return
        super().save_session(app, session, response)


def init_app(app):
    app.session_interface = PrecacheSafeSessionInterface()
