"""The data catalog: DCAT (DCAT-AP fields) built with rdflib, served as Turtle, JSON-LD
and RDF/XML, and ``data.json`` (Project Open Data v1.1, with the fields of the Latin
American national metadata profile: superTheme, accrualPeriodicity, issued, distribution
identifiers and fields).

Stable URIs: the catalog is its "Datos abiertos" page (``/datos/`` or
``/m/<slug>/datos/``); a dataset is ``/m/<slug>/datos/<key>``; its distributions are that
URI with a fragment (``#csv``, ``#csv-en``, ``#xlsx``, ``#xlsx-en``, ``#json``,
``#datapackage``); a publisher is ``/m/<slug>/#publisher``.
"""
from dataclasses import dataclass

from flask import url_for
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from portal.core.text import clean_text
from portal.opendata import catalog_dates, datasets
from portal.opendata.downloads import XLSX, license_of

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
LANGUAGE = URIRef("http://publications.europa.eu/resource/authority/language/SPA")
IANA = "https://www.iana.org/assignments/media-types/"
PERIODICITY = {"R/P1Y": "ANNUAL", "R/P1M": "MONTHLY", "R/P1D": "DAILY"}
THEME_LABELS = {"ECON": ("Economía y finanzas", "Economy and finance"),
                "GOVE": ("Gobierno y sector público", "Government and public sector"),
                "SOCI": ("Población y sociedad", "Population and society")}


@dataclass(frozen=True)
class Distribution:
    id: str  # fragment
    title: str
    url: str
    format: str  # EU file type
    media_type: str


def dataset_uri(municipality, dataset) -> str:
    return url_for("opendata_pages.dataset", slug=municipality.slug, key=dataset.key, _external=True)


def distributions(municipality, dataset) -> list[Distribution]:
    def api(endpoint, **values):
        return url_for(endpoint, slug=municipality.slug, key=dataset.key, _external=True, **values)
    return [
        Distribution("csv", "CSV (encabezados en español)", api("datasets_api.csv_es"), "CSV", "text/csv"),
        Distribution("csv-en", "CSV (English headers)", api("datasets_api.csv_en"), "CSV", "text/csv"),
        Distribution("xlsx", "XLSX (encabezados en español)", api("datasets_api.xlsx_es"), "XLSX", XLSX),
        Distribution("xlsx-en", "XLSX (English headers)", api("datasets_api.xlsx_en"), "XLSX", XLSX),
        Distribution("json", "JSON (API, paginado)", api("datasets_api.rows"), "JSON", "application/json"),
        Distribution("datapackage", "Data Package (datapackage.json)", api("datasets_api.package"), "JSON",
                     "application/json"),
    ]


def _iso(moment):
    return moment.replace(microsecond=0).isoformat() + "Z"


def _publisher(graph: Graph, municipality) -> URIRef:
    home = url_for("municipality.home", slug=municipality.slug, _external=True)
    agent = URIRef(home + "#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(municipality.name)))
    graph.add((agent, FOAF.homepage, URIRef(municipality.website or home)))
    graph.add((agent, DCTERMS.spatial, Literal(f"{municipality.name}, {municipality.country}")))
    if municipality.code:  # the national statistics code, as harvesters match municipalities
        graph.add((agent, DCTERMS.identifier, Literal(f"{municipality.country}-{municipality.code}")))
    return agent


def _contact(graph: Graph, municipality):
    node = BNode()
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(municipality.name)))
    email = contact_email(municipality)
    if email:
        graph.add((node, VCARD.hasEmail, URIRef("mailto:" + email)))
    graph.add((node, VCARD.hasURL, URIRef(municipality.website or url_for(
        "municipality.home", slug=municipality.slug, _external=True))))
    return node


def contact_email(municipality) -> str:
    text = (municipality.contact or "").strip()
    for word in text.replace(",", " ").replace(";", " ").split():
        word = word.removeprefix("mailto:")
        if "@" in word and "." in word.split("@")[-1]:
            return word
    return ""


def add_dataset(graph: Graph, catalog: URIRef, municipality, dataset) -> URIRef:
    uri = URIRef(dataset_uri(municipality, dataset))
    issued, modified = catalog_dates.dataset_dates(municipality, dataset)
    spdx, license_url, _ = license_of(municipality)
    license_ref = URIRef(license_url)
    graph.add((catalog, DCAT.dataset, uri))
    graph.add((uri, RDF.type, DCAT.Dataset))
    graph.add((uri, DCTERMS.identifier, Literal(str(uri))))
    graph.add((uri, DCTERMS.title, Literal(f"{municipality.name}: {dataset.title}", lang="es")))
    graph.add((uri, DCTERMS.title, Literal(f"{municipality.name}: {dataset.title_en}", lang="en")))
    graph.add((uri, DCTERMS.description, Literal(dataset.description, lang="es")))
    for keyword in dataset.keywords:
        graph.add((uri, DCAT.keyword, Literal(keyword, lang="es")))
    graph.add((uri, DCAT.theme, URIRef(THEMES + dataset.theme)))
    graph.add((uri, DCTERMS.publisher, _publisher(graph, municipality)))
    graph.add((uri, DCAT.contactPoint, _contact(graph, municipality)))
    graph.add((uri, DCTERMS.issued, Literal(_iso(issued), datatype=XSD.dateTime)))
    graph.add((uri, DCTERMS.modified, Literal(_iso(modified), datatype=XSD.dateTime)))
    graph.add((uri, DCTERMS.license, license_ref))
    graph.add((uri, DCTERMS.language, LANGUAGE))
    graph.add((uri, DCTERMS.spatial, Literal(f"{municipality.name}, {municipality.country}")))
    graph.add((uri, DCTERMS.accrualPeriodicity, URIRef(FREQUENCY + PERIODICITY.get(dataset.periodicity, "IRREG"))))
    graph.add((uri, DCAT.landingPage, uri))
    for dist in distributions(municipality, dataset):
        node = URIRef(f"{uri}#{dist.id}")
        graph.add((uri, DCAT.distribution, node))
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCTERMS.title, Literal(dist.title)))
        graph.add((node, DCAT.accessURL, URIRef(str(uri))))
        graph.add((node, DCAT.downloadURL, URIRef(dist.url)))
        graph.add((node, DCTERMS.format, URIRef(FILE_TYPES + dist.format)))
        graph.add((node, DCAT.mediaType, URIRef(IANA + dist.media_type)))
        graph.add((node, DCTERMS.license, license_ref))
        graph.add((node, DCTERMS.issued, Literal(_iso(issued), datatype=XSD.dateTime)))
        graph.add((node, DCTERMS.modified, Literal(_iso(modified), datatype=XSD.dateTime)))
        if dist.id == "datapackage":
            graph.add((node, DCTERMS.conformsTo, URIRef("https://specs.frictionlessdata.io/data-package/")))
    return uri


def graph_for(municipalities, title: str, description: str, catalog_url: str) -> Graph:
    catalog_dates.prime(municipalities)
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("hydra", HYDRA)
    catalog = URIRef(catalog_url)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="es")))
    graph.add((catalog, DCTERMS.description, Literal(description, lang="es")))
    graph.add((catalog, DCTERMS.language, LANGUAGE))
    graph.add((catalog, FOAF.homepage, URIRef(catalog_url)))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(THEMES.rstrip("/"))))
    service = URIRef(url_for("opendata.api_index", _external=True))
    graph.add((catalog, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("Cabildo read API")))
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.endpointDescription, URIRef(url_for("opendata.openapi", _external=True))))
    latest = None
    for municipality in municipalities:
        if len(municipalities) == 1:
            graph.add((catalog, DCTERMS.publisher, _publisher(graph, municipality)))
            graph.add((catalog, DCTERMS.license, URIRef(license_of(municipality)[1])))
        for dataset in datasets.DATASETS:
            add_dataset(graph, catalog, municipality, dataset)
            modified = catalog_dates.dataset_dates(municipality, dataset)[1]
            latest = modified if latest is None or modified > latest else latest
    if latest is not None:
        graph.add((catalog, DCTERMS.modified, Literal(_iso(latest), datatype=XSD.dateTime)))
    if len(municipalities) != 1:
        platform = URIRef(url_for("municipalities.index", _external=True) + "#publisher")
        graph.add((platform, RDF.type, FOAF.Agent))
        graph.add((platform, FOAF.name, Literal("Cabildo")))
        graph.add((catalog, DCTERMS.publisher, platform))
    return graph


def add_paging(graph: Graph, page_url, page: int, pages: int, per_page: int, total: int) -> None:
    """Hydra paging, as CKAN's DCAT harvester follows it: ``page_url(n)`` is page n's URL."""
    node = URIRef(page_url(page))
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(total)))
    graph.add((node, HYDRA.itemsPerPage, Literal(per_page)))
    graph.add((node, HYDRA.firstPage, Literal(page_url(1))))
    graph.add((node, HYDRA.lastPage, Literal(page_url(pages))))
    if page < pages:
        graph.add((node, HYDRA.nextPage, Literal(page_url(page + 1))))
    if page > 1:
        graph.add((node, HYDRA.previousPage, Literal(page_url(page - 1))))


SERIALIZATIONS = {"ttl": ("turtle", "text/turtle"), "jsonld": ("json-ld", "application/ld+json"),
                  "rdf": ("xml", "application/rdf+xml")}
JSONLD_CONTEXT = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD),
                  "xsd": str(XSD), "hydra": str(HYDRA)}


def serialize(graph: Graph, fmt: str) -> tuple[bytes, str]:
    name, mimetype = SERIALIZATIONS[fmt]
    if name == "json-ld":
        body = graph.serialize(format=name, context=JSONLD_CONTEXT, auto_compact=True)
    else:
        body = graph.serialize(format=name)
    if name == "xml":  # XML 1.0 cannot carry control characters that stored text may hold
        body = clean_text(body.decode("utf-8") if isinstance(body, bytes) else body)
    return body.encode("utf-8") if isinstance(body, str) else body, mimetype
