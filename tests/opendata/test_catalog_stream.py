"""The catalogs are written a municipality at a time (the platform's pages streamed) in
Turtle, JSON-LD and RDF/XML: each answer parses to the very graph the catalog built whole
in rdflib (:func:`catalog.graph_for`, the reference) gives, the same text every time;
each writer round-trips hostile text; a streamed page still answers conditional GETs."""
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

from portal.core.text import clean_text
from portal.opendata import catalog, rdfwrite
from tests.opendata.test_catalog import LOCAL

FORMATS = sorted(catalog.SERIALIZATIONS)
# What a careless writer gets wrong: quotes, markup, CDATA's end, line breaks, a control
# character, a character outside the Basic Multilingual Plane, Turtle's long-string quotes.
HOSTILE = 'Zona "alta" <b>&amp; \'baja\' ]]> \\ """ fin\r\nsegunda\tlínea \x0b\x7f 𝔄𝔩𝔱𝔞 😀 --> ?>'


def parsed(text: str, fmt: str) -> Graph:
    graph = Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=text, format=catalog.SERIALIZATIONS[fmt][0])
    return graph


def as_written(graph: Graph, fmt: str) -> Graph:
    """``graph`` as ``fmt`` can carry it: XML 1.0 has no control characters (they are
    left out of RDF/XML, as of every XML answer); Turtle and JSON-LD carry every one."""
    if fmt != "rdf":
        return graph
    clean = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal):
            o = Literal(clean_text(str(o)), lang=o.language, datatype=o.datatype)
        clean.add((s, p, o))
    return clean


def _whole_platform_page(app, fmt, page):
    """The page as the catalog was built before: one rdflib graph of every triple."""
    from portal.opendata import data_views

    with app.test_request_context(f"/catalog.{fmt}", base_url=LOCAL):
        statement = data_views._municipalities_statement()
        total = data_views._count(statement)
        pages = max(-(-total // data_views.CATALOG_PAGE), 1)
        chosen = data_views._slice(statement, (page - 1) * data_views.CATALOG_PAGE, data_views.CATALOG_PAGE)
        graph = catalog.graph_for(chosen, "Cabildo: datos abiertos de los municipios",
                                  "Todos los conjuntos de datos que publican los municipios del portal.",
                                  f"{LOCAL}/datos/", platform=True, issued=data_views._first_created())

        def page_url(number):
            return f"{LOCAL}/catalog.{fmt}?page={number}"
        catalog.add_paging(graph, page_url, page, pages, data_views.CATALOG_PAGE, total)
        return graph, pages


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_streamed_page_is_the_graph_built_whole(app, client, make, fmt):
    for i in range(12):
        make.municipality(name=f"{HOSTILE} {i:02d}" if i == 3 else f"Zona {i:02d}", country="GT" if i % 2 else "SV")
    page, pages, names = 1, 1, set()
    while page <= pages:
        response = client.get(f"/catalog.{fmt}?page={page}")
        assert response.status_code == 200 and response.is_streamed
        assert response.mimetype == catalog.SERIALIZATIONS[fmt][1]
        text = response.get_data(as_text=True)
        served = parsed(text, fmt)
        whole, pages = _whole_platform_page(app, fmt, page)
        assert len(served) > 1000 and isomorphic(served, as_written(whole, fmt)), page
        assert client.get(f"/catalog.{fmt}?page={page}").get_data(as_text=True) == text  # blank-node labels too
        names |= {str(o) for o in served.objects(None, FOAF.name)}
        page += 1
    assert pages >= 2
    assert any("]]>" in name and "😀" in name for name in names)  # the hostile name was on a page compared


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_municipal_catalog_is_the_graph_built_whole_and_the_same_text_every_time(app, client, muni, fmt):
    first = client.get(f"/m/intipuca/catalog.{fmt}")
    assert first.mimetype == catalog.SERIALIZATIONS[fmt][1]
    assert client.get(f"/m/intipuca/catalog.{fmt}").get_data() == first.get_data()
    with app.test_request_context(f"/m/intipuca/catalog.{fmt}", base_url=LOCAL):
        whole = catalog.graph_for([muni], "Intipucá: datos abiertos", "Los conjuntos de datos que publica Intipucá.",
                                  f"{LOCAL}/m/intipuca/datos/")
    served = parsed(first.get_data(as_text=True), fmt)
    assert len(served) > 500 and isomorphic(served, whole)
    again = client.get(f"/m/intipuca/catalog.{fmt}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_streamed_page_answers_a_conditional_get_until_something_is_published(client, db, muni, fmt):
    from portal.audit.services import acting_as

    first = client.get(f"/catalog.{fmt}")
    assert first.get_data()  # read as a harvester does (a stream left unread is never written)
    etag = first.headers["ETag"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"/catalog.{fmt}", headers={"If-None-Match": etag}).status_code == 304
    others = [client.get(f"/catalog.{other}").headers["ETag"] for other in FORMATS if other != fmt]
    assert etag not in others  # one format's copy is never taken for another's
    with acting_as("staff"):
        muni.population = (muni.population or 0) + 1
        db.session.flush()
    again = client.get(f"/catalog.{fmt}", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag and again.get_data()


def test_an_unknown_format_is_not_found(client, muni):
    assert client.get("/catalog.n3").status_code == 404
    assert client.get("/catalog.xml?page=1").status_code == 404


hostile_text = st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
                                  st.sampled_from(['"', "'", "<", ">", "&", "]]>", "\r", "\n", "\r\n", "\x00",
                                                   "\x0b", "\\", '"""', "😀", "𝔄", "\ufeff", "@id", "_:b0"])),
                        max_size=8).map("".join)


@settings(max_examples=40, deadline=None)
@given(fmt=st.sampled_from(FORMATS),
       texts=st.lists(hostile_text, min_size=1, max_size=5),
       lang=st.sampled_from(["es", "en", "pt-br", "es-419"]),
       number=st.integers(-10**12, 10**12), local=st.from_regex(r"[A-Za-z][A-Za-z0-9_.~%-]{0,12}", fullmatch=True))
def test_every_writer_gives_back_any_graph_it_writes(fmt, texts, lang, number, local):
    """Two parts (the same subject in both, as the catalog is in every municipality's),
    plain, language-tagged and typed literals, IRIs in and out of the prefixes, blank nodes
    used once and one used twice."""
    first, second = Graph(), Graph()
    subject = URIRef(f"http://example.org/d/{local}")
    shared = BNode()
    for i, text in enumerate(texts):
        part = first if i % 2 else second
        part.add((subject, DCTERMS.title, Literal(text, lang=lang if i % 2 else None)))
        node = BNode()
        part.add((subject, DCTERMS.temporal, node))
        part.add((node, DCTERMS.description, Literal(text)))
        part.add((node, DCTERMS.relation, shared))
        part.add((URIRef(f"http://example.org/other/{i}?q={local}&x=1"), DCAT.keyword, Literal(text, lang=lang)))
    second.add((shared, DCTERMS.identifier, Literal(number)))
    second.add((subject, DCTERMS.issued, Literal("2026-12-06T03:00:00", datatype=XSD.dateTime)))
    second.add((subject, DCTERMS.subject, URIRef(str(DCTERMS) + local)))
    second.add((subject, URIRef(f"http://example.org/terms/{local[:1]}x"), Literal(number, datatype=XSD.long)))
    if fmt == "ttl":  # Turtle writes a blank node used once in place: a blank node is one part's
        first, second = Graph(), first + second
    text = "".join(rdfwrite.write(fmt, catalog.VOCABULARY, [rdfwrite.Triples(first), rdfwrite.Triples(second)]))
    whole = first + second
    assert to_isomorphic(parsed(text, fmt)) == to_isomorphic(as_written(whole, fmt))
    again = "".join(rdfwrite.write(fmt, catalog.VOCABULARY, [rdfwrite.Triples(first), rdfwrite.Triples(second)]))
    assert again == text


def test_rdf_xml_refuses_a_predicate_it_cannot_name():
    triples = rdfwrite.Triples()
    triples.add((URIRef("http://example.org/a"), URIRef("http://example.org/terms/1"), Literal("x")))
    with pytest.raises(ValueError):
        "".join(rdfwrite.write("rdf", catalog.VOCABULARY, [triples]))
