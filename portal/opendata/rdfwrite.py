"""RDF written a part at a time, in Turtle, JSON-LD and RDF/XML (pure: rdflib terms in,
text out; no Flask).

A large document (a page of the platform catalog) is written as an opening, one part per
municipality and a closing, so no graph of the whole is ever held: each part is the
:class:`Triples` of one municipality, and the three writers describe exactly the same
triples (``tests/opendata/test_catalog_stream.py`` parses each back and compares it with
the graph rdflib builds whole).

- Turtle: a subject with its predicates and objects; a blank node used once is written in
  place (``[ ... ]``), so a blank node belongs to one part (the catalog's all do).
- JSON-LD: a top-level ``@context`` (the prefixes) and an ``@graph`` array of node
  objects, one per subject of a part (a subject present in several parts, such as the
  catalog, has one node object in each: JSON-LD merges node objects of the same ``@id``);
  every string written by :func:`json.dumps`.
- RDF/XML: one ``rdf:Description`` per subject of a part, the prefixes declared once on
  ``rdf:RDF``; text and attributes escaped by :mod:`xml.sax.saxutils`. XML 1.0 cannot
  carry control characters (but tab and line breaks) nor U+FFFE/U+FFFF: they are left out
  (:func:`portal.core.text.clean_text`), as every XML answer of the portal does.

Blank nodes get labels ``b0``, ``b1``, ... in the order a page writes them; the order is
the sorted order of the subjects' IRIs (each followed by the blank nodes it refers to,
sorted by what they hold), so the same triples give the same text every time.
"""
import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, BNode, Literal, URIRef

from portal.core.text import clean_text

_PLAIN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NCNAME_TAIL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
RDF_NS = str(RDF)
TYPE = RDF.type  # looked up once: a namespace's attributes are slow to get
RDF_TYPE = str(TYPE)
_KINDS: dict = {}


def _kind(node) -> str:
    """``b`` for a blank node, ``l`` for a literal, ``i`` for an IRI (by the term's class,
    looked up once: the writers ask it of every object of a page)."""
    kind = type(node)
    found = _KINDS.get(kind)
    if found is None:
        found = _KINDS[kind] = "b" if issubclass(kind, BNode) else "l" if issubclass(kind, Literal) else "i"
    return found


# The rdf: names RDF/XML reserves for its syntax, which no property element may take.
_NOT_PROPERTIES = {f"rdf:{name}" for name in ("RDF", "Description", "ID", "about", "parseType", "resource", "li",
                                               "nodeID", "datatype", "aboutEach", "aboutEachPrefix", "bagID")}


class Triples:
    """Triples by subject, as the catalog's builders add them (they only ``add``): what the
    writers need, without the indexes of an rdflib graph."""

    def __init__(self, graph=None):
        self.by_subject: dict = {}
        for triple in graph or ():
            self.add(triple)

    def add(self, triple) -> None:
        subject, predicate, obj = triple
        self.by_subject.setdefault(subject, set()).add((predicate, obj))


class Vocabulary:
    """The prefixes a document declares (``rdf`` among them), and how an IRI is shortened
    with them: ``prefix:local`` when the IRI is a namespace followed by a plain local name."""

    def __init__(self, prefixes: dict):
        # longest namespace first: a namespace may start another
        self.prefixes = tuple(sorted(((p, str(n)) for p, n in {"rdf": RDF_NS, **prefixes}.items()),
                                     key=lambda item: (-len(item[1]), item[0])))
        self.curie = lru_cache(maxsize=4096)(self._curie)

    def _curie(self, uri: str) -> str | None:
        for prefix, namespace in self.prefixes:
            if uri.startswith(namespace) and _PLAIN_LOCAL.fullmatch(uri[len(namespace):]):
                return f"{prefix}:{uri[len(namespace):]}"
        return None

    def iri(self, uri: str) -> str:
        """Turtle's spelling of an IRI: a prefixed name or ``<uri>``."""
        return self.curie(uri) or URIRef(uri).n3()


def _key(node, by_subject: dict, seen=frozenset()) -> str:
    """What orders objects and blank nodes: an IRI by itself, a literal by its text,
    language and datatype, a blank node by what it holds (never by its random identifier)."""
    kind = _kind(node)
    if kind == "b":
        if node in seen:
            return "2"
        inner = seen | {node}
        return "2" + "|".join(sorted(f"{p} {_key(o, by_subject, inner)}" for p, o in by_subject.get(node, ())))
    if kind == "l":
        return f"1{node}\x00{node.language or ''}\x00{node.datatype or ''}"
    return f"0{node}"


class Writer:
    """One document in one serialization: :meth:`opening`, then :meth:`part` for each
    part, then :meth:`closing`; the blank-node labels are the document's."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.labels: dict = {}

    def label(self, node: BNode) -> str:
        return self.labels.setdefault(node, f"b{len(self.labels)}")

    def opening(self) -> str:
        return ""

    def closing(self) -> str:
        return ""

    def ordered(self, by_subject: dict) -> list:
        """The subjects in writing order: named ones by IRI, each followed (depth first) by
        the blank nodes it refers to, by content; then any blank node none reaches."""
        done: set = set()
        order: list = []

        def visit(subject):
            if subject in done:
                return
            done.add(subject)
            order.append(subject)
            inner = [o for _, o in by_subject.get(subject, ()) if _kind(o) == "b"]
            for node in sorted(inner, key=lambda o: _key(o, by_subject)):
                if node in by_subject:
                    visit(node)
                else:
                    self.label(node)
        for subject in sorted((s for s in by_subject if _kind(s) != "b"), key=str):
            visit(subject)
        for subject in sorted((s for s in by_subject if _kind(s) == "b" and s not in done),
                              key=lambda s: _key(s, by_subject)):
            visit(subject)
        return order

    def objects(self, pairs, by_subject: dict) -> list:
        """(predicate, objects sorted) for each predicate of ``pairs``, by predicate."""
        grouped: dict = {}
        for predicate, obj in pairs:
            grouped.setdefault(str(predicate), []).append(obj)
        for objs in grouped.values():
            if len(objs) > 1:
                objs.sort(key=lambda o: _key(o, by_subject))
        return sorted(grouped.items())


class TurtleWriter(Writer):
    """Turtle: the prefixes, then each part sorted so the same triples give the same text."""

    def opening(self) -> str:
        return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in self.vocabulary.prefixes) + "\n"

    def part(self, triples: Triples) -> str:
        return turtle(triples, self.vocabulary)

    def term(self, node) -> str:
        return _term(node, self.vocabulary)


def _term(node, vocabulary: Vocabulary) -> str:
    if type(node) is URIRef:
        return vocabulary.iri(str(node))
    text = node.n3()
    if _kind(node) == "l" and node.datatype is not None:  # "..."^^xsd:dateTime
        text = text[:text.rindex("^^")] + "^^" + vocabulary.iri(str(node.datatype))
    return text


def turtle(triples: Triples, vocabulary: Vocabulary) -> str:
    """``triples`` as Turtle text (without the prefixes), sorted so the same triples give
    the same text: a subject with its predicates and objects, blank nodes used once
    written in place (``[ ... ]``)."""
    by_subject = triples.by_subject
    once = Counter(o for pairs in by_subject.values() for _, o in pairs if _kind(o) == "b")

    def predicates(pairs) -> list[str]:
        objects: dict = {}
        for predicate, node in pairs:
            objects.setdefault("a" if predicate == TYPE else _term(predicate, vocabulary), []).append(obj(node))
        return sorted(f"{predicate} {' , '.join(sorted(nodes))}" for predicate, nodes in objects.items())

    def obj(node) -> str:
        if _kind(node) == "b" and once[node] == 1:
            return "[ " + " ; ".join(predicates(by_subject.get(node, ()))) + " ]"
        return _term(node, vocabulary)
    out = []
    subjects = {_term(s, vocabulary): s for s in by_subject if not (_kind(s) == "b" and once[s] == 1)}
    for text in sorted(subjects):
        out.append(text + " " + " ;\n    ".join(predicates(by_subject[subjects[text]])) + " .\n\n")
    return "".join(out)


class JsonLdWriter(Writer):
    """JSON-LD: ``{"@context": {prefixes}, "@graph": [node objects]}``, a part at a time."""

    def __init__(self, vocabulary: Vocabulary):
        super().__init__(vocabulary)
        self.written = False

    def opening(self) -> str:
        context = {prefix: namespace for prefix, namespace in sorted(self.vocabulary.prefixes)}
        return '{"@context": ' + json.dumps(context, ensure_ascii=False) + ',\n "@graph": [\n'

    def closing(self) -> str:
        return "\n]}\n"

    def part(self, triples: Triples) -> str:
        by_subject = triples.by_subject
        nodes = [json.dumps(self.node(subject, by_subject), ensure_ascii=False) for subject in self.ordered(by_subject)]
        if not nodes:
            return ""
        text = ",\n".join(nodes)
        if self.written:
            text = ",\n" + text
        self.written = True
        return text

    def name(self, uri: str) -> str:
        return self.vocabulary.curie(uri) or uri

    def node(self, subject, by_subject: dict) -> dict:
        node = {"@id": self.ref(subject)}
        grouped = self.objects(by_subject.get(subject, ()), by_subject)
        for predicate, objs in grouped:  # the classes first, as @type (a literal stays a value)
            if predicate == RDF_TYPE:
                types = [self.ref(o) if _kind(o) == "b" else self.name(str(o)) for o in objs if _kind(o) != "l"]
                if types:
                    node["@type"] = types
        for predicate, objs in grouped:
            if predicate == RDF_TYPE:
                objs = [o for o in objs if _kind(o) == "l"]
                if not objs:
                    continue
            values = [self.value(o) for o in objs]
            node[self.name(predicate)] = values[0] if len(values) == 1 else values
        return node

    def ref(self, node) -> str:
        return "_:" + self.label(node) if _kind(node) == "b" else str(node)

    def value(self, node):
        if _kind(node) == "l":
            if node.language:
                return {"@value": str(node), "@language": node.language}
            if node.datatype is not None:
                return {"@value": str(node), "@type": self.name(str(node.datatype))}
            return str(node)  # a plain string: an xsd:string literal
        return {"@id": self.ref(node)}


def _xml_text(text: str) -> str:
    """Element content: escaped, carriage returns kept (a parser would make them line feeds)."""
    return escape(clean_text(text), {"\r": "&#13;"})


@lru_cache(maxsize=4096)  # IRIs repeat: classes, themes, licences, formats
def _xml_attr(text: str) -> str:
    """An attribute value, quoted; tab and line breaks as character references."""
    return quoteattr(clean_text(text))


class RdfXmlWriter(Writer):
    """RDF/XML: ``rdf:RDF`` with the prefixes, one ``rdf:Description`` per subject."""

    def opening(self) -> str:
        names = "".join(f'\n   xmlns:{prefix}={_xml_attr(namespace)}' for prefix, namespace in
                        sorted(self.vocabulary.prefixes))
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{names}>\n'

    def closing(self) -> str:
        return "</rdf:RDF>\n"

    def part(self, triples: Triples) -> str:
        by_subject = triples.by_subject
        return "".join(self.description(subject, by_subject) for subject in self.ordered(by_subject))

    def about(self, node) -> str:
        if _kind(node) == "b":
            return f"rdf:nodeID={_xml_attr(self.label(node))}"
        return f"rdf:about={_xml_attr(str(node))}"

    def description(self, subject, by_subject: dict) -> str:
        out = [f"  <rdf:Description {self.about(subject)}>\n"]
        for predicate, objs in self.objects(by_subject.get(subject, ()), by_subject):
            element, declaration = self.element(predicate)
            for obj in objs:
                out.append(f"    <{element}{declaration}{self.property(obj, element)}\n")
        out.append("  </rdf:Description>\n")
        return "".join(out)

    def property(self, obj, element: str) -> str:
        """The rest of a property element after its name: an IRI, a blank node or a literal."""
        kind = _kind(obj)
        if kind == "b":
            return f' rdf:nodeID={_xml_attr(self.label(obj))}/>'
        if kind == "i":
            return f" rdf:resource={_xml_attr(str(obj))}/>"
        if obj.language:
            attributes = f" xml:lang={_xml_attr(obj.language)}"
        elif obj.datatype is not None:
            attributes = f" rdf:datatype={_xml_attr(str(obj.datatype))}"
        else:
            attributes = ""
        return f"{attributes}>{_xml_text(str(obj))}</{element}>"

    def element(self, predicate: str) -> tuple[str, str]:
        """A predicate's element name, and the namespace declaration it needs when its
        namespace is not a prefix of the document (``ns0``, on the element itself)."""
        curie = self.vocabulary.curie(predicate)
        if curie in _NOT_PROPERTIES:
            raise ValueError(f"RDF/XML cannot use {curie} as a property")
        if curie:
            return curie, ""
        tail = _NCNAME_TAIL.search(predicate)
        if tail is None or tail.start() == 0:
            raise ValueError(f"RDF/XML cannot name the predicate {predicate!r}")
        return f"ns0:{tail.group()}", f" xmlns:ns0={_xml_attr(predicate[:tail.start()])}"


WRITERS = {"ttl": TurtleWriter, "jsonld": JsonLdWriter, "rdf": RdfXmlWriter}


def write(fmt: str, vocabulary: Vocabulary, parts) -> Iterator[str]:
    """The document in ``fmt`` (``ttl``, ``jsonld`` or ``rdf``) of ``parts`` (an iterable
    of :class:`Triples`), a part at a time: the opening comes with the first part."""
    writer = WRITERS[fmt](vocabulary)
    opening = writer.opening()
    for triples in parts:
        yield opening + writer.part(triples)
        opening = ""
    yield opening + writer.closing()
