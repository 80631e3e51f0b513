"""The data catalog: DCAT (DCAT-AP fields) built with rdflib, served as Turtle, JSON-LD
and RDF/XML, and ``data.json`` (Project Open Data v1.1, with the fields of the Latin
American national metadata profile: superTheme, accrualPeriodicity, issued, distribution
identifiers and fields).

Stable URIs: the catalog is its "Datos abiertos" page (``/datos/`` or
``/m/<slug>/datos/``); a dataset is ``/m/<slug>/datos/<key>``; its distributions are that
URI with a fragment (``#csv``, ``#csv-en``, ``#xlsx``, ``#xlsx-en``, ``#json``,
``#datapackage``); a publisher is ``/m/<slug>/#publisher``; a municipality's place is
``/m/<slug>/#location``; the platform is ``/#publisher``.

The graph satisfies the DCAT-AP 3.0.1 SHACL shapes with neither violations nor warnings
(``tests/opendata/test_dcat_ap.py``).
"""
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pycountry
from flask import current_app, url_for
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from portal.opendata import catalog_dates, datasets, rdfwrite
from portal.opendata.downloads import LICENSES, XLSX, license_of


class _Terms:
    """A namespace whose terms are made once: rdflib makes a new IRI (and checks it against
    the vocabulary) at every attribute lookup, tens of thousands of times a catalog page."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name):
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __str__(self):
        return str(self._namespace)


RDF, XSD, DCAT, DCTERMS, FOAF, SKOS = (_Terms(n) for n in (RDF, XSD, DCAT, DCTERMS, FOAF, SKOS))
VCARD = _Terms(Namespace("http://www.w3.org/2006/vcard/ns#"))
HYDRA = _Terms(Namespace("http://www.w3.org/ns/hydra/core#"))
LOCN = _Terms(Namespace("http://www.w3.org/ns/locn#"))
GSP = _Terms(Namespace("http://www.opengis.net/ont/geosparql#"))
DCATAP = _Terms(Namespace("http://data.europa.eu/r5r/"))
COUNTRIES = "http://publications.europa.eu/resource/authority/country/"
AVAILABILITY = URIRef("http://publications.europa.eu/resource/authority/planned-availability/STABLE")
PUBLISHER_TYPES = "http://purl.org/adms/publishertype/"
# What a CKAN harvest maps to its ``license_id``: the URL of the licence in CKAN's default
# licence register (ckanext-dcat compares each distribution's dct:license with it).
CKAN_LICENSES = {"CC-BY-4.0": "http://www.opendefinition.org/licenses/cc-by",
                 "CC-BY-SA-4.0": "http://www.opendefinition.org/licenses/cc-by-sa",
                 "CC0-1.0": "http://www.opendefinition.org/licenses/cc-zero",
                 "ODbL-1.0": "http://www.opendefinition.org/licenses/odc-odbl"}
API_STANDARDS = ("https://spec.openapis.org/oas/v3.0.3", "http://wiki.open311.org/GeoReport_v2/")
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

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.id]


DESCRIPTIONS = {
    "csv": "Todas las filas en un archivo CSV (UTF-8, separado por comas, decimales con punto, fechas ISO) "
           "con los nombres de columna en español.",
    "csv-en": "Todas las filas en un archivo CSV (UTF-8, separado por comas, decimales con punto, fechas ISO) "
              "con los nombres de columna en inglés.",
    "xlsx": "Todas las filas en una hoja de cálculo XLSX, con los nombres de columna en español.",
    "xlsx-en": "Todas las filas en una hoja de cálculo XLSX, con los nombres de columna en inglés.",
    "json": "Las filas en JSON por páginas (limit, offset) con filtros por columna, desde la API de lectura.",
    "datapackage": "Descriptor Frictionless Data Package con el Table Schema de ambos CSV.",
}


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


def country_uri(code: str) -> URIRef | None:
    """The EU authority's IRI of an ISO 3166-1 alpha-2 country (``SV`` -> ``.../country/SLV``)."""
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    return URIRef(COUNTRIES + country.alpha_3) if country else None


def location(graph: Graph, municipality) -> URIRef:
    """The municipality's place: its name, its national statistics code (when recorded), its
    country and, where the municipality records coordinates (``latitude``/``longitude``),
    a ``dct:Location`` with its centroid and bounding box. A place whose geometry is not
    known is referred to by its IRI only: typed a ``dct:Location`` without a geometry it
    would draw the recommended-property warnings (centroid, bounding box); untyped it
    draws the one range complaint the catalog still has (recording the coordinates
    removes both)."""
    home = url_for("municipality.home", slug=municipality.slug, _external=True)
    place = URIRef(home + "#location")
    graph.add((place, SKOS.prefLabel, Literal(f"{municipality.name}, {municipality.country}")))
    if getattr(municipality, "code", ""):
        graph.add((place, DCTERMS.identifier, Literal(municipality.code)))
    country = country_uri(municipality.country)
    if country is not None:
        graph.add((place, DCTERMS.isPartOf, country))
    geometry = geometry_of(municipality)
    if geometry:
        point, box = geometry
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, DCAT.centroid, Literal(point, datatype=GSP.wktLiteral)))
        graph.add((place, LOCN.geometry, Literal(point, datatype=GSP.wktLiteral)))
        graph.add((place, DCAT.bbox, Literal(box, datatype=GSP.wktLiteral)))
    return place


def geometry_of(municipality, margin: str = "0.05") -> tuple[str, str] | None:
    """(WKT centroid, WKT bounding box ``margin`` degrees around it), or None when the
    municipality records no coordinates."""
    lat, lon = getattr(municipality, "latitude", None), getattr(municipality, "longitude", None)
    if lat is None or lon is None:
        return None
    lat, lon, margin = Decimal(str(lat)), Decimal(str(lon)), Decimal(str(margin))

    def text(value: Decimal) -> str:  # the same whatever scale the database returns (13.18, 13.180000)
        return format(value.normalize(), "f")
    west, east, south, north = (text(v) for v in (lon - margin, lon + margin, lat - margin, lat + margin))
    box = f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"
    return f"POINT({text(lon)} {text(lat)})", box


def _publisher(graph: Graph, municipality) -> URIRef:
    home = url_for("municipality.home", slug=municipality.slug, _external=True)
    agent = URIRef(home + "#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(municipality.name)))
    graph.add((agent, FOAF.homepage, URIRef(municipality.website or home)))
    graph.add((agent, DCTERMS.type, URIRef(PUBLISHER_TYPES + "LocalAuthority")))
    graph.add((agent, DCTERMS.spatial, location(graph, municipality)))
    if municipality.code:  # the national statistics code, as harvesters match municipalities
        graph.add((agent, DCTERMS.identifier, Literal(f"{municipality.country}-{municipality.code}")))
    return agent


def platform_publisher(graph: Graph) -> URIRef:
    """The platform as an agent: publisher of the platform catalog and of the read API.
    Its ADMS publisher type is ``OPENDATA_PUBLISHER_TYPE`` (default NonProfitOrganisation)."""
    home = url_for("municipalities.index", _external=True)
    agent = URIRef(home + "#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal("Cabildo")))
    graph.add((agent, FOAF.homepage, URIRef(home)))
    kind = current_app.config.get("OPENDATA_PUBLISHER_TYPE") or "NonProfitOrganisation"
    kind = kind if kind in PUBLISHER_LABELS else "NonProfitOrganisation"
    graph.add((agent, DCTERMS.type, URIRef(PUBLISHER_TYPES + kind)))
    return agent


def _platform_contact(graph: Graph) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal("Cabildo")))
    graph.add((node, VCARD.hasURL, URIRef(url_for("municipalities.index", _external=True))))
    return node


def landing_page(municipality, dataset) -> str:
    """The HTML page where a person sees the dataset's data (its section of the portal);
    the dataset's own page when the section is not installed."""
    if dataset.page in current_app.view_functions:
        return url_for(dataset.page, slug=municipality.slug, _external=True)
    return dataset_uri(municipality, dataset)


def _contact(graph: Graph, municipality):
    node = BNode()
    graph.add((node, RDF.type, VCARD.Kind))
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


@lru_cache(maxsize=64)
def _text(text: str, lang: str | None = None) -> Literal:
    """The literal of a fixed text (a distribution's title or description), made once."""
    return Literal(text, lang=lang)


def add_dataset(graph: Graph, catalog: URIRef, municipality, dataset, *, publisher: URIRef, place: URIRef) -> URIRef:
    """``dataset`` of ``municipality`` in ``graph``, in ``catalog``; ``publisher`` and
    ``place`` are the municipality's, already in ``graph`` (:func:`part` adds them once
    for all its datasets)."""
    uri = URIRef(dataset_uri(municipality, dataset))
    issued, modified = catalog_dates.dataset_dates(municipality, dataset)
    spdx, license_url, _ = license_of(municipality)
    license_ref = URIRef(license_url)
    harvested_license = URIRef(CKAN_LICENSES.get(spdx, license_url))
    graph.add((catalog, DCAT.dataset, uri))
    graph.add((uri, RDF.type, DCAT.Dataset))
    graph.add((uri, DCTERMS.identifier, Literal(str(uri))))
    graph.add((uri, DCTERMS.title, Literal(f"{municipality.name}: {dataset.title}", lang="es")))
    graph.add((uri, DCTERMS.title, Literal(f"{municipality.name}: {dataset.title_en}", lang="en")))
    graph.add((uri, DCTERMS.description, Literal(dataset.description, lang="es")))
    for keyword in dataset.keywords:
        graph.add((uri, DCAT.keyword, Literal(keyword, lang="es")))
    graph.add((uri, DCAT.theme, URIRef(THEMES + dataset.theme)))
    graph.add((uri, DCTERMS.publisher, publisher))
    graph.add((uri, DCAT.contactPoint, _contact(graph, municipality)))
    issued_at, modified_at = (Literal(_iso(moment), datatype=XSD.dateTime) for moment in (issued, modified))
    graph.add((uri, DCTERMS.issued, issued_at))
    graph.add((uri, DCTERMS.modified, modified_at))
    graph.add((uri, DCTERMS.license, license_ref))
    graph.add((uri, DCTERMS.language, LANGUAGE))
    graph.add((uri, DCTERMS.spatial, place))
    period = BNode()
    graph.add((uri, DCTERMS.temporal, period))
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((period, DCAT.startDate, Literal(issued.date().isoformat(), datatype=XSD.date)))
    graph.add((period, DCAT.endDate, Literal(modified.date().isoformat(), datatype=XSD.date)))
    graph.add((uri, DCTERMS.accrualPeriodicity, URIRef(FREQUENCY + PERIODICITY.get(dataset.periodicity, "IRREG"))))
    page = URIRef(landing_page(municipality, dataset))
    graph.add((uri, DCAT.landingPage, page))
    graph.add((page, RDF.type, FOAF.Document))
    for dist in distributions(municipality, dataset):
        node = URIRef(f"{uri}#{dist.id}")
        graph.add((uri, DCAT.distribution, node))
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCTERMS.title, _text(dist.title)))
        graph.add((node, DCTERMS.description, _text(dist.description, "es")))
        graph.add((node, DCATAP.availability, AVAILABILITY))
        graph.add((node, DCAT.accessURL, URIRef(str(uri))))
        graph.add((node, DCAT.downloadURL, URIRef(dist.url)))
        graph.add((node, DCTERMS.format, URIRef(FILE_TYPES + dist.format)))
        graph.add((node, DCAT.mediaType, URIRef(IANA + dist.media_type)))
        graph.add((node, DCTERMS.license, harvested_license))
        graph.add((node, DCTERMS.issued, issued_at))
        graph.add((node, DCTERMS.modified, modified_at))
        if dist.id == "datapackage":
            graph.add((node, DCTERMS.conformsTo, URIRef("https://specs.frictionlessdata.io/data-package/")))
    return uri


def graph_for(municipalities, title: str, description: str, catalog_url: str, *, platform: bool = False,
              issued=None) -> Graph:
    """The catalog of ``municipalities``. ``platform``: the platform's catalog (or one page of
    it), published by the platform under the default licence whatever municipalities it
    holds; otherwise the catalog of the one municipality given. ``issued``: when the
    catalog first existed (the platform's first municipality; the municipality's
    creation by default)."""
    graph, catalog = head(municipalities, title, description, catalog_url, platform=platform, issued=issued)
    for municipality in municipalities:
        part(graph, catalog, municipality)
    return with_ranges(graph)


def with_ranges(triples):
    """``triples`` (a graph or :class:`rdfwrite.Triples`) with the class DCAT-AP gives the
    value of each property (its range shapes) stated for every IRI value: a licence is a
    ``dct:LicenseDocument``, a file type a ``dct:MediaTypeOrExtent``, a theme a
    ``skos:Concept``... so the range shapes pass without loading the EU vocabularies."""
    if isinstance(triples, Graph):
        pairs = [(p, o) for _, p, o in triples]
    else:
        pairs = [pair for pairs_ in triples.by_subject.values() for pair in pairs_]
    for obj, kind in {(o, RANGES[p]) for p, o in pairs if p in RANGES and isinstance(o, URIRef)}:
        triples.add((obj, RDF.type, kind))
        if kind == SKOS.Concept and obj in CONCEPT_LABELS:
            triples.add((obj, SKOS.prefLabel, Literal(CONCEPT_LABELS[obj], lang="es")))
        elif kind == SKOS.ConceptScheme:
            triples.add((obj, DCTERMS.title, Literal("Temas de datos (vocabulario de la Unión Europea)", lang="es")))
        elif kind == DCTERMS.LicenseDocument:
            for licence_type in LICENCE_TYPES.get(str(obj), ()):
                triples.add((obj, DCTERMS.type, licence_type))
                triples.add((licence_type, RDF.type, SKOS.Concept))
                triples.add((licence_type, SKOS.prefLabel, Literal(CONCEPT_LABELS[licence_type], lang="es")))
    return triples


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def head(municipalities, title: str, description: str, catalog_url: str, *, platform: bool = False,
         issued=None) -> tuple[Graph, URIRef]:
    """The catalog's own description (:func:`graph_for`), without its datasets: a graph and
    the catalog's node. Its ``dct:modified`` is already the latest of its datasets'."""
    catalog_dates.prime(municipalities)
    graph = _graph()
    catalog = URIRef(catalog_url)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="es")))
    graph.add((catalog, DCTERMS.description, Literal(description, lang="es")))
    graph.add((catalog, DCTERMS.language, LANGUAGE))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(THEMES.rstrip("/"))))
    platform_agent = platform_publisher(graph)
    if platform:
        graph.add((catalog, DCTERMS.publisher, platform_agent))
        graph.add((catalog, DCTERMS.license, URIRef(CKAN_LICENSES.get(*license_of(None)[:2]))))
        graph.add((catalog, FOAF.homepage, URIRef(url_for("municipalities.index", _external=True))))
        for country in sorted({c for c in (country_uri(m.country) for m in municipalities) if c is not None}):
            graph.add((catalog, DCTERMS.spatial, country))
        first = issued or min((m.created_at for m in municipalities), default=None)
    else:
        (municipality,) = municipalities
        spdx, license_url, _ = license_of(municipality)
        graph.add((catalog, DCTERMS.publisher, _publisher(graph, municipality)))
        graph.add((catalog, DCTERMS.license, URIRef(CKAN_LICENSES.get(spdx, license_url))))
        graph.add((catalog, FOAF.homepage, URIRef(url_for(
            "municipality.home", slug=municipality.slug, _external=True))))
        graph.add((catalog, DCTERMS.spatial, location(graph, municipality)))
        first = issued or municipality.created_at
    if first is not None:
        graph.add((catalog, DCTERMS.issued, Literal(_iso(first), datatype=XSD.dateTime)))
    _service(graph, catalog, platform_agent)
    latest = max((catalog_dates.dataset_dates(m, d)[1] for m in municipalities for d in datasets.all_datasets()),
                 default=None)
    if latest is not None:
        graph.add((catalog, DCTERMS.modified, Literal(_iso(latest), datatype=XSD.dateTime)))
    return graph, catalog


def part(graph: Graph, catalog: URIRef, municipality) -> None:
    """One municipality's datasets in ``graph``, each in the catalog and served by the API."""
    service = URIRef(url_for("opendata.api_index", _external=True))
    publisher = _publisher(graph, municipality)
    place = location(graph, municipality)
    for dataset in datasets.all_datasets():
        uri = add_dataset(graph, catalog, municipality, dataset, publisher=publisher, place=place)
        graph.add((service, DCAT.servesDataset, uri))


def stream(fmt: str, municipalities, title: str, description: str, catalog_url: str, *, paging=None, **options):
    """The catalog in ``fmt`` (``ttl``, ``jsonld`` or ``rdf``), written a municipality at a
    time (its triples collected, then written) instead of one graph of every triple: what
    :func:`graph_for` (with :func:`add_paging`) gives, as a graph, in every serialization."""
    graph, catalog = head(municipalities, title, description, catalog_url, **options)
    if paging:
        add_paging(graph, *paging)

    def parts():
        yield with_ranges(rdfwrite.Triples(graph))
        for municipality in municipalities:
            triples = rdfwrite.Triples()
            part(triples, catalog, municipality)
            yield with_ranges(triples)
    return rdfwrite.write(fmt, VOCABULARY, parts())


def _service(graph: Graph, catalog: URIRef, publisher: URIRef) -> URIRef:
    """The read API (``/api/v1/``) as a ``dcat:DataService``; it serves every dataset of the
    catalog (the caller adds them)."""
    service = URIRef(url_for("opendata.api_index", _external=True))
    graph.add((catalog, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("Cabildo read API")))
    graph.add((service, DCTERMS.description, Literal(
        "API de lectura de Cabildo: los conjuntos de datos de cada municipio en JSON paginado, CSV y XLSX, "
        "descrita en OpenAPI.", lang="es")))
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.endpointDescription, URIRef(url_for("opendata.openapi", _external=True))))
    graph.add((service, DCTERMS.publisher, publisher))
    graph.add((service, DCAT.contactPoint, _platform_contact(graph)))
    for theme in sorted({d.theme for d in datasets.all_datasets()}):
        graph.add((service, DCAT.theme, URIRef(THEMES + theme)))
    for standard in API_STANDARDS:
        graph.add((service, DCTERMS.conformsTo, URIRef(standard)))
    for keyword in ("API", "datos abiertos", "open data", "municipios"):
        graph.add((service, DCAT.keyword, Literal(keyword, lang="es" if keyword != "open data" else "en")))
    return service


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


RANGES = {DCTERMS.license: DCTERMS.LicenseDocument, DCATAP.availability: SKOS.Concept,
          DCTERMS.format: DCTERMS.MediaTypeOrExtent, DCAT.mediaType: DCTERMS.MediaType, DCAT.theme: SKOS.Concept,
          DCTERMS.conformsTo: DCTERMS.Standard, DCTERMS.language: DCTERMS.LinguisticSystem,
          DCTERMS.accrualPeriodicity: DCTERMS.Frequency,
          DCTERMS.type: SKOS.Concept, DCAT.themeTaxonomy: SKOS.ConceptScheme, FOAF.homepage: FOAF.Document}
PUBLISHER_LABELS = {  # the ADMS publisher types (OPENDATA_PUBLISHER_TYPE is one of them)
    "Academia-ScientificOrganisation": "Academia u organización científica", "Company": "Empresa",
    "IndustryConsortium": "Consorcio industrial", "LocalAuthority": "Autoridad local",
    "NationalAuthority": "Autoridad nacional", "NonGovernmentalOrganisation": "Organización no gubernamental",
    "NonProfitOrganisation": "Organización sin ánimo de lucro", "PrivateIndividual(s)": "Particulares",
    "RegionalAuthority": "Autoridad regional", "StandardisationBody": "Organismo de normalización",
    "SupraNationalAuthority": "Autoridad supranacional"}
LICENCE_KINDS = "http://purl.org/adms/licencetype/"
# The ADMS licence types of each licence the portal may publish under (by either of its IRIs).
LICENCE_TYPES = {url: tuple(URIRef(LICENCE_KINDS + kind) for kind in kinds)
                 for spdx, kinds in (("CC-BY-4.0", ("Attribution",)), ("CC-BY-SA-4.0", ("Attribution", "ShareAlike")),
                                     ("CC0-1.0", ("PublicDomain",)), ("ODbL-1.0", ("Attribution", "ShareAlike")))
                 for url in (CKAN_LICENSES[spdx], LICENSES[spdx][0])}
# The Spanish label of each concept of the EU and ADMS vocabularies the catalog refers to.
CONCEPT_LABELS = {**{URIRef(THEMES + code): names[0] for code, names in THEME_LABELS.items()},
                  AVAILABILITY: "Estable",
                  **{URIRef(PUBLISHER_TYPES + kind): label for kind, label in PUBLISHER_LABELS.items()},
                  URIRef(LICENCE_KINDS + "Attribution"): "Atribución",
                  URIRef(LICENCE_KINDS + "ShareAlike"): "Compartir igual",
                  URIRef(LICENCE_KINDS + "PublicDomain"): "Dominio público"}
SERIALIZATIONS = {"ttl": ("turtle", "text/turtle"), "jsonld": ("json-ld", "application/ld+json"),
                  "rdf": ("xml", "application/rdf+xml")}
PREFIXES = {prefix: str(namespace) for prefix, namespace in (
    ("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("xsd", XSD), ("hydra", HYDRA),
    ("locn", LOCN), ("gsp", GSP), ("dcatap", DCATAP), ("skos", SKOS))}
VOCABULARY = rdfwrite.Vocabulary(PREFIXES)  # what the streamed catalogs declare and shorten
