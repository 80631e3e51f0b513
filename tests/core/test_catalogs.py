"""The catalogs are complete: every message has an English and a Portuguese translation,
with the same placeholders as the Spanish message id."""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["en", "pt"])
def test_every_message_is_translated_with_its_placeholders(language):
    catalog = _catalog(language)
    empty, placeholders = [], []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            empty.append(ids[0])
            continue
        if any(set(PLACEHOLDER.findall(s)) - set(PLACEHOLDER.findall(ids[-1])) for s in strings):
            placeholders.append(ids[0])
    assert len(catalog) > 500
    assert not empty, f"{len(empty)} messages without a {language} translation: {empty[:30]}"
    assert not placeholders, f"translations with a placeholder the message lacks: {placeholders[:30]}"


def test_no_message_is_marked_fuzzy():
    fuzzy = [m.id for language in ("en", "pt") for m in _catalog(language) if m.id and m.fuzzy]
    assert not fuzzy, fuzzy[:30]
