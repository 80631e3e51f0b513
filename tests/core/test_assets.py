"""Compressed responses and fingerprinted, long-lived static URLs."""
import gzip
import re
from pathlib import Path

import brotli
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.core.assets import HASH_LENGTH, fingerprinted, split_fingerprint

STATIC = Path(__file__).resolve().parents[2] / "static"
NAME = st.builds(lambda stem, ext: stem + ext, st.text("abcxyz019_-", min_size=1, max_size=10).map(lambda t: "s" + t),
                 st.sampled_from(["", ".css", ".js", ".svg", ".png", ".webmanifest"]))
DIGEST = st.text("0123456789abcdef", min_size=12, max_size=12)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(folder=st.sampled_from(["", "offline/", "a/b/"]), name=NAME, digest=DIGEST)
def test_fingerprint_round_trip(folder, name, digest):
    named = fingerprinted(folder + name, digest)
    assert digest in named and named.startswith(folder)
    if "." in name:  # the plain name comes back; extension-less names keep their suffix
        assert split_fingerprint(named) == (folder + name, digest)


@pytest.mark.parametrize("name", ["cabildo.css", "offline/queue.js", "icon.svg", "cabildo.12345.css",
                                  "cabildo.5edfa907b7bz.css"])
def test_plain_names_have_no_fingerprint(name):
    assert split_fingerprint(name) == (name, None)


def _static_urls(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_fingerprinted_static_files_cached_for_a_year(client):
    html = client.get("/m/intipuca/").get_data(as_text=True)
    urls = _static_urls(html)
    assert {"/static/cabildo.css", "/static/offline/queue.js"} & set(urls) == set()
    assert any(re.fullmatch(rf"/static/cabildo\.[0-9a-f]{{{HASH_LENGTH}}}\.css", u) for u in urls)
    for url in urls:
        response = client.get(url)
        plain, digest = split_fingerprint(url.removeprefix("/static/"))
        assert response.status_code == 200 and digest is not None
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.get_data() == (STATIC / plain).read_bytes()


def test_plain_and_outdated_names_still_answer_but_are_revalidated(client):
    plain = client.get("/static/cabildo.css")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert plain.get_data() == (STATIC / "cabildo.css").read_bytes()
    again = client.get("/static/cabildo.css", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304
    old = client.get("/static/cabildo.000000000000.css")
    assert old.status_code == 200 and old.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/../wsgi.py").status_code == 404
    assert client.get("/static/missing.000000000000.css").status_code == 404


@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_static_text_is_sent_compressed_when_accepted(client, encoding, decode):
    css = client.get("/m/intipuca/").get_data(as_text=True)
    url = next(u for u in _static_urls(css) if u.endswith(".css"))
    response = client.get(url, headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding and "Accept-Encoding" in response.headers["Vary"]
    body = response.get_data()
    assert len(body) < len((STATIC / "cabildo.css").read_bytes()) / 2
    assert decode(body) == (STATIC / "cabildo.css").read_bytes()
    png = client.get("/static/offline/icon-192.png", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in png.headers  # images are sent as they are


@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_html_and_json_are_compressed_when_accepted(client, encoding, decode):
    plain = client.get("/m/intipuca/finanzas/").get_data()
    response = client.get("/m/intipuca/finanzas/", headers={"Accept-Encoding": f"{encoding}"})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decode(response.get_data()) == plain and len(response.get_data()) < len(plain) / 3
    api = client.get("/api/v1/municipalities", headers={"Accept-Encoding": "gzip"})
    assert api.headers["Content-Encoding"] == "gzip" and gzip.decompress(api.get_data()).startswith(b"{")


def test_the_page_cache_keeps_plain_pages(client, memory_cache):
    first = client.get("/m/intipuca/finanzas/", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip" and first.headers.get("X-Cache") == "miss"
    hit = client.get("/m/intipuca/finanzas/")  # a browser that asks for no compression
    assert hit.headers.get("X-Cache") == "hit" and "Content-Encoding" not in hit.headers
    assert gzip.decompress(first.get_data()) == hit.get_data()
    compressed_hit = client.get("/m/intipuca/finanzas/", headers={"Accept-Encoding": "br"})
    assert compressed_hit.headers["Content-Encoding"] == "br"
    assert brotli.decompress(compressed_hit.get_data()) == hit.get_data()


def test_service_worker_shell_uses_the_fingerprinted_urls(client):
    body = client.get("/sw.js").get_data(as_text=True)
    shell = re.search(r"var SHELL_URLS = \[(.*)\];", body).group(1)
    css = next(u for u in _static_urls(client.get("/").get_data(as_text=True)) if u.endswith(".css"))
    assert f'"{css}"' in shell
    version = re.search(r'var VERSION = "([^"]+)"', body).group(1)
    assert re.fullmatch(r"\d+-[0-9a-f]{8}", version)  # changes with the shell's files
