"""Atom feeds out (parsed with feedparser) and news feeds in (served from a local server)."""
import threading

import feedparser
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from portal.audit.services import acting_as
from portal.opendata import services
from portal.opendata.models import NewsItem


def test_site_feed_parses_cleanly(client, db, muni):
    with acting_as("editor"):
        muni.website = "https://intipuca.example"
        db.session.flush()
    db.session.flush()
    body = client.get("/feed.atom").get_data()
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.entries, "the demo's publications are entries"
    for entry in parsed.entries:
        assert entry.id and entry.title and entry.updated and entry.author
        assert entry.link.startswith("http")


def test_municipality_feed_and_topics(client, db, muni):
    response = client.get("/m/intipuca/feed.atom")
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.get_data())
    assert parsed.bozo == 0
    assert all("Intipucá" in e.title for e in parsed.entries)
    enclosures = [l.href for e in parsed.entries for l in e.links if l.rel == "enclosure"]
    assert enclosures
    data = client.get(enclosures[0].replace("http://localhost", "")).json
    assert data["hash"] and data["section"]
    topic = client.get("/m/intipuca/feed/finance.atom")
    assert topic.status_code == 200 and feedparser.parse(topic.get_data()).bozo == 0
    assert client.get("/m/intipuca/feed/nothing.atom").status_code == 404


def test_change_json_is_scoped_to_its_municipality(client, db, make):
    other = make.municipality()
    db.session.flush()
    from sqlalchemy import select

    from portal.audit.models import ChangeRecord

    record_id = db.session.execute(select(ChangeRecord.id).where(ChangeRecord.municipality_id == other.id)).scalars().first()
    assert client.get(f"/api/v1/municipalities/{other.slug}/changes/{record_id}").status_code == 200
    assert client.get(f"/api/v1/municipalities/intipuca/changes/{record_id}").status_code == 404


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Alcaldía de Intipucá</title><link>http://example.org/</link>
<item><guid>n-1</guid><title>Cabildo abierto el sábado</title><link>http://example.org/n1</link>
<description>&lt;p&gt;Plaza central&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</description>
<pubDate>Sat, 21 Nov 2026 10:00:00 GMT</pubDate></item>
<item><guid>n-2</guid><title>Campaña de vacunación</title><link>javascript:alert(3)</link></item>
</channel></rss>"""


@pytest.fixture
def feed_server(app, monkeypatch):
    """A feed server on the loopback, which the portal may read only because this test's
    settings list it (``OUTBOUND_ALLOWED_NETWORKS``; empty in a real installation)."""
    monkeypatch.setitem(app.config, "OUTBOUND_ALLOWED_NETWORKS", ("127.0.0.1/32",))
    hits = []

    @Request.application
    def app(request):
        hits.append(dict(request.headers))
        if request.path == "/broken":
            return Response("<html>not a feed", mimetype="text/html")
        if request.path == "/dated":
            stamp = "Sat, 21 Nov 2026 10:00:00 GMT"
            if request.headers.get("If-Modified-Since") == stamp:
                return Response(status=304)
            return Response(RSS, mimetype="application/rss+xml", headers={"Last-Modified": stamp})
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(RSS, mimetype="application/rss+xml", headers={"ETag": '"v1"'})

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_fetch_stores_new_items_once_sanitized_and_honours_etag(db, muni, feed_server, client):
    base, hits = feed_server
    feed = services.add_feed(muni, base + "/rss")
    assert services.fetch(feed) == 2
    assert services.fetch(feed) == 0
    assert feed.last_status == "not-modified"
    assert hits[-1].get("If-None-Match") == '"v1"'
    items = {i.guid: i for i in db.session.execute(db.select(NewsItem).filter_by(feed_id=feed.id)).scalars()}
    assert set(items) == {"n-1", "n-2"}
    assert "<script" not in items["n-1"].summary_html and "onerror" not in items["n-1"].summary_html
    assert "Plaza central" in items["n-1"].summary_html
    assert items["n-2"].link == ""  # javascript: links are dropped
    html = client.get("/m/intipuca/").get_data(as_text=True)
    assert "Noticias" in html and "Cabildo abierto el sábado" in html and "alert(1)" not in html


def test_broken_and_unreachable_feeds_are_recorded_not_raised(db, muni, feed_server, client):
    base, _ = feed_server
    broken = services.add_feed(muni, base + "/broken")
    services.fetch(broken)
    assert broken.last_status == "error" and broken.last_error == "not-a-feed"
    gone = services.add_feed(muni, "http://127.0.0.1:9/feed")
    services.fetch(gone, timeout=2)
    assert gone.last_status == "error" and gone.last_error
    assert client.get("/m/intipuca/").status_code == 200


def test_feeds_fetch_cli(runner, db, muni, feed_server):
    base, _ = feed_server
    services.add_feed(muni, base + "/rss")
    result = runner.invoke(args=["feeds", "fetch"])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output


def test_admin_sees_feed_errors(client, login, db, muni, feed_server):
    base, _ = feed_server
    login(role="admin", municipality=muni)
    response = client.post("/m/intipuca/admin/noticias/", data={"url": base + "/broken", "title": "Gaceta"})
    assert response.status_code == 302
    client.post("/m/intipuca/admin/noticias/leer")
    html = client.get("/m/intipuca/admin/noticias/").get_data(as_text=True)
    assert "Gaceta" in html and "no es un canal RSS o Atom" in html


def test_admin_form_keeps_bad_url(client, login, db, muni):
    login(role="admin", municipality=muni)
    html = client.post("/m/intipuca/admin/noticias/", data={"url": "not a url", "title": "X"}).get_data(as_text=True)
    assert 'value="not a url"' in html


@pytest.mark.parametrize("topic", sorted(services.topics()))
def test_every_topic_feed_parses_with_author_link_and_data_enclosures(client, db, muni, topic):
    assert set(services.topics()) == {"finance", "diagnostic", "roadmap", "budgeting", "surveys", "complaints"}
    parsed = feedparser.parse(client.get(f"/m/intipuca/feed/{topic}.atom").get_data())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries, f"the demo publishes {topic}"
    for entry in parsed.entries:
        assert entry.author and entry.id and entry.updated
        alternate = [link.href for link in entry.links if link.rel == "alternate"]
        enclosures = {link.type: link.href for link in entry.links if link.rel == "enclosure"}
        assert alternate and client.get(alternate[0].replace("http://localhost", "")).status_code == 200
        assert "application/json" in enclosures and "text/csv" in enclosures, enclosures
        data = client.get(enclosures["text/csv"].replace("http://localhost", ""))
        assert data.status_code == 200 and data.mimetype == "text/csv"
        assert data.get_data(as_text=True).count("\n") >= 2, "a header and rows"


def test_site_feed_entries_all_carry_their_data(client, muni):
    parsed = feedparser.parse(client.get("/feed.atom").get_data())
    assert parsed.bozo == 0 and parsed.entries
    for entry in parsed.entries:
        assert entry.author
        assert any(link.rel == "enclosure" for link in entry.links), entry.title


def test_fetch_honours_last_modified(db, muni, feed_server):
    base, hits = feed_server
    feed = services.add_feed(muni, base + "/dated")
    assert services.fetch(feed) == 2
    assert feed.modified == "Sat, 21 Nov 2026 10:00:00 GMT"
    assert services.fetch(feed) == 0 and feed.last_status == "not-modified"
    assert hits[-1].get("If-Modified-Since") == "Sat, 21 Nov 2026 10:00:00 GMT"
