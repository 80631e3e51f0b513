"""Keyset paging: every row once, in order, with a constant number of queries on every
page, on the platform home, the change history and the API's municipalities list."""
import re

from portal.core.pagination import decode_cursor, encode_cursor


def _next_link(html):
    found = re.search(r'<a rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_platform_home_walks_every_municipality_once_with_constant_queries(client, make, db, queries):
    for i in range(45):
        make.municipality(slug=f"keyset-{i:02d}", name=f"Zz Keyset {i:02d}")
    db.session.flush()
    url, seen, counts = "/?q=zz+keyset", [], []
    while url:
        with queries() as n:
            html = client.get(url).get_data(as_text=True)
            counts.append(n())
        seen += re.findall(r">Zz Keyset (\d\d)<", html)
        url = _next_link(html)
    assert seen == [f"{i:02d}" for i in range(45)]
    assert len(counts) == 3 and len(set(counts)) == 1
    assert "Página 3 de 3" in html


def test_history_pages_by_chain_position(client, muni, db):
    for i in range(30):
        muni.population = 8000 + i
        db.session.flush()
    first = client.get("/m/intipuca/historial").get_data(as_text=True)
    second = client.get(_next_link(first)).get_data(as_text=True)
    first_seqs = [int(s) for s in re.findall(r"/historial/(\d+)\"", first)]
    second_seqs = [int(s) for s in re.findall(r"/historial/(\d+)\"", second)]
    assert first_seqs and second_seqs
    assert max(second_seqs) < min(first_seqs)
    assert "Primera página" in second


def test_api_municipalities_next_cursor_and_page_agree(client, make, db):
    for i in range(12):
        make.municipality(slug=f"api-keyset-{i:02d}", name=f"Api Keyset {i:02d}")
    db.session.flush()
    body = client.get("/api/v1/municipalities?per_page=5").get_json()
    slugs, pages = [m["slug"] for m in body["items"]], 1
    while body["next"]:
        body = client.get(f"/api/v1/municipalities?per_page=5&after={body['next']}").get_json()
        slugs += [m["slug"] for m in body["items"]]
        pages += 1
    assert len(slugs) == len(set(slugs)) == body["total"]
    assert pages == body["pages"]
    by_page = client.get("/api/v1/municipalities?per_page=5&page=2").get_json()
    assert [m["slug"] for m in by_page["items"]] == slugs[5:10]


def test_cursor_round_trip_and_garbage():
    from datetime import datetime

    from portal.participation.complaints.models import Report

    key = (Report.created_at, Report.id)
    when = datetime(2026, 3, 1, 12, 30)
    assert decode_cursor(encode_cursor(4, [when, 17]), key) == (4, [when, 17])
    assert decode_cursor("not-a-cursor", key) is None
    assert decode_cursor(encode_cursor(2, [1]), key) is None


def _cursor_of(value) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


HOSTILE_CURSORS = [
    __import__("base64").urlsafe_b64encode(b"[" * 1100).decode(),  # nested without end
    _cursor_of([2, "\ud800", 1]), _cursor_of([2, "\udfff", "x", 1]),  # lone surrogates
    _cursor_of([2, {"a": 1}, 1]), _cursor_of([2, [1, 2], 1]), _cursor_of([2, None, None]),
    _cursor_of([2, 1e308, 1]), _cursor_of([2, "x" * 5000, 1]), "A" * 50_000, "%00", "",
]

KEYSET_URLS = ["/", "/m/intipuca/historial", "/api/v1/municipalities", "/comparar/semaforo",
               "/api/v1/semaforo", "/datos/"]


def test_no_cursor_breaks_a_keyset_page(client):
    """Whatever ``?after=`` holds, every keyset-paged list answers 200 or 400, never 500."""
    for url in KEYSET_URLS:
        for cursor in HOSTILE_CURSORS:
            status = client.get(url, query_string={"after": cursor}).status_code
            assert status in (200, 400, 404), (url, cursor[:40], status)


def test_decode_cursor_never_raises_on_any_json():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from portal.municipalities.models import Municipality

    key = (Municipality.name, Municipality.id)
    json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                               lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                               max_leaves=20)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(json_values, max_size=5), st.text(max_size=60))
    def check(values, text):
        import json

        try:
            raw = _cursor_of(values)
        except (ValueError, TypeError):
            return
        decoded = decode_cursor(raw, key)
        assert decoded is None or (decoded[0] >= 2 and isinstance(decoded[1][0], str))
        decode_cursor(text, key)
        json.dumps(decoded)

    check()
