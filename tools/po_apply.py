"""Apply translations from a JSON file to the catalogs (a translator's tool).

Usage: python tools/po_apply.py FILE.json [LANG ...]
The file maps each Spanish message id to {"en": "...", "pt": "..."}; for a plural
message (``msgid`` with ``msgid_plural``) the key is the singular id and each value
a list of two forms. Run ``flask --app wsgi translate update`` first; list what is
missing with ``python tools/po_apply.py --missing LANG``.
"""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def catalog_path(lang):
    return ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"


def apply(mapping: dict, lang: str) -> int:
    path = catalog_path(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    changed = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key and key in mapping and lang in mapping[key]:
            value = mapping[key][lang]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
            changed += 1
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    return changed


def missing(lang: str) -> list:
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    out = []
    for message in catalog:
        if not message.id:
            continue
        empty = not any(message.string) if isinstance(message.id, tuple) else not message.string
        if empty:
            out.append(message.id[0] if isinstance(message.id, tuple) else message.id)
    return out


if __name__ == "__main__":
    if sys.argv[1] == "--missing":
        print(json.dumps(missing(sys.argv[2]), ensure_ascii=False, indent=1))
    else:
        data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
        for lang in sys.argv[2:] or ("en", "pt"):
            print(lang, apply(data, lang))
