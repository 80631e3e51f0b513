"""The page cache's WSGI layer (``portal.core.pagecache``): a cached page is answered in
front of Flask, byte for byte as Flask sent it, and only when it is certainly the page
this request would get."""
from decimal import Decimal

import pytest
from flask import g, request_started
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core import caching
from portal.core.i18n import choose_language, select_language

FINANCE = "/m/intipuca/finanzas/"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                    "Permissions-Policy")


@pytest.fixture
def page_cache(memory_cache):
    caching.forget_heads()
    yield
    caching.forget_heads()


@pytest.fixture
def flask_requests(app):
    """How many requests reached Flask (its request context was pushed)."""
    seen = []

    def started(sender, **_extra):
        seen.append(1)
    request_started.connect(started, app)
    yield lambda: len(seen)
    request_started.disconnect(started, app)


def _fresh_language():
    g.pop("_flask_babel", None)  # the test shares one app context (and Flask-Babel's choice) across requests


def _comparable(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in ("X-Cache", "Date")}


@pytest.mark.parametrize("encoding", ["", "gzip", "br", "gzip, deflate, br"])
def test_a_hit_is_the_page_flask_sent_byte_for_byte(page_cache, client, flask_requests, queries, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    rendered = client.get(FINANCE, headers=headers)
    assert rendered.headers["X-Cache"] == "miss" and flask_requests() == 1
    with queries() as n:
        served = client.get(FINANCE, headers=headers)
        assert n() == 0
    assert flask_requests() == 1  # answered before Flask: no request context, no hooks
    assert served.headers["X-Cache"] == "hit"
    assert served.status == rendered.status
    assert served.data == rendered.data
    assert _comparable(served) == _comparable(rendered)
    assert served.headers.get("Content-Encoding") == rendered.headers.get("Content-Encoding")
    if encoding:
        assert served.headers["Content-Encoding"] == ("br" if "br" in encoding else "gzip")
        assert "Accept-Encoding" in served.headers["Vary"]
    for name in SECURITY_HEADERS:
        assert served.headers[name] == rendered.headers[name]


def test_each_accept_encoding_gets_its_own_form(page_cache, client, flask_requests):
    plain = client.get(FINANCE)
    client.get(FINANCE)
    assert flask_requests() == 1
    gzipped = client.get(FINANCE, headers={"Accept-Encoding": "gzip"})
    assert flask_requests() == 2 and gzipped.headers["Content-Encoding"] == "gzip"  # a new form: Flask compresses
    again = client.get(FINANCE, headers={"Accept-Encoding": "gzip"})
    assert flask_requests() == 2 and again.data == gzipped.data
    assert "Content-Encoding" not in client.get(FINANCE).headers
    assert plain.data != gzipped.data


def test_head_is_answered_with_the_headers_and_no_body(page_cache, client, flask_requests):
    rendered = client.get(FINANCE)
    head = client.head(FINANCE)
    assert flask_requests() == 1
    assert head.data == b"" and head.headers["Content-Length"] == rendered.headers["Content-Length"]


def test_a_publication_is_seen_at_once_in_this_process(page_cache, client, muni, db, flask_requests):
    from portal.finance import services

    first = client.get(FINANCE)
    client.get(FINANCE)
    assert flask_requests() == 1
    year = services.ensure_year(muni, 2031)
    services.set_line(muni, year, "11", "Impuestos", {"approved": Decimal("1000")}, [])
    services.publish_year(muni, year)
    db.session.flush()
    after = client.get(FINANCE)
    assert flask_requests() == 2 and after.headers["X-Cache"] == "miss"
    assert "2031" in after.get_data(as_text=True) and "2031" not in first.get_data(as_text=True)
    assert client.get(FINANCE).data == after.data and flask_requests() == 2


def test_another_servers_publication_is_seen_within_the_heads_seconds(page_cache, client, muni, db, flask_requests,
                                                                      monkeypatch):
    from portal.audit.models import ChangeRecord

    client.get(FINANCE)
    table = ChangeRecord.__table__
    last = db.session.connection().execute(table.select().where(table.c.chain == str(muni.id))
                                           .order_by(table.c.seq.desc()).limit(1)).mappings().one()
    db.session.connection().execute(table.insert().values(  # another server: not through this process's session
        **{**{k: v for k, v in last.items() if k != "id"}, "seq": last["seq"] + 1, "hash": "0" * 64}))
    assert client.get(FINANCE).headers["X-Cache"] == "hit" and flask_requests() == 1  # within the second
    later = caching.time.monotonic() + 1.5
    monkeypatch.setattr(caching.time, "monotonic", lambda: later)
    assert client.get(FINANCE).headers["X-Cache"] == "miss" and flask_requests() == 2


def test_each_language_gets_its_page(page_cache, client, flask_requests):
    spanish = client.get(FINANCE)
    _fresh_language()
    english = client.get(FINANCE, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert flask_requests() == 2 and 'lang="en"' in english.get_data(as_text=True)
    _fresh_language()
    client.set_cookie("lang", "pt")
    portuguese = client.get(FINANCE, headers={"Accept-Language": "en-US,en;q=0.9"})  # the cookie wins
    assert flask_requests() == 3 and 'lang="pt"' in portuguese.get_data(as_text=True)
    assert client.get(FINANCE, headers={"Accept-Language": "en"}).data == portuguese.data
    client.delete_cookie("lang")
    assert client.get(FINANCE, headers={"Accept-Language": "en-US,en;q=0.9"}).data == english.data
    assert client.get(FINANCE).data == spanish.data
    assert flask_requests() == 3  # each of them from the layer


def test_signed_in_people_get_their_own_page(page_cache, client, login, flask_requests):
    client.get(FINANCE)
    login(role="editor")
    staff = client.get(FINANCE)
    assert flask_requests() == 2 and "X-Cache" not in staff.headers
    assert staff.headers["Cache-Control"] == "private, no-store"


def test_a_flashed_message_is_shown(page_cache, client, flask_requests):
    client.get(FINANCE)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Guardado.")]
    flashed = client.get(FINANCE)
    assert flask_requests() == 2 and "Guardado." in flashed.get_data(as_text=True)


def test_a_session_holding_only_a_csrf_token_is_anonymous_enough(page_cache, client, flask_requests):
    client.get(FINANCE)
    with client.session_transaction() as session:
        session["csrf_token"] = "abc"
    assert client.get(FINANCE).headers["X-Cache"] == "hit" and flask_requests() == 1
    with client.session_transaction() as session:
        session["something"] = "else"
    client.get(FINANCE)
    assert flask_requests() == 2  # anything else in the session: Flask decides


def test_a_badly_signed_session_or_a_remember_cookie_goes_to_flask(page_cache, client, flask_requests):
    client.get(FINANCE)
    client.set_cookie("session", "forged.value.signature")
    client.get(FINANCE)
    assert flask_requests() == 2
    client.delete_cookie("session")
    client.set_cookie("remember_token", "1|abc")
    client.get(FINANCE)
    assert flask_requests() == 3
    client.delete_cookie("remember_token")
    client.get(FINANCE, headers={"Authorization": "Bearer x"})
    assert flask_requests() == 4
    client.get(FINANCE)
    assert flask_requests() == 4


def test_posts_and_pages_that_are_not_cached_go_to_flask(page_cache, client, flask_requests):
    client.get(FINANCE)
    client.post(FINANCE)
    assert flask_requests() == 2
    for _ in range(2):
        assert "X-Cache" not in client.get("/m/intipuca/reclamos/nuevo").headers
    assert client.get("/m/no-existe/finanzas/").status_code == 404
    assert flask_requests() == 5


def test_the_query_is_part_of_the_key(page_cache, client, flask_requests):
    client.get(FINANCE)
    client.get(FINANCE + "?a=1")
    assert flask_requests() == 2
    client.get(FINANCE + "?a=1")
    assert flask_requests() == 2


def test_rate_limits_still_apply_to_pages_that_are_not_cached(page_cache, app, client, flask_requests):
    from portal.extensions import limiter

    limiter.reset()
    client.get(FINANCE)
    codes = [client.post("/cuenta/entrar", data={"email": "nadie@example.org", "password": "x"},
                         environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code for _ in range(6)]
    assert codes[-1] == 429, codes
    limiter.reset()


def test_without_a_cache_everything_goes_to_flask(client, flask_requests):
    client.get(FINANCE)
    client.get(FINANCE)
    assert flask_requests() == 2


LANGUAGES = ("es", "en", "pt")
tags = st.sampled_from(["es", "en", "pt", "fr", "en-US", "pt-BR", "es-419", "*", "de-CH", "EN", "x"])
headers = st.lists(st.tuples(tags, st.sampled_from(["", ";q=0", ";q=0.5", ";q=1", ";q=0.9"])), max_size=4).map(
    lambda parts: ", ".join(tag + q for tag, q in parts))


@settings(max_examples=60, deadline=None)
@given(cookie=st.one_of(st.none(), tags), accept=st.one_of(st.none(), headers))
def test_the_layer_and_flask_babel_choose_the_same_language(app, cookie, accept):
    environ = {}
    if accept is not None:
        environ["HTTP_ACCEPT_LANGUAGE"] = accept
    with app.test_request_context("/", environ_base=environ,
                                  headers={"Cookie": f"lang={cookie}"} if cookie else {}):
        assert select_language() == choose_language(cookie, accept, LANGUAGES)
        from flask import request

        assert select_language() == (cookie if cookie in LANGUAGES
                                     else request.accept_languages.best_match(LANGUAGES) or "es")
