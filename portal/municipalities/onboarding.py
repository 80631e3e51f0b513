"""Validating a country's list of municipalities and naming them (pure).

A file of municipalities (see :data:`COLUMNS`) is read by ``portal.core.tabular`` and
checked here, whole, before anything is written: :func:`check` turns each row into a
:class:`Candidate` and lists every :class:`Issue` (row as Excel numbers it, the column's
key, a message code and its parameters; the caller translates them and names the column
as the file wrote it). :func:`assign_slugs` gives new municipalities their address.

Slugs: the file's ``slug`` when given; otherwise the municipality's current slug when
it is already on the portal (matched by country and code), so re-importing never moves
an address; otherwise the name (``san-jose``), with the department when another
municipality of the file or of the portal has the same name (``san-jose-la-union``),
and with the code when even that repeats. Decisions depend only on the file and the
existing slugs, so importing the same file twice gives the same slugs.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

# canonical (English) name -> accepted spellings (Spanish); headers are matched without
# accents, case or punctuation.
COLUMNS = {
    "code": ("codigo", "codigo_municipio"),
    "slug": ("identificador",),
    "name": ("nombre", "municipio"),
    "department": ("departamento", "estado", "provincia"),
    "country": ("pais",),
    "population": ("poblacion",),
    "urban_share": ("proporcion_urbana",),
    "currency": ("moneda",),
    "locale": ("formato",),
    "districts": ("distritos",),
}
REQUIRED = ("code", "name")
SPANISH = {"code": "codigo", "slug": "slug", "name": "nombre", "department": "departamento", "country": "pais",
           "population": "poblacion", "urban_share": "proporcion_urbana", "currency": "moneda",
           "locale": "formato", "districts": "distritos"}
MAX_CODE, MAX_NAME, MAX_SLUG = 20, 120, 59
MAX_POPULATION = 100_000_000
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}$")


@dataclass(frozen=True)
class Issue:
    row: int | None
    column: str | None  # a key of COLUMNS
    code: str  # a message code, see portal.municipalities.importing.MESSAGES
    params: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Candidate:
    row: int
    code: str
    name: str
    country: str
    department: str = ""
    slug: str = ""  # as given (may be empty)
    population: int | None = None
    urban_share: Decimal | None = None
    currency: str = ""
    locale: str = ""
    districts: tuple = ()
    given: frozenset = frozenset()  # the columns this row filled (others keep their value)


def text(value) -> str:
    """A cell as text on one line: ``1411.0`` from a spreadsheet becomes ``1411``; line
    breaks and runs of spaces inside a name become one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def slugify(value: str) -> str:
    """``San José de las Flores`` -> ``san-jose-de-las-flores`` (ASCII, hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _number(value, parse):
    try:
        return parse(value), None
    except ValueError:
        return None, "not_a_number"


def _population(value, parse):
    number, problem = _number(value, parse)
    if problem or number is None:
        return None, problem
    if number != number.to_integral_value():
        return None, "population_whole"
    if not 0 <= number <= MAX_POPULATION:
        return None, "population_range"
    return int(number), None


def _share(value, parse):
    raw = text(value)
    percent = raw.endswith("%")
    number, problem = _number(raw.rstrip("%").strip() if percent else value, parse)
    if problem or number is None:
        return None, problem
    if percent:
        number = number / 100
    if not 0 <= number <= 1:
        return None, "share_range"
    return number, None


def check(rows: list[dict], *, countries: set, parse_decimal, country: str = "",
          currency_of=None, locale_ok=None) -> tuple[list[Candidate], list[Issue]]:
    """Candidates and every issue of ``rows`` (dicts keyed by :data:`COLUMNS`, with ``_row``).

    ``countries``: the ISO 3166 codes accepted; ``country``: the default for rows without
    one (a row naming another country is an issue); ``parse_decimal``: the house's number
    reader; ``currency_of(country)`` and ``locale_ok(locale)`` let the caller supply
    defaults and checks that need Babel.
    """
    issues, out = [], []
    first_code: dict = {}
    first_slug: dict = {}
    default = country.strip().upper()
    for row in rows:
        n = row["_row"]
        given = frozenset(k for k, v in row.items() if k != "_row" and v not in (None, ""))
        code = text(row.get("code"))
        if not code:
            issues.append(Issue(n, "code", "code_empty"))
        elif len(code) > MAX_CODE:
            issues.append(Issue(n, "code", "too_long", {"limit": MAX_CODE}))
        name = text(row.get("name"))
        if not name:
            issues.append(Issue(n, "name", "name_empty"))
        elif len(name) > MAX_NAME:
            issues.append(Issue(n, "name", "too_long", {"limit": MAX_NAME}))
        department = text(row.get("department"))
        if len(department) > MAX_NAME:
            issues.append(Issue(n, "department", "too_long", {"limit": MAX_NAME}))
        place = text(row.get("country")).upper() or default
        if not place:
            issues.append(Issue(n, "country", "country_empty"))
        elif place not in countries:
            issues.append(Issue(n, "country", "country_unknown", {"value": text(row.get("country"))}))
        elif default and place != default:
            issues.append(Issue(n, "country", "country_other", {"value": place, "country": default}))
        population, problem = _population(row.get("population"), parse_decimal)
        if problem:
            issues.append(Issue(n, "population", problem, {"value": text(row.get("population"))}))
        share, problem = _share(row.get("urban_share"), parse_decimal)
        if problem:
            issues.append(Issue(n, "urban_share", problem, {"value": text(row.get("urban_share"))}))
        currency = text(row.get("currency")).upper()
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            issues.append(Issue(n, "currency", "currency_bad", {"value": text(row.get("currency"))}))
        elif not currency and place in countries and currency_of is not None:
            currency = currency_of(place)
        locale = text(row.get("locale")).replace("-", "_")
        if locale and locale_ok is not None and not locale_ok(locale):
            issues.append(Issue(n, "locale", "locale_bad", {"value": text(row.get("locale"))}))
        slug = text(row.get("slug")).lower()
        if slug and not SLUG.match(slug):
            issues.append(Issue(n, "slug", "slug_bad", {"value": text(row.get("slug"))}))
        elif slug:
            if slug in first_slug:
                issues.append(Issue(n, "slug", "slug_repeated", {"value": slug, "first": first_slug[slug]}))
            first_slug.setdefault(slug, n)
        districts, seen = [], set()
        for part in text(row.get("districts")).split(";"):
            part = part.strip()
            if part and part.lower() not in seen:
                seen.add(part.lower())
                districts.append(part)
        if any(len(d) > MAX_NAME for d in districts):
            issues.append(Issue(n, "districts", "district_long", {"limit": MAX_NAME}))
        if code and place:
            key = (place, code)
            if key in first_code:
                issues.append(Issue(n, "code", "code_repeated", {"value": code, "first": first_code[key]}))
            first_code.setdefault(key, n)
        out.append(Candidate(n, code, name, place, department, slug, population, share, currency, locale,
                             tuple(districts), given))
    return out, issues


def _fit(base: str, suffix: str = "") -> str:
    """``base`` with ``suffix``, cut so the slug keeps at most :data:`MAX_SLUG` characters."""
    suffix = f"-{suffix}" if suffix else ""
    return (base[:MAX_SLUG - len(suffix)].strip("-") + suffix).strip("-")


def assign_slugs(candidates: list[Candidate], current: dict, taken: dict) -> tuple[dict, list[Issue]]:
    """{row: slug} for every candidate, and the issues of slugs that cannot be given.

    ``current``: {(country, code): slug} of municipalities already on the portal;
    ``taken``: {slug: (country, code)} of every existing municipality (code may be None).
    """
    out, issues = {}, []
    owner = {slug: key for slug, key in taken.items()}
    # slugs fixed first: given in the file, or kept from the portal
    for c in candidates:
        key = (c.country, c.code)
        slug = c.slug or current.get(key, "")
        if not slug:
            continue
        if owner.get(slug, key) != key:
            issues.append(Issue(c.row, "slug", "slug_taken", {"value": slug}))
            continue
        owner[slug] = key
        out[c.row] = slug
    pending = [c for c in candidates if c.row not in out and not c.slug]
    names: dict = {}
    for c in pending:
        names.setdefault(slugify(c.name), []).append(c)
    existing_names = {slug for slug in owner}
    for base, group in sorted(names.items()):
        shared = len(group) > 1 or base in existing_names
        for c in sorted(group, key=lambda c: (slugify(c.department), c.code)):
            key = (c.country, c.code)
            tries = [_fit(base)] if not shared else []
            if c.department:
                tries.append(_fit(base, slugify(c.department)))
            tries.append(_fit(base, slugify(c.code)))
            tries.append(_fit(base, slugify(f"{c.department}-{c.code}")))
            slug = next((t for t in tries if SLUG.match(t) and owner.get(t, key) == key), None)
            if slug is None:
                issues.append(Issue(c.row, "name", "slug_impossible", {"value": c.name}))
                continue
            owner[slug] = key
            out[c.row] = slug
    return out, issues
