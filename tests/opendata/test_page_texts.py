"""The English texts of the machine-read files (column descriptions, the OpenAPI
document) reach people in their language: every text has a Spanish message, translated
in English and Portuguese, the English translation gives the text back, and the files
themselves stay English whatever the page's language."""
import re
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.opendata import texts
from portal.opendata.datasets import all_datasets

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
LANGUAGES = ("es", "en", "pt")


@lru_cache
def catalog(language: str) -> dict:
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and not isinstance(m.id, tuple)}


def shown_texts(app) -> list[str]:
    """Every English text the API reference shows: descriptions of the document, its
    operations and their parameters."""
    from portal.opendata.openapi import document, reference

    with app.test_request_context():
        doc = document()
    found = [doc["info"]["description"]]
    for operation in reference(doc):
        found += [operation["description"]] + [p["description"] for p in operation["parameters"]]
    return [text for text in found if text]


def plain(text: str) -> str:
    return texts.fold(text.replace("``", ""))


def test_every_column_description_has_a_message():
    missing = {(d.key, c.name): c.description for d in all_datasets() for c in d.columns
               if c.description and texts.message(c.description) is None}
    assert not missing, missing
    assert {c.type for d in all_datasets() for c in d.columns} <= set(texts.TYPES)


def test_every_text_of_the_api_reference_has_a_message(app):
    shown = shown_texts(app)
    assert len(shown) > 100  # descriptions of the operations, their parameters and every column filter
    missing = sorted({text for text in shown if texts.message(text) is None})
    assert not missing, "\n".join(missing)


# Views without a docstring: the document gives their endpoint as summary and no
# description, so the page shows none. Writing one changes /api/v1/openapi.json, and needs
# its message in portal/opendata/texts.py (then remove it from here).
UNDOCUMENTED: set[str] = set()


def test_every_endpoint_is_described_and_translated_but_the_known_undocumented(app):
    from portal.opendata.openapi import document

    with app.test_request_context():
        operations = [op for item in document()["paths"].values() for op in item.values()]
    assert {op["operationId"] for op in operations if not op["description"]} == UNDOCUMENTED
    for operation in operations:
        if operation["description"]:
            assert texts.message(operation["description"]), operation["operationId"]
            assert operation["description"].startswith(operation["summary"]), operation["operationId"]


def test_an_unknown_text_has_no_message_and_is_shown_marked_as_english():
    assert texts.message("A brand new description nobody translated") is None
    assert texts.shown("A <new> text", str) == '<span lang="en">A &lt;new&gt; text</span>'
    assert texts.shown("", str) == ""


def test_a_changed_docstring_loses_its_message():
    text = next(iter(texts.API))
    assert texts.message(text) is not None
    assert texts.message("   ".join(text.split(" "))) is not None  # line breaks and indentation do not matter
    assert texts.message(text.rstrip(".") + "!") is None


MESSAGES = [*texts.COLUMNS.items(), *texts.API.items()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_keeps_its_literals(language):
    messages = catalog(language)
    ids = [msgid for _, msgid in MESSAGES] + list(texts.TYPES.values()) + [texts.FILTER_MESSAGE]
    untranslated = [msgid for msgid in ids if not messages.get(msgid)]
    assert not untranslated, untranslated
    for msgid in ids:
        literals = set(texts.LITERAL.findall(msgid))
        assert literals <= set(texts.LITERAL.findall(messages[msgid])), (language, msgid)
        assert re.findall(r"%\(\w+\)s", msgid) == re.findall(r"%\(\w+\)s", messages[msgid]), (language, msgid)


def test_the_english_translation_is_the_text_of_the_files():
    english = catalog("en")
    differ = {text: english[msgid] for text, msgid in MESSAGES if plain(english[msgid]) != plain(text)}
    assert not differ, differ
    filter_text = english[texts.FILTER_MESSAGE] % {"name": "year", "datasets": "presupuesto, diagnostico"}
    assert texts.FILTER.match(plain(filter_text))


def test_literals_become_code_that_is_not_translated():
    assert texts.literals("a ``min_count`` & <b>") == 'a <code translate="no">min_count</code> &amp; &lt;b&gt;'


@pytest.mark.parametrize("language", LANGUAGES)
def test_dataset_pages_describe_columns_in_the_page_language(client, language):
    from flask_babel import force_locale, gettext

    client.set_cookie("lang", language)
    for dataset in all_datasets():
        html = client.get(f"/m/intipuca/datos/{dataset.key}").get_data(as_text=True)
        for column in dataset.columns:
            assert f'<code translate="no" lang="es">{column.es}</code>' in html
            assert f'<code translate="no" lang="en">{column.name}</code>' in html
            if column.description:
                with force_locale(language):
                    wanted = texts.literals(gettext(texts.message(column.description)[0]))
                assert wanted in html, (dataset.key, column.name)
                if language != "en":
                    assert column.description not in html, (dataset.key, column.name)
        if language != "en":
            assert not re.search(r">(string|integer|number|boolean|date|year)</td>", html), dataset.key


def test_dataset_page_lists_the_values_of_a_coded_column(client):
    html = client.get("/m/intipuca/datos/presupuesto").get_data(as_text=True)
    assert '<code translate="no" lang="es">ingreso</code>' in html
    assert '<code translate="no" lang="en">expenditure</code>' in html
    assert ">año</td>" in html and "Año fiscal" in html


@pytest.mark.parametrize("language", ("es", "pt"))
def test_api_reference_shows_no_english_description(app, client, language):
    client.set_cookie("lang", language)
    html = client.get("/api/v1/docs").get_data(as_text=True)
    left = [text for text in shown_texts(app) if len(text) > 20 and texts.fold(text) in texts.fold(html)]
    assert not left, left
    assert "El punto de entrada de la API de lectura" in html if language == "es" else \
        "O ponto de entrada da API de leitura" in html
    assert '<code translate="no">min_count</code>' in html


def test_machine_read_files_do_not_depend_on_the_page_language(client):
    urls = ("/api/v1/openapi.json", "/api/v1/municipalities/intipuca/datasets/presupuesto/datapackage.json")
    answers = {}
    for language in LANGUAGES:
        client.set_cookie("lang", language)
        answers[language] = [client.get(url).get_data() for url in urls]
    assert answers["es"] == answers["en"] == answers["pt"]
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["info"]["description"].startswith("Everything the portal publishes, as JSON.")
    package = client.get(urls[1]).get_json()
    fields = package["resources"][0]["schema"]["fields"]
    assert {"name": "anio", "type": "year", "description": "Fiscal year"}.items() <= fields[0].items()


@pytest.mark.parametrize("language", ("en", "pt"))
def test_dataset_titles_and_descriptions_are_translated(client, language):
    messages = catalog(language)
    for dataset in all_datasets():
        for text in (dataset.title, dataset.description):
            assert messages.get(text) and messages[text] != text, (language, text)
    client.set_cookie("lang", language)
    html = client.get("/m/intipuca/datos/presupuesto").get_data(as_text=True)
    assert all_datasets()[0].description not in html and messages[all_datasets()[0].description] in html
