"""The budget classifier as data: codes, names, income or expense, and the aggregates
each code feeds (pure).

El Salvador's economic classification (Ministerio de Hacienda) is the default
(``data/classifier_sv.csv``); another country's is a CSV file with the same columns,
``code, name, kind, aggregates``: ``kind`` is ``income`` or ``expense`` and
``aggregates`` a space-separated list of aggregate names. A row whose code is
``tag:<tag>`` says which aggregates the lines carrying that tag feed (e.g. the
``infraestructura`` part of investment).

A budget line's code is its rubro (``11``) or a finer line under it (``11.01``,
``61.PP.3``); the rubro is the part before the first dot and must be in the
classifier. Every line is a leaf: a rubro's total is the sum of all its lines.
"""
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
INCOME, EXPENSE = "income", "expense"
LINE_CODE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z_-]+)*$")


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    kind: str
    aggregates: tuple[str, ...]


@dataclass(frozen=True)
class Classifier:
    name: str
    codes: tuple[Code, ...]
    tags: tuple[Code, ...] = ()

    def get(self, rubro: str) -> Code | None:
        for code in self.codes:
            if code.code == rubro:
                return code
        return None

    def aggregate_names(self) -> list[str]:
        out = []
        for code in (*self.codes, *self.tags):
            for name in code.aggregates:
                if name not in out:
                    out.append(name)
        return out

    def tag_aggregates(self, tags) -> tuple[str, ...]:
        out = []
        for code in self.tags:
            if code.code in tags:
                out.extend(code.aggregates)
        return tuple(out)


def rubro_of(code: str) -> str:
    return code.split(".", 1)[0]


def check_code(classifier: Classifier, code: str) -> str | None:
    """None when ``code`` is a valid line code, else a code for what is wrong: ``format``
    (not a rubro or a line under one) or ``rubro`` (the rubro is not in the classifier).
    The words people read are in :mod:`portal.finance.wording`."""
    if not code or not LINE_CODE.match(code) or len(code) > 40:
        return "format"
    if classifier.get(rubro_of(code)) is None:
        return "rubro"
    return None


def parse_classifier(text: str, name: str = "") -> Classifier:
    """A classifier from CSV text; raises ValueError naming the bad row."""
    codes, tags = [], []
    reader = csv.DictReader(io.StringIO(text))
    for number, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        kind = (row.get("kind") or "").strip()
        if not code or kind not in (INCOME, EXPENSE):
            raise ValueError(f"row {number}: needs a code and a kind (income or expense)")
        entry = Code(code.removeprefix("tag:"), (row.get("name") or "").strip(), kind,
                     tuple((row.get("aggregates") or "").split()))
        (tags if code.startswith("tag:") else codes).append(entry)
    if not codes:
        raise ValueError("the classifier has no codes")
    return Classifier(name, tuple(codes), tuple(tags))


_CACHE: dict[str, Classifier] = {}


def for_country(country: str | None, folder: str | Path | None = None) -> Classifier:
    """The country's classifier file (``classifier_<cc>.csv``, looked up first in
    ``folder``, then among the shipped ones), else El Salvador's."""
    key = (country or "sv").lower()
    cache_key = f"{folder or ''}|{key}"
    if cache_key not in _CACHE:
        candidates = [Path(folder) / f"classifier_{key}.csv"] if folder else []
        candidates += [DATA / f"classifier_{key}.csv", DATA / "classifier_sv.csv"]
        path = next(p for p in candidates if p.exists())
        _CACHE[cache_key] = parse_classifier(path.read_text(encoding="utf-8"), path.stem)
    return _CACHE[cache_key]
