"""The Turtle catalogs are written a municipality at a time (the platform's pages
streamed): the text parses to the very graph the catalog built whole in rdflib gives,
the writer round-trips any text, and a streamed page still answers conditional GETs."""
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, XSD

from portal.opendata import catalog
from tests.opendata.test_catalog import LOCAL


def _parsed(text):
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return graph


def _whole_platform_page(app, page):
    """The page as the catalog was built before: one rdflib graph of every triple."""
    from portal.opendata import data_views

    with app.test_request_context("/catalog.ttl", base_url=LOCAL):
        statement = data_views._municipalities_statement()
        total = data_views._count(statement)
        pages = max(-(-total // data_views.CATALOG_PAGE), 1)
        chosen = data_views._slice(statement, (page - 1) * data_views.CATALOG_PAGE, data_views.CATALOG_PAGE)
        graph = catalog.graph_for(chosen, "Cabildo: datos abiertos de los municipios",
                                  "Todos los conjuntos de datos que publican los municipios del portal.",
                                  f"{LOCAL}/datos/", platform=True, issued=data_views._first_created())

        def page_url(number):
            return f"{LOCAL}/catalog.ttl?page={number}"
        catalog.add_paging(graph, page_url, page, pages, data_views.CATALOG_PAGE, total)
        return _parsed(catalog.serialize(graph, "ttl")[0].decode()), pages


def test_every_streamed_page_is_the_graph_built_whole(app, client, make):
    for i in range(12):
        make.municipality(name=f"Zona {i:02d}", country="GT" if i % 2 else "SV")
    page, pages = 1, 1
    while page <= pages:
        response = client.get(f"/catalog.ttl?page={page}")
        assert response.status_code == 200 and response.is_streamed
        served = _parsed(response.get_data(as_text=True))
        whole, pages = _whole_platform_page(app, page)
        assert len(served) > 1000 and isomorphic(served, whole), page
        page += 1
    assert pages >= 2


def test_a_municipal_catalog_is_the_graph_built_whole_and_the_same_text_every_time(app, client, muni):
    first = client.get("/m/intipuca/catalog.ttl")
    assert client.get("/m/intipuca/catalog.ttl").get_data() == first.get_data()
    with app.test_request_context("/m/intipuca/catalog.ttl", base_url=LOCAL):
        whole = catalog.graph_for([muni], "Intipucá: datos abiertos", "Los conjuntos de datos que publica Intipucá.",
                                  f"{LOCAL}/m/intipuca/datos/")
    assert isomorphic(_parsed(first.get_data(as_text=True)), _parsed(catalog.serialize(whole, "ttl")[0].decode()))


def test_a_streamed_page_answers_a_conditional_get_until_something_is_published(client, db, muni):
    from portal.audit.services import acting_as

    first = client.get("/catalog.ttl")
    assert first.get_data()  # read as a harvester does (a stream left unread is never written)
    etag = first.headers["ETag"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/catalog.ttl", headers={"If-None-Match": etag}).status_code == 304
    with acting_as("staff"):
        muni.population = (muni.population or 0) + 1
        db.session.flush()
    again = client.get("/catalog.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag and again.get_data()


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), min_size=1, max_size=5),
       number=st.integers(-10**12, 10**12), local=st.from_regex(r"[A-Za-z][A-Za-z0-9_.~%-]{0,12}", fullmatch=True))
def test_the_writer_gives_back_any_graph_it_writes(texts, number, local):
    graph = Graph()
    subject = URIRef(f"http://example.org/d/{local}")
    for i, text in enumerate(texts):
        graph.add((subject, DCTERMS.title, Literal(text, lang="es" if i % 2 else None)))
        node = BNode()
        graph.add((subject, DCTERMS.temporal, node))
        graph.add((node, DCTERMS.description, Literal(text)))
    graph.add((subject, DCTERMS.identifier, Literal(number)))
    graph.add((subject, DCTERMS.issued, Literal("2026-12-06T03:00:00", datatype=XSD.dateTime)))
    graph.add((subject, DCTERMS.subject, URIRef(str(DCTERMS) + local)))
    text = catalog.turtle(catalog.Triples(graph), prefixes=True)
    assert to_isomorphic(_parsed(text)) == to_isomorphic(graph)
