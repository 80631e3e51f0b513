"""The data catalog: DCAT parsed back with rdflib and harvested like CKAN does (follow
every distribution), DCAT-AP mandatory fields, and data.json validated against the
Project Open Data v1.1 schema and the Latin American national metadata profile (both
vendored beside this file)."""
import csv
import io
import json
import warnings
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from openpyxl import load_workbook
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from portal.opendata import datasets

HERE = Path(__file__).parent
LOCAL = "http://localhost"


def graph_of(client, url, fmt):
    response = client.get(url)
    assert response.status_code == 200, url
    graph = Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=response.get_data(as_text=True), format=fmt)
    return response, graph


def fetch(client, url):
    assert url.startswith(LOCAL), url
    return client.get(url[len(LOCAL):])


def parse_body(response, media_type):
    body = response.get_data()
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows and rows[0]
        return rows
    if media_type.endswith("spreadsheetml.sheet"):
        return list(load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
    return json.loads(body)


def test_harvest_like_ckan_follows_every_distribution(client, muni):
    response, graph = graph_of(client, "/m/intipuca/catalog.ttl", "turtle")
    assert response.mimetype == "text/turtle"
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    found = list(graph.objects(catalog, DCAT.dataset))
    assert len(found) == len(datasets.all_datasets())
    followed = 0
    for dataset in found:
        for dist in graph.objects(dataset, DCAT.distribution):
            url = str(graph.value(dist, DCAT.downloadURL))
            media = str(graph.value(dist, DCAT.mediaType)).rsplit("media-types/", 1)[-1]
            answer = fetch(client, url)
            assert answer.status_code == 200, url
            assert parse_body(answer, media)
            assert fetch(client, str(graph.value(dist, DCAT.accessURL))).status_code == 200
            followed += 1
    assert followed == 6 * len(datasets.all_datasets())


REQUIRED_DATASET = (DCTERMS.title, DCTERMS.description, DCAT.distribution, DCTERMS.publisher, DCTERMS.license,
                    DCTERMS.issued, DCTERMS.modified, DCAT.keyword, DCAT.theme, DCAT.contactPoint,
                    DCTERMS.identifier)
REQUIRED_DISTRIBUTION = (DCAT.accessURL, DCAT.downloadURL, DCTERMS.format, DCAT.mediaType, DCTERMS.license)


@pytest.mark.parametrize("url,fmt", [("/catalog.ttl", "turtle"), ("/catalog.jsonld", "json-ld"),
                                     ("/catalog.rdf", "xml")])
def test_platform_catalog_has_the_mandatory_dcat_ap_fields(client, muni, url, fmt):
    _, graph = graph_of(client, url, fmt)
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert graph.value(catalog, DCTERMS.title) and graph.value(catalog, DCTERMS.publisher)
    assert graph.value(catalog, DCAT.service) is not None
    found = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(found) >= 4 * len(datasets.all_datasets())
    for dataset in found:
        for prop in REQUIRED_DATASET:
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        assert str(graph.value(dataset, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
        assert str(graph.value(dataset, DCAT.theme)).startswith(
            "http://publications.europa.eu/resource/authority/data-theme/")
        assert graph.value(graph.value(dataset, DCTERMS.publisher), FOAF.name)
        for dist in graph.objects(dataset, DCAT.distribution):
            for prop in REQUIRED_DISTRIBUTION:
                assert graph.value(dist, prop) is not None, (dist, prop)


def test_serializations_hold_the_same_triples_and_uris_are_stable(client, muni):
    graphs = [graph_of(client, f"/m/intipuca/catalog.{ext}", fmt)[1]
              for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml"))]
    assert len({len(g) for g in graphs}) == 1
    uri = URIRef(f"{LOCAL}/m/intipuca/datos/presupuesto")
    assert (uri, RDF.type, DCAT.Dataset) in graphs[0]
    assert client.get("/m/intipuca/datos/presupuesto").status_code == 200
    again = graph_of(client, "/m/intipuca/catalog.ttl", "turtle")[1]
    assert set(again.subjects(RDF.type, DCAT.Dataset)) == set(graphs[0].subjects(RDF.type, DCAT.Dataset))


def test_modified_follows_the_change_record(client, db, muni):
    from portal.audit.services import acting_as
    from portal.finance.models import BudgetLine

    line = db.session.execute(db.select(BudgetLine).filter_by(municipality_id=muni.id)).scalars().first()
    with acting_as("editor"):
        line.name = line.name + " (corregido)"
        db.session.flush()
    from portal.audit.models import ChangeRecord

    latest = db.session.execute(db.select(ChangeRecord).filter_by(municipality_id=muni.id, section="finance")
                                .order_by(ChangeRecord.id.desc())).scalars().first()
    _, graph = graph_of(client, "/m/intipuca/catalog.ttl", "turtle")
    modified = graph.value(URIRef(f"{LOCAL}/m/intipuca/datos/presupuesto"), DCTERMS.modified)
    assert modified.toPython().replace(tzinfo=None) == latest.created_at.replace(microsecond=0)


def pointer_refs(node):
    """The profile's schemas write ``mixed-types.json#name``, which old resolvers read as the
    JSON pointer ``#/name``; modern ``referencing`` reads it as an anchor. Spell it as a pointer."""
    if isinstance(node, dict):
        return {k: (v.replace("#", "#/", 1) if k == "$ref" and "#" in v and "#/" not in v and not v.endswith("#")
                    else pointer_refs(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [pointer_refs(v) for v in node]
    return node


def validator(folder: str, main: str) -> Draft4Validator:
    resources = []
    for path in (HERE / folder).glob("*.json"):
        schema = pointer_refs(json.loads(path.read_text(encoding="utf-8")))
        if not isinstance(schema, dict):
            continue  # taxonomies (lists of values), not schemas
        resources.append((path.name, Resource.from_contents(schema, default_specification=DRAFT4)))
        if schema.get("id"):
            resources.append((schema["id"].rstrip("#"), Resource.from_contents(schema, default_specification=DRAFT4)))
    registry = Registry().with_resources(resources)
    schema = pointer_refs(json.loads((HERE / folder / main).read_text(encoding="utf-8")))
    return Draft4Validator(schema, registry=registry, format_checker=FormatChecker())


@pytest.mark.parametrize("url", ["/data.json", "/m/intipuca/data.json"])
def test_data_json_satisfies_project_open_data_and_the_latin_american_profile(client, muni, url):
    document = client.get(url).json
    pod = validator("pod_schema", "catalog.json")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in pod.iter_errors(document)]
    assert not errors, errors[:5]
    profile = validator("latam_profile", "catalog.json")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in profile.iter_errors(document)]
    assert not errors, errors[:5]
    required = validator("latam_profile", "required_fields_schema.json")
    assert not list(required.iter_errors(document))
    first = document["dataset"][0]
    assert first["superTheme"] == ["ECON"] and first["accrualPeriodicity"] == "R/P1Y"
    assert first["distribution"][0]["field"][0]["title"] == "anio"
    for dist in first["distribution"]:
        assert fetch(client, dist["downloadURL"]).status_code == 200


def test_data_json_schema_rejects_what_it_should(client, muni):
    document = client.get("/m/intipuca/data.json").json
    del document["dataset"][0]["superTheme"]
    document["dataset"][1]["accessLevel"] = "secret"
    assert list(validator("latam_profile", "catalog.json").iter_errors(document))
    assert list(validator("pod_schema", "catalog.json").iter_errors(document))


def test_catalog_of_unknown_municipality_or_format(client):
    assert client.get("/m/nowhere/catalog.ttl").status_code == 404
    assert client.get("/m/intipuca/catalog.n3").status_code == 404


@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")])
def test_platform_catalog_pages_like_ckan_expects(app, client, muni, make, monkeypatch, ext, fmt):
    from portal.opendata import data_views
    from portal.opendata.catalog import HYDRA

    for _ in range(3):
        make.municipality()
    monkeypatch.setattr(data_views, "CATALOG_PAGE", 2)
    url, seen, pages = f"/catalog.{ext}", set(), 0
    while url:
        assert f"/catalog.{ext}" in url  # each format's pages link to that format's
        _, graph = graph_of(client, url.replace(LOCAL, ""), fmt)
        seen |= set(graph.subjects(RDF.type, DCAT.Dataset))
        collection = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        total = int(graph.value(collection, HYDRA.totalItems))
        nxt = graph.value(collection, HYDRA.nextPage)
        url, pages = (str(nxt) if nxt else None), pages + 1
    assert pages == (total + 1) // 2 and total >= 7
    assert len(seen) == total * len(datasets.all_datasets())
    assert client.get("/catalog.ttl?page=99").status_code == 404
