"""The DCAT catalogs checked with the official DCAT-AP 3.0.1 SHACL shapes (violations, the
recommended-property warnings, the class of every value (range) and the deprecated
IRIs): zero results on every page of the platform catalog
and on every municipality's catalog; the licence as a CKAN harvest maps it."""
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SH

from portal.opendata import catalog, datasets
from tests.opendata.test_catalog import LOCAL, graph_of

pyshacl = pytest.importorskip("pyshacl")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
# The licence URLs of CKAN's default licence register: what ckanext-dcat maps to a licence id.
CKAN_REGISTER = {"http://www.opendefinition.org/licenses/cc-by": "cc-by",
                 "http://www.opendefinition.org/licenses/cc-by-sa": "cc-by-sa",
                 "http://www.opendefinition.org/licenses/cc-zero": "cc-zero",
                 "http://www.opendefinition.org/licenses/odc-odbl": "odc-odbl"}


@pytest.fixture(scope="session")
def shapes(standards):
    graph = Graph()
    for name in ("3.0.1-shapes.ttl", "3.0.1-shapes_recommended.ttl", "3.0.1-range.ttl", "3.0.1-deprecateduris.ttl"):
        graph.parse(standards / "dcat-ap" / name, format="turtle")
    return graph


LOCN = Namespace("http://www.w3.org/ns/locn#")


def _place_without_geometry(data: Graph, report: Graph, result) -> bool:
    """The one result allowed: the range shapes want every ``dct:spatial`` value to be a
    ``dct:Location``, and a place whose coordinates are not recorded (or a country) is
    referred to by its IRI only (typed a Location without a geometry, it would draw the
    recommended centroid and bounding-box warnings instead). Recording the municipality's
    coordinates removes it (the demo's Intipucá)."""
    value = report.value(result, SH.value)
    return (report.value(result, SH.resultPath) == DCTERMS.spatial
            and "does not have class" in str(report.value(result, SH.resultMessage))
            and isinstance(value, URIRef) and data.value(value, LOCN.geometry) is None
            and (str(value).endswith("#location") or str(value).startswith(catalog.COUNTRIES)))


def shacl_results(data: Graph, shapes: Graph, allow_places_without_geometry: bool = True) -> list[str]:
    """Every violation and warning of the shapes on ``data``, one line each (but the range
    complaint about places without a recorded geometry, unless asked)."""
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if allow_places_without_geometry and _place_without_geometry(data, report, result):
            continue
        found.append(" | ".join(str(report.value(result, p)) for p in (
            SH.resultSeverity, SH.focusNode, SH.resultPath, SH.resultMessage)))
    return sorted(found)


def test_the_shapes_see_what_they_should(client, muni, shapes):
    """The check itself can fail: the literal place and the missing descriptions of before are caught."""
    _, graph = graph_of(client, "/m/intipuca/catalog.ttl", "turtle")
    dataset = URIRef(f"{LOCAL}/m/intipuca/datos/presupuesto")
    graph.remove((dataset, DCTERMS.spatial, None))
    graph.add((dataset, DCTERMS.spatial, Literal("Intipucá, SV")))
    graph.remove((URIRef(f"{dataset}#csv"), DCTERMS.description, None))
    licence = next(graph.objects(URIRef(f"{dataset}#csv"), DCTERMS.license))
    graph.remove((licence, RDF.type, None))  # a value whose class is not stated
    found = shacl_results(graph, shapes)
    assert any("Violation" in line and "spatial" in line for line in found), found
    assert any("Warning" in line and "#csv |" in line and "description" in line for line in found), found
    assert any("Violation" in line and "license" in line and "LicenseDocument" in line for line in found), found


FORMATS = [(ext, name) for ext, (name, _) in sorted(catalog.SERIALIZATIONS.items())]


@pytest.mark.parametrize("ext,fmt", FORMATS)
def test_every_page_of_the_platform_catalog_has_no_violation_nor_warning(client, make, shapes, ext, fmt):
    make.municipality(name="Zzz Última")  # the last page then holds a single municipality
    url, pages = f"/catalog.{ext}", 0
    while url:
        _, graph = graph_of(client, url, fmt)
        assert shacl_results(graph, shapes) == [], url
        collection = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        following = graph.value(collection, HYDRA.nextPage)
        url, pages = (str(following).replace(LOCAL, "") if following else None), pages + 1
    assert pages >= 2


@pytest.mark.parametrize("ext,fmt", FORMATS)
def test_every_municipal_catalog_has_no_violation_nor_warning(client, db, shapes, ext, fmt):
    from portal.municipalities.models import Municipality

    slugs = db.session.execute(db.select(Municipality.slug).order_by(Municipality.name)).scalars().all()
    assert len(slugs) >= 2
    for slug in slugs:
        _, graph = graph_of(client, f"/m/{slug}/catalog.{ext}", fmt)
        assert shacl_results(graph, shapes) == [], slug


def test_a_municipality_with_coordinates_is_a_located_place(app, muni, shapes):
    class Placed:
        slug, name, country, code, website = muni.slug, muni.name, "SV", "1409", ""
        latitude, longitude = 13.1853, -88.0575

    with app.test_request_context():
        graph = Graph()
        place = catalog.location(graph, Placed)
        dataset = URIRef(f"{LOCAL}/m/intipuca/datos/presupuesto")
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.spatial, place))
    assert (place, RDF.type, DCTERMS.Location) in graph
    assert str(graph.value(place, DCAT.centroid)) == "POINT(-88.0575 13.1853)"
    assert str(graph.value(place, DCTERMS.identifier)) == "1409"
    assert str(graph.value(place, DCTERMS.isPartOf)).endswith("/country/SLV")
    located = [line for line in shacl_results(graph, shapes) if "Location" in line or str(place) in line]
    assert located == []


def test_a_page_with_one_municipality_is_still_the_platform_catalog(app, client, make, monkeypatch):
    from portal.opendata import data_views

    lone = make.municipality(name="Zzz Sola")
    monkeypatch.setattr(data_views, "CATALOG_PAGE", 1)
    monkeypatch.setitem(app.config, "OPENDATA_LICENSES", {lone.slug: "CC0-1.0"})
    _, first = graph_of(client, "/catalog.ttl", "turtle")
    pages = int(first.value(next(first.subjects(RDF.type, HYDRA.PagedCollection)), HYDRA.totalItems))
    _, graph = graph_of(client, f"/catalog.ttl?page={pages}", "turtle")
    home = catalog_node = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert {str(d) for d in graph.objects(home, DCAT.dataset)} == {
        f"{LOCAL}/m/{lone.slug}/datos/{d.key}" for d in datasets.all_datasets()}
    publisher = graph.value(catalog_node, DCTERMS.publisher)
    assert str(publisher) == f"{LOCAL}/#publisher" and str(graph.value(publisher, FOAF.name)) == "Cabildo"
    assert str(graph.value(catalog_node, DCTERMS.license)) == CKAN_LICENSES_OF["CC-BY-4.0"]
    dataset = URIRef(f"{LOCAL}/m/{lone.slug}/datos/presupuesto")
    assert str(graph.value(graph.value(dataset, DCTERMS.publisher), FOAF.name)) == "Zzz Sola"
    assert str(graph.value(URIRef(f"{dataset}#csv"), DCTERMS.license)) == CKAN_LICENSES_OF["CC0-1.0"]


CKAN_LICENSES_OF = {"CC-BY-4.0": "http://www.opendefinition.org/licenses/cc-by",
                    "CC0-1.0": "http://www.opendefinition.org/licenses/cc-zero"}


@pytest.mark.parametrize("ext,fmt", FORMATS)
@pytest.mark.parametrize("licence,ckan_id", [("CC-BY-4.0", "cc-by"), ("CC-BY-SA-4.0", "cc-by-sa"),
                                             ("CC0-1.0", "cc-zero"), ("ODbL-1.0", "odc-odbl")])
def test_a_ckan_harvest_maps_the_licence(app, client, muni, monkeypatch, licence, ckan_id, ext, fmt):
    """ckanext-dcat's parser sets ``license_id`` from the first distribution whose
    dct:license is a licence URL of CKAN's register."""
    monkeypatch.setitem(app.config, "OPENDATA_LICENSES", {"intipuca": licence})
    _, graph = graph_of(client, f"/m/intipuca/catalog.{ext}", fmt)
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        ids = {CKAN_REGISTER.get(str(graph.value(d, DCTERMS.license)))
               for d in graph.objects(dataset, DCAT.distribution)}
        assert ids == {ckan_id}, dataset


def test_landing_pages_and_homepage_are_html_pages_of_their_own(client, muni):
    _, graph = graph_of(client, "/m/intipuca/catalog.ttl", "turtle")
    node = next(graph.subjects(RDF.type, DCAT.Catalog))
    pages = [graph.value(node, FOAF.homepage)]
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        page = graph.value(dataset, DCAT.landingPage)
        assert page != dataset
        pages.append(page)
    assert node not in pages
    for page in pages:
        answer = client.get(str(page).replace(LOCAL, ""))
        assert answer.status_code == 200 and answer.mimetype == "text/html", page


def test_the_api_service_lists_what_it_serves(client, muni):
    _, graph = graph_of(client, "/m/intipuca/catalog.ttl", "turtle")
    service = URIRef(f"{LOCAL}/api/v1/")
    assert set(graph.objects(service, DCAT.servesDataset)) == set(graph.subjects(RDF.type, DCAT.Dataset))
    assert graph.value(graph.value(service, DCTERMS.publisher), DCTERMS.type) is not None


@pytest.mark.parametrize("url,fmt", [("/m/intipuca/catalog.jsonld", "json-ld"), ("/m/intipuca/catalog.rdf", "xml"),
                                     ("/catalog.jsonld", "json-ld"), ("/catalog.rdf", "xml")])
def test_the_other_serializations_have_no_violation_nor_warning_either(client, muni, shapes, url, fmt):
    """JSON-LD and RDF/XML are built apart from the streamed Turtle: a harvester reading
    either gets a catalog that conforms as well."""
    _, graph = graph_of(client, url, fmt)
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) >= len(datasets.all_datasets())
    assert shacl_results(graph, shapes) == [], url


def test_the_demo_municipality_is_a_located_place_in_the_served_catalog(client, muni, shapes):
    """Intipucá records its centroid: its place is a dct:Location with locn:geometry, a
    centroid and a bounding box, and the shapes still find nothing."""
    _, graph = graph_of(client, "/m/intipuca/catalog.ttl", "turtle")
    place = URIRef(f"{LOCAL}/m/intipuca/#location")
    assert (place, RDF.type, DCTERMS.Location) in graph
    LOCN = Namespace("http://www.w3.org/ns/locn#")
    assert str(graph.value(place, LOCN.geometry)) == str(graph.value(place, DCAT.centroid)) == "POINT(-88.05 13.18)"
    assert str(graph.value(place, DCAT.bbox)) == \
        "POLYGON((-88.1 13.13,-88 13.13,-88 13.23,-88.1 13.23,-88.1 13.13))"  # exact decimals
    assert set(graph.objects(None, DCTERMS.spatial)) >= {place}
    assert shacl_results(graph, shapes, allow_places_without_geometry=False) == []  # every shape, no exception


def test_the_platform_catalogs_homepage_and_landing_pages_are_html_pages(client, muni):
    _, graph = graph_of(client, "/catalog.ttl", "turtle")
    node = next(graph.subjects(RDF.type, DCAT.Catalog))
    pages = {graph.value(node, FOAF.homepage)} | {graph.value(d, DCAT.landingPage)
                                                   for d in graph.subjects(RDF.type, DCAT.Dataset)}
    assert None not in pages and node not in pages
    assert not pages & set(graph.subjects(RDF.type, DCAT.Dataset))
    for page in pages:
        answer = client.get(str(page).replace(LOCAL, ""))
        assert answer.status_code == 200 and answer.mimetype == "text/html", page
