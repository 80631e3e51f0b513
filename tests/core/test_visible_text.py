"""What people read on every page: no internal names, and no Spanish left on English and
Portuguese pages.

Every HTML page of the portal (the walk of :mod:`tests.surface.pages`: public and staff,
ids from the demo, every published budget year and open dataset, plus the history's
entries) is rendered in Spanish, English and Portuguese; the visible text (text nodes plus ``title``,
``aria-label``, ``alt`` and ``placeholder``; not scripts, styles or elements marked
``translate="no"``, which is how file columns, formulas and commands are shown) must not
contain identifiers: snake_case tokens, model class names, or the portal's English state
codes on a Spanish or Portuguese page, nor English phrases there (a clause with a word only
English has, such as "the", "with" or "which", and another English word; values the
database holds excepted). On English and Portuguese pages no message of the catalog
appears in its Spanish form when it has another translation.
"""
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.surface.pages import budget_year_pages, dataset_pages, pages as surface_pages

LANGUAGES = ("es", "en", "pt")
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")

SNAKE = re.compile(r"(?<![\w/.@#=-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.@-])")
# The codes the portal stores for states, kinds and roles, in English: never shown on a page
# in another language. ("ranking" is Spanish too.)
CODES = re.compile(
    r"(?<![\w/.#=-])(not_started|in_progress|draft|published|delayed|cancelled|received|fixed|wont_fix|not_ours|duplicate|"
    r"proposed|in_review|accepted|rejected|approval|cumulative|percentage|average|direct|oneoff|"
    r"single|multiple|matrix|anyone|signed_in|submitted|queried|scored|municipality|"
    r"at_close|singlevaluelist|multivaluelist|admin|editor|publisher|moderator|verifier|resident|"
    r"anonymous|platform_admin|income|expense|accrued|unpublish|none|true|false|None|True|False)(?![\w/-])")
# References the portal makes up (a voted project's work, "pp-1-3") and counting rules' codes
# ("mes-add1", "greedy"): never shown, in any language.
MADE_UP = re.compile(r"(?<![\w/.@#=-])(?:[a-z]{1,4}-\d+-\d+|greedy|mes-add1(?:-comparison|-greedy)?)(?![\w/-])")
# Words only English has, and other common English words: a clause (text between
# punctuation) with one of the first and two of either is English.
ONLY_ENGLISH = "the|with|which|from|this|that|are|is|when|without|every|each|their|its"
ENGLISH_CLAUSE = re.compile(rf"(?i)[^.;:()«»\n]*\b(?:{ONLY_ENGLISH})\b[^.;:()«»\n]*")
ENGLISH_WORD = re.compile(rf"(?i)\b(?:{ONLY_ENGLISH}|and|of|or|to|in|by|for|not|only|per|as)\b")
# Model names that are also ordinary words in Spanish or Portuguese.
COMMON_WORDS = {"Plan", "Unit"}


class VisibleText(HTMLParser):
    """The text a person sees or hears, skipping scripts, styles and ``translate="no"``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.stack = []  # (tag, hidden)

    def _hidden(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = self._hidden() or tag in ("script", "style", "template") or attrs.get("translate") == "no"
        if not hidden:
            self.parts += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


@lru_cache
def model_names():
    from portal.extensions import db

    return {m.class_.__name__ for m in db.Model.registry.mappers} - COMMON_WORDS


def identifiers(text: str, language: str) -> set[str]:
    found = set(SNAKE.findall(text)) | set(MADE_UP.findall(text))
    words = {word for word in re.findall(r"\b[A-Z][A-Za-z]+\b", text) if word in model_names()}
    # On English pages a one-word model name is an English word ("Report"); CamelCase never is.
    found |= {word for word in words if language != "en" or sum(c.isupper() for c in word) > 1}
    if language != "en":
        found |= set(CODES.findall(text))
    return found


def english(text: str, data: str = "") -> list[str]:
    """English clauses of a page's text, leaving out those the database holds (``data``)."""
    clauses = (" ".join(found.split()) for found in ENGLISH_CLAUSE.findall(text))
    return [clause for clause in clauses if len(ENGLISH_WORD.findall(clause)) >= 2 and clause not in data]


@lru_cache
def spanish_left(language: str) -> tuple[str, ...]:
    """Pieces of catalog messages whose translation differs (long enough not to be a common word)."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    pieces = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or not message.string or message.string == message.id:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|[«»]", message.id):
            piece = " ".join(piece.split()).strip(" .,:;()")
            if len(piece) >= 18 and piece not in message.string:
                pieces.add(piece)
    return tuple(sorted(pieces))


def stored_text() -> str:
    """Every text the database holds (the demo's names and titles are Spanish data, not interface)."""
    from sqlalchemy import String, Text, select

    from portal.extensions import db

    values = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
        if columns:
            for row in db.session.execute(select(*columns)):
                values += [v for v in row if v]
    return "\n".join(values)


def test_the_scanner_finds_what_it_should(app):
    html = ('<p>Falta el dato: saldo_deuda</p><p title="ReportUpdate 283">x</p><script>var a_b = 1</script>'
            '<code translate="no">from_year, to_year</code><p>estado not_started → in_progress</p>')
    text = VisibleText.of(html)
    assert "a_b" not in text and "from_year" not in text
    assert identifiers(text, "es") == {"saldo_deuda", "ReportUpdate", "not_started", "in_progress"}
    assert identifiers("Plan 2014 · user@example.org · /m/intipuca/historial.csv · #ind-1_2", "es") == set()
    assert identifiers("obra vinculada — → pp-1-3 · regla mes-add1 · greedy", "en") == {"pp-1-3", "mes-add1", "greedy"}
    assert identifiers("2026-01 · 61.PP.3 · ejemplo-sv-cerro · /m/x/presupuesto/1-2", "es") == set()
    page = VisibleText.of('<td>Valor exacto en la API JSON</td><td>Value: exact in the JSON API; in the files rounded.'
                          '</td><p>Each row is one line</p><code translate="no">the year of the line</code>')
    assert english(page) == ["exact in the JSON API", "in the files rounded", "Each row is one line"]
    assert english(page, data="Each row is one line") == ["exact in the JSON API", "in the files rounded"]
    assert english("Código ISO 3166 · la fecha de cada línea · per cápita · Open311 GeoReport v2 · in situ") == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_shows_no_internal_names_and_no_untranslated_spanish(app, client, login, muni, language):
    from portal.accounts import services

    user = login(platform_admin=True)
    for role in ("admin", "editor", "publisher", "moderator", "verifier"):
        services.grant(user, muni, role)
    client.set_cookie("lang", language)
    pages = [page.url for page in surface_pages(app, extra=budget_year_pages(app) + dataset_pages())]
    # The history's entry pages too, for every kind of object the demo records.
    from sqlalchemy import func, select

    from portal.audit.models import ChangeRecord
    from portal.extensions import db

    seqs = db.session.execute(select(func.min(ChangeRecord.seq)).where(ChangeRecord.municipality_id == muni.id)
                              .group_by(ChangeRecord.object_type, ChangeRecord.action)).scalars()
    pages += [f"/m/{muni.slug}/historial/{seq}" for seq in seqs]
    pages += [f"/m/{muni.slug}/historial?seccion={section}" for section in
              db.session.execute(select(ChangeRecord.section).where(ChangeRecord.municipality_id == muni.id)
                                 .distinct()).scalars()]
    assert len(pages) > 100
    data = stored_text()
    leftovers = [piece for piece in spanish_left(language) if piece not in data] if language != "es" else ()
    problems = {}
    for path in pages:
        response = client.get(path)
        if "text/html" not in response.content_type or 300 <= response.status_code < 400:
            continue  # a redirect's body is the address it points to
        text = VisibleText.of(response.get_data(as_text=True))
        found = sorted(identifiers(text, language))
        found += [f"«{piece}»" for piece in leftovers if piece in text]
        found += [f"English «{clause}»" for clause in english(text, data)] if language != "en" else []
        if found or response.status_code >= 500:
            problems[path] = (response.status_code, found[:12])
    assert not problems, "\n".join(f"{path} {status}: {found}" for path, (status, found) in problems.items())
