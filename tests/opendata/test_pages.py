"""The "Datos abiertos" pages and the catalog: what they list, their links, and SQL
queries that do not grow with the number of municipalities."""
import pytest

from portal.opendata import datasets

PLATFORM = ["/datos/", "/catalog.ttl", "/data.json", "/api/v1/datasets?limit=1000"]
MUNICIPAL = ["/m/intipuca/datos/", "/m/intipuca/datos/presupuesto", "/m/intipuca/catalog.ttl",
             "/m/intipuca/data.json", "/api/v1/municipalities/intipuca/datasets"]


def test_municipality_page_lists_every_dataset_with_formats_licence_and_links(client, muni):
    html = client.get("/m/intipuca/datos/").get_data(as_text=True)
    for dataset in datasets.all_datasets():
        assert dataset.title in html
        assert f"/api/v1/municipalities/intipuca/datasets/{dataset.key}/data.csv" in html
        assert f"/api/v1/municipalities/intipuca/datasets/{dataset.key}/datapackage.json" in html
    assert html.count('rel="license"') == len(datasets.all_datasets()) and "CC-BY-4.0" in html
    for link in ("/m/intipuca/catalog.ttl", "/m/intipuca/catalog.jsonld", "/m/intipuca/catalog.rdf",
                 "/m/intipuca/data.json", "/api/v1/municipalities/intipuca/datasets", "/api/v1/openapi.json",
                 "/m/intipuca/feed.atom", "/m/intipuca/feed/finance.atom"):
        assert f'href="{link}"' in html or f'href="http://localhost{link}"' in html, link
    assert "/m/intipuca/datos/" in client.get("/m/intipuca/").get_data(as_text=True)


def test_dataset_page_lists_its_columns_in_both_languages(client, muni):
    html = client.get("/m/intipuca/datos/presupuesto").get_data(as_text=True)
    for column in datasets.get("presupuesto").columns:
        assert f'lang="es">{column.es}</code>' in html and f'lang="en">{column.name}</code>' in html
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


def test_platform_page_walks_every_municipality_once(client, muni, make, monkeypatch):
    from portal.opendata import data_views

    names = {make.municipality().name for _ in range(4)} | {"Intipucá"}
    monkeypatch.setattr(data_views, "DATOS_PAGE", 2)
    url, seen, pages = "/datos/", [], 0
    while url:
        html = client.get(url).get_data(as_text=True)
        assert html.count('<section class="card"') <= 2
        seen += [n for n in names if f">{n}</a></h3>" in html]
        url = html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&") if 'rel="next"' in html else None
        pages += 1
    assert sorted(seen) == sorted(names) and pages >= 3


def test_platform_datasets_api_pages_across_municipalities(client, muni, make):
    for _ in range(3):
        make.municipality()
    whole = client.get("/api/v1/datasets?limit=1000").json
    assert whole["total"] == len(whole["items"]) and whole["next"] is None
    walked, url = [], "/api/v1/datasets?limit=7&offset=3"
    while url:
        page = client.get(url.replace("http://localhost", "")).json
        assert page["total"] == whole["total"] and len(page["items"]) <= 7
        walked += [(i["municipality"], i["key"]) for i in page["items"]]
        url = page["next"]
    assert walked == [(i["municipality"], i["key"]) for i in whole["items"]][3:]
    finance = client.get("/api/v1/datasets?topic=finance&limit=3&offset=2").json
    expected = [i for i in whole["items"] if i["topic"] == "finance"][2:5]
    assert [(i["municipality"], i["key"]) for i in finance["items"]] == [(i["municipality"], i["key"]) for i in expected]


def test_platform_data_json_streams_every_dataset_and_moves_its_etag_on_publication(client, db, muni, make):
    import json

    from portal.audit.services import acting_as

    make.municipality()
    first = client.get("/data.json")
    document = json.loads(first.get_data(as_text=True))
    slugs = {d["identifier"].split("/m/")[1].split("/")[0] for d in document["dataset"]}
    from portal.municipalities.models import Municipality
    assert len(document["dataset"]) == len(slugs) * len(datasets.all_datasets())
    assert slugs == set(db.session.execute(db.select(Municipality.slug)).scalars())
    assert document["modified"] == max(d["modified"] for d in document["dataset"])
    assert client.get("/data.json", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with acting_as("staff"):
        muni.contact = "alcaldia@intipuca.example"
        db.session.flush()
    db.session.commit()
    changed = client.get("/data.json", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert "alcaldia@intipuca.example" in changed.get_data(as_text=True)


def test_the_streamed_platform_data_json_equals_the_document_built_whole_byte_for_byte(client, db, make):
    """Streamed a batch of municipalities at a time (the response is generated, never held
    whole), the platform data.json is the very text of the whole document written at once."""
    import json

    from portal.municipalities.models import Municipality
    from portal.opendata import data_views, datajson

    for n in range(3):
        make.municipality(name=f"Zeta {n}")  # more than one batch below
    response = client.get("/data.json")
    assert response.is_streamed
    with client.application.test_request_context("/data.json"):
        from flask import url_for
        from flask_babel import gettext as _

        everyone = list(db.session.execute(data_views._municipalities_statement()
                                           .order_by(Municipality.name, Municipality.id)).scalars())
        assert len(everyone) > 2
        whole = datajson.document(everyone, _("Cabildo: datos abiertos de los municipios"),
                                  _("Todos los conjuntos de datos que publican los municipios del portal."),
                                  url_for("opendata_catalog.data_json", _external=True),
                                  url_for("opendata_catalog.platform_page", _external=True))
        in_small_batches = "".join(datajson.stream(
            data_views._batches(size=2), _("Cabildo: datos abiertos de los municipios"),
            _("Todos los conjuntos de datos que publican los municipios del portal."),
            url_for("opendata_catalog.data_json", _external=True),
            url_for("opendata_catalog.platform_page", _external=True)))
    written_whole = json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
    assert response.get_data(as_text=True) == written_whole
    assert in_small_batches == written_whole


def test_a_full_page_of_the_data_index_stays_under_60_kb(client):
    """``/datos/`` shows :data:`DATOS_PAGE` municipalities a page; with every one as full as
    the demo's fullest (every dataset declared by every domain), the HTML stays under the
    60 KB page budget."""
    import re

    from portal.opendata import data_views

    html = client.get("/datos/").get_data(as_text=True)
    cards = re.findall(r'<section class="card" aria-labelledby="m-[^"]+">.*?</section>', html, re.S)
    fullest = max(len(card.encode()) for card in cards)
    assert max(card.count("<li>") for card in cards) >= 10  # the measure is of a full card
    rest = len(html.encode()) - sum(len(card.encode()) for card in cards)
    assert rest + data_views.DATOS_PAGE * fullest < 60 * 1024, (fullest, rest)
