"""News feeds cannot make the server read its own network (server-side request forgery),
with real HTTP servers on the loopback: refused before any connection, after a redirect,
after a changed DNS answer; bounded in time and size; errors that reveal nothing."""
import socket
import threading
import time

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from portal.core import outbound
from portal.opendata import services
from portal.opendata.models import NewsFeed

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Gaceta</title>
<item><guid>g-1</guid><title>Noticia del puerto</title><link>http://example.org/1</link></item></channel></rss>"""


def serve(host="127.0.0.1", redirect_to=None, delay=0, size=0):
    """A real HTTP server; returns (base URL, list of requests seen, stop)."""
    hits = []

    @Request.application
    def app(request):
        hits.append({"path": request.path, "host": request.headers.get("Host")})
        if redirect_to and request.path == "/salta":
            return Response(status=302, headers={"Location": redirect_to})
        if delay:
            time.sleep(delay)
        if size:
            return Response(b"<rss>" + b" " * size, mimetype="application/rss+xml")
        return Response(RSS, mimetype="application/rss+xml")

    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://{host}:{server.server_port}", hits, server.shutdown


@pytest.fixture
def servers():
    started = []

    def start(**kwargs):
        base, hits, stop = serve(**kwargs)
        started.append(stop)
        return base, hits
    yield start
    for stop in started:
        stop()


def _allow(app, monkeypatch, *networks):
    monkeypatch.setitem(app.config, "OUTBOUND_ALLOWED_NETWORKS", networks)


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "10.1.2.3", "192.168.1.1", "172.16.0.5",
                                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]", "[::ffff:127.0.0.1]",
                                     "[fd00::1]", "224.0.0.1"])
def test_non_public_addresses_are_refused_on_save(db, muni, address):
    with pytest.raises(services.FeedError) as refused:
        services.add_feed(muni, f"http://{address}:8080/feed")
    assert refused.value.code == "address"


@pytest.mark.parametrize("url, code", [("ftp://example.org/feed", "scheme"), ("file:///etc/passwd", "scheme"),
                                       ("gopher://127.0.0.1:70/", "scheme"), ("http:///nohost", "scheme"),
                                       ("http://user:pw@example.org/", "address"),
                                       ("http://example.org:99999/", "scheme"),
                                       ("http://no-such-host.invalid/", "unresolvable")])
def test_other_schemes_credentials_and_bad_hosts_are_refused(db, muni, url, code):
    with pytest.raises(services.FeedError) as refused:
        services.add_feed(muni, url)
    assert refused.value.code == code


def test_a_loopback_server_is_never_contacted(db, muni, servers):
    base, hits = servers()
    feed = NewsFeed(municipality_id=muni.id, url=base + "/rss", title="")  # stored before the check existed
    db.session.add(feed)
    db.session.flush()
    assert services.fetch(feed) == 0
    assert feed.last_status == "error" and feed.last_error == "address"
    assert hits == []


def test_a_redirect_to_a_private_address_is_refused(app, db, muni, servers, monkeypatch):
    inner_base, inner_hits = servers(host="127.0.0.2")  # another loopback address, not allowed
    outer_base, outer_hits = servers(redirect_to=inner_base + "/rss")
    _allow(app, monkeypatch, "127.0.0.1/32")
    feed = services.add_feed(muni, outer_base + "/salta")
    assert services.fetch(feed) == 0
    assert feed.last_error == "address"
    assert [hit["path"] for hit in outer_hits] == ["/salta"] and inner_hits == []
    _allow(app, monkeypatch, "127.0.0.1/32", "127.0.0.2/32")  # the same redirect, allowed: followed
    assert services.fetch(feed) == 1 and inner_hits


def test_the_connection_goes_to_the_address_that_was_checked(app, db, muni, servers, monkeypatch):
    """A name whose DNS answer changes between the check and the connection (rebinding)
    cannot switch the request to another address: the name is resolved once."""
    allowed_base, allowed_hits = servers()
    other_base, other_hits = servers(host="127.0.0.2")
    port = int(allowed_base.rsplit(":", 1)[1])
    _allow(app, monkeypatch, "127.0.0.1/32")
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["127.0.0.2"] * 10)

    def rebinding_dns(host, *args, **kwargs):
        if host == "noticias.example":
            return real(next(answers), *args, **kwargs)
        return real(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    feed = NewsFeed(municipality_id=muni.id, url=f"http://noticias.example:{port}/rss", title="")
    db.session.add(feed)
    db.session.flush()
    assert services.fetch(feed) == 1
    assert allowed_hits == [{"path": "/rss", "host": f"noticias.example:{port}"}] and other_hits == []


def test_time_and_size_are_bounded(app, db, muni, servers, monkeypatch):
    slow_base, _ = servers(delay=5)
    big_base, _ = servers(host="127.0.0.3", size=6_000_000)
    _allow(app, monkeypatch, "127.0.0.0/8")
    slow = services.add_feed(muni, slow_base + "/rss")
    started = time.monotonic()
    services.fetch(slow, timeout=1)
    assert time.monotonic() - started < 3 and slow.last_error == "unreachable"
    big = services.add_feed(muni, big_base + "/rss")
    services.fetch(big)
    assert big.last_error == "too-large"


def test_errors_do_not_tell_a_closed_port_from_a_silent_one(app, db, muni, servers, monkeypatch):
    _allow(app, monkeypatch, "127.0.0.0/8")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nobody listens there: connection refused
    silent_base, _ = servers(delay=5)
    refused = services.add_feed(muni, f"http://127.0.0.1:{port}/rss")
    silent = services.add_feed(muni, silent_base + "/rss")
    services.fetch(refused, timeout=1)
    services.fetch(silent, timeout=1)
    assert refused.last_error == silent.last_error == "unreachable"


def test_the_admin_form_refuses_a_private_address_and_keeps_it(client, login, db, muni):
    login(role="admin", municipality=muni)
    response = client.post("/m/intipuca/admin/noticias/", data={"url": "http://127.0.0.1:6379/", "title": "X"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Esa dirección no es pública" in page
    assert 'value="http://127.0.0.1:6379/"' in page
    assert services.feeds_of(muni) == []


def test_the_admin_page_shows_a_sentence_never_the_network_error(client, login, db, muni, app, monkeypatch):
    login(role="admin", municipality=muni)
    feed = NewsFeed(municipality_id=muni.id, url="http://127.0.0.1:22/", title="Viejo",
                    last_status="error", last_error="ConnectionRefusedError: [Errno 111] Connection refused")
    db.session.add(feed)
    db.session.flush()
    client.post("/m/intipuca/admin/noticias/leer", data={"timeout": "abc"})
    page = client.get("/m/intipuca/admin/noticias/").get_data(as_text=True)
    assert "Errno" not in page and "Connection refused" not in page
    assert "Esa dirección no es pública" in page


def test_a_timeout_in_the_form_is_ignored_not_a_500(client, login, db, muni):
    login(role="admin", municipality=muni)
    response = client.post("/m/intipuca/admin/noticias/leer", data={"timeout": "abc"})
    assert response.status_code == 302


@pytest.mark.parametrize("address, public", [("8.8.8.8", True), ("2001:4860:4860::8888", True),
                                             ("127.0.0.1", False), ("::ffff:10.0.0.1", False),
                                             ("2002:7f00:1::", False), ("fe80::1%eth0", False)])
def test_is_public(address, public):
    assert outbound.is_public(address) is public
