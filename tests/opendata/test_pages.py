"""The "Datos abiertos" pages and the catalog: what they list, their links, and SQL
queries that do not grow with the number of municipalities."""
import pytest

from portal.opendata import datasets

PLATFORM = ["/datos/", "/catalog.ttl", "/data.json", "/api/v1/datasets?limit=1000"]
MUNICIPAL = ["/m/intipuca/datos/", "/m/intipuca/datos/presupuesto", "/m/intipuca/catalog.ttl",
             "/m/intipuca/data.json", "/api/v1/municipalities/intipuca/datasets"]


def test_municipality_page_lists_every_dataset_with_formats_licence_and_links(client, muni):
    html = client.get("/m/intipuca/datos/").get_data(as_text=True)
    for dataset in datasets.DATASETS:
        assert dataset.title in html
        assert f"/api/v1/municipalities/intipuca/datasets/{dataset.key}/data.csv" in html
        assert f"/api/v1/municipalities/intipuca/datasets/{dataset.key}/datapackage.json" in html
    assert html.count('rel="license"') == len(datasets.DATASETS) and "CC-BY-4.0" in html
    for link in ("/m/intipuca/catalog.ttl", "/m/intipuca/catalog.jsonld", "/m/intipuca/catalog.rdf",
                 "/m/intipuca/data.json", "/api/v1/municipalities/intipuca/datasets", "/api/v1/openapi.json",
                 "/m/intipuca/feed.atom", "/m/intipuca/feed/finance.atom"):
        assert f'href="{link}"' in html or f'href="http://localhost{link}"' in html, link
    assert "/m/intipuca/datos/" in client.get("/m/intipuca/").get_data(as_text=True)


def test_dataset_page_lists_its_columns_in_both_languages(client, muni):
    html = client.get("/m/intipuca/datos/presupuesto").get_data(as_text=True)
    for column in datasets.get("presupuesto").columns:
        assert f"<code>{column.es}</code>" in html and f"<code>{column.name}</code>" in html
    assert client.get("/m/intipuca/datos/nothing").status_code == 404


def test_platform_page_lists_every_municipality(client, muni, make):
    other = make.municipality(name="Villa Nueva")
    html = client.get("/datos/").get_data(as_text=True)
    assert "Intipucá" in html and "Villa Nueva" in html
    assert f"/m/{other.slug}/datos/presupuesto" in html
    assert "/catalog.ttl" in html and "/data.json" in html


def test_catalog_and_data_json_answer_conditional_gets(client, muni):
    for url in ("/m/intipuca/catalog.ttl", "/data.json"):
        first = client.get(url)
        assert first.headers["Access-Control-Allow-Origin"] == "*"
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, url


def _count(client, queries, url):
    client.get(url)
    with queries() as n:
        assert client.get(url).status_code == 200, url
        return n()


@pytest.mark.parametrize("url", PLATFORM + MUNICIPAL)
def test_queries_do_not_grow_with_municipalities(client, db, muni, make, queries, url):
    before = _count(client, queries, url)
    for _ in range(5):
        make.municipality()
    db.session.flush()
    assert _count(client, queries, url) == before, url
