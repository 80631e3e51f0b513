"""The platform home and a municipality's home run a constant number of SQL queries
whatever the amount of data."""


def _count(queries, client, url):
    with queries() as n:
        assert client.get(url).status_code == 200
        return n()


def test_platform_home_queries_do_not_grow(client, make, db, queries):
    before = _count(queries, client, "/")
    for _ in range(30):
        make.municipality(districts=["Norte", "Sur"])
    db.session.flush()
    assert _count(queries, client, "/") == before


def test_municipality_home_queries_do_not_grow(client, make, db, muni, queries):
    from portal.opendata.models import NewsFeed, NewsItem

    before = _count(queries, client, "/m/intipuca/")
    feed = NewsFeed(municipality_id=muni.id, url="http://example.org/feed", title="")  # never fetched
    db.session.add(feed)
    db.session.flush()
    for i in range(30):
        db.session.add(NewsItem(feed_id=feed.id, municipality_id=muni.id, guid=f"g{i}", title=f"t{i}"))
        muni.population = 7000 + i  # each change adds to the record
        db.session.flush()
    db.session.flush()
    assert _count(queries, client, "/m/intipuca/") == before
