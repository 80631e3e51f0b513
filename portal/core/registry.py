"""Domains declare themselves: one registry at the seams.

Each domain package has a ``manifest.py`` whose ``DOMAIN`` is a frozen :class:`Domain`:
what the domain offers the rest of the portal. Its ``init_app`` calls
:func:`register` with it (plus its blueprints). Consumers (open data, the Atom feeds,
comparisons, the page cache, the municipality home, the demo loader, the diagnostic's
indicator sources) read the registry and never name a domain, so a new domain is one
package plus one line in the app factory (``portal.DOMAINS``).

A declaration may hold:

- ``sections``: the public sections of the municipality home
  (:class:`portal.core.sections.Section`: card, actions, headline figure, staff work) and
  ``panels`` (:class:`portal.core.sections.Panel`: a block of the home, such as the news
  fetched from the municipality's own site);
- ``sources``: :class:`Source` values that feed diagnostic indicators and roadmap goals;
- ``datasets``: open :class:`Dataset` s with their :class:`Column` s and row functions
  (the downloads, the read API, DCAT, ``data.json`` and the "Datos abiertos" pages);
- ``topics``: :class:`Topic` s, the Atom feed topics with the change record's sections
  that belong to them;
- ``record_sections``: ``(section, label)`` of the change record's sections the domain
  writes, with the name people read (feeds, history);
- ``cached_endpoints``: pages made only of published data, answered from the page cache,
  with their timeouts (``None``: until something is published);
- ``demo``: a :class:`DemoLoader`;
- ``calendar``: a :class:`Calendar` (its dated events for the iCalendar files, and the
  ones the home announces);
- ``comparison``: a :class:`Comparison` (metrics, the fiscal :class:`Semaforo`, the function that collects their
  values, the change record sections that move them);
- ``tenant``: ``tenant(slug)`` finds the municipality of a ``/m/<slug>/`` URL (one domain
  declares it: the municipalities), and ``page_version(slug)``: what a cached page of that
  municipality depends on (the change record's positions), read before it is loaded;
- ``order``: the domain's place in the portal's lists (datasets, topics).

This module is pure: plain frozen dataclasses and dictionaries, no Flask, no database.
Registration is idempotent: registering a key again replaces its declaration in place.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Callable

__all__ = [
    # declarations
    "Domain", "Source", "SourceValue", "Column", "C", "Dataset", "Topic", "DemoLoader", "Calendar", "Happening",
    "Metric", "Collected", "Capacity", "Comparison", "Semaforo", "CHANNELS_ES", "HIGHER", "LOWER", "N_",
    # registration and lookups
    "register", "unregister", "domains", "sections", "panels", "sources", "source", "read", "datasets", "dataset",
    "topics", "section_labels", "cached_endpoints", "find_tenant", "page_version", "demo_loaders", "comparisons",
    "calendar_events", "highlights", "metrics", "default_metric", "compared_sections", "urban_shares",
    "set_urban_shares", "semaforo",
]


def N_(message: str) -> str:
    """Marks a Spanish text for the translation catalogs; declarations keep it as written
    (pages and feeds show ``_(text)``)."""
    return message


# ---- indicator sources ------------------------------------------------------------------

@dataclass(frozen=True)
class SourceValue:
    value: Decimal
    detail: str = ""
    url: str | None = None


@dataclass(frozen=True)
class Source:
    """A value from a domain that feeds diagnostic indicators (financial ratios, survey
    results, complaint statistics). ``value(municipality, as_of, param)`` returns a
    :class:`SourceValue` or None when there is nothing to measure. Keys are
    ``"<domain>.<name>"``."""
    key: str
    label: object  # a (lazy) string
    domain: str
    unit: str  # "ratio", "percent", "score", "days", "money", "count"
    value: Callable[..., SourceValue | None]  # (municipality, as_of: date, param: str|None)
    description: object = ""


# ---- open datasets ----------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str  # English, snake_case
    es: str  # Spanish, snake_case
    type: str  # Table Schema type: string, integer, number, boolean, date, year
    description: str = ""
    column_type: str = ""  # Fiscal Data Package columnType
    enum: tuple = ()
    spanish: object = ()  # (code, Spanish word) pairs of a coded column, or a function of the value:
    # the Spanish files say the word

    def value_in(self, value, lang: str):
        """``value`` as the file of language ``lang`` writes it: a code of a coded column
        becomes its Spanish word in the Spanish files (``revenue`` -> ``ingreso``; a coded
        sentence through the column's function); the English files, the JSON API and
        anything else keep the value."""
        if lang == "es" and self.spanish and isinstance(value, str):
            return self.spanish(value) if callable(self.spanish) else dict(self.spanish).get(value, value)
        return value

    def enum_in(self, lang: str) -> list:
        return [self.value_in(v, lang) for v in self.enum if v]


def C(name, es, type="string", description="", column_type="", enum=(), spanish=()):
    """A :class:`Column`, written short."""
    return Column(name, es, type, description, column_type, tuple(enum), spanish if callable(spanish) else tuple(spanish))


# How a response or a ballot came in: several domains' datasets write it (the Spanish files say the word).
CHANNELS_ES = (("online", "en_linea"), ("paper", "papel"), ("example", "ejemplo"), ("web", "web"),
               ("kiosk", "quiosco"))


@dataclass(frozen=True)
class Dataset:
    """An open dataset every municipality publishes. Column names are stable contracts:
    ``name`` (English) and ``es`` (Spanish) never change once published; new columns are
    only added at the end."""
    key: str  # URL name (Spanish), stable
    title: str  # Spanish (msgid)
    title_en: str
    description: str
    topic: str  # an Atom topic (a registered Topic's key)
    theme: str  # EU data theme (DCAT-AP): ECON, GOVE, SOCI
    super_theme: str  # Latin American profile super theme: ECON, GOVE, SOCI
    keywords: tuple
    columns: tuple
    rows: object = field(repr=False)  # callable(municipality) -> iterator of dicts
    page: str = ""  # endpoint of the page that shows the data
    fiscal: bool = False
    periodicity: str = "R/P1M"  # ISO 8601 repeating duration (accrualPeriodicity)
    skips: bool = False  # rows(municipality, offset=n) skips n rows in the database
    file_row: object = field(default=None, repr=False)  # callable(row) -> row as CSV/XLSX write it
    package: object = field(default=None, repr=False)  # callable(municipality) -> what its Data Package adds

    def column_names(self, lang: str = "es") -> list[str]:
        return [c.name if lang == "en" else c.es for c in self.columns]


@dataclass(frozen=True)
class Topic:
    """An Atom feed topic (``/m/<slug>/feed/<key>.atom``): the change record's sections
    whose changes it carries."""
    key: str
    sections: tuple


# ---- calendars --------------------------------------------------------------------------

@dataclass(frozen=True)
class Happening:
    """A dated event the municipality home announces (as a schema.org ``Event``)."""
    name: str
    start: date
    end: date | None
    url: str
    description: str


@dataclass(frozen=True)
class Calendar:
    """A domain's dated events. ``events(municipality)``: its
    :class:`portal.core.ical.Event` s, in the municipality's whole iCalendar file
    (``/m/<slug>/calendario.ics``; the domain serves its own section's file with
    :func:`portal.core.ical.response`); ``highlights(municipality, limit)``: the
    :class:`Happening` s of its latest ``limit`` published objects, announced by the home;
    ``order``: the domain's place among the calendars."""
    order: int
    events: Callable
    highlights: Callable | None = None


# ---- demo -------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoLoader:
    """``load()`` runs inside the demo transaction, after the municipalities exist, in
    ``order``; it must be idempotent (do nothing when its data is there)."""
    order: int
    load: Callable


# ---- comparisons ------------------------------------------------------------------------

HIGHER, LOWER = "higher", "lower"


@dataclass(frozen=True)
class Metric:
    """An indicator a comparison can show: where its value comes from (``family``), which
    direction is better, the cut-offs of its bands (in the better direction: the first
    band is the best) and how often its data are expected to be updated."""
    key: str
    label: str  # a Spanish msgid; translated where shown
    family: str  # the declaring domain's family: finance | diagnostic | complaints | surveys | participation
    unit: str  # ratio (0-1, shown as %) | score (0-100)
    direction: str  # HIGHER or LOWER is better
    cutoffs: tuple  # three Decimals, best band first (>= for HIGHER, <= for LOWER)
    frequency_days: int
    headline: bool = False
    finance_code: str = ""
    source: str = ""  # a national index: its publisher
    low: Decimal | None = None  # a national index's declared range, when it has one
    high: Decimal | None = None
    title: object = None  # the name pages show (a lazy string); ``label`` when not given
    family_title: object = None  # the family's name pages show (a lazy string)
    default: bool = False  # the indicator the comparison shows when none is chosen (one domain declares it)

    @property
    def external(self) -> bool:
        return self.family == "external"

    @property
    def scale(self) -> tuple[Decimal, Decimal]:
        """The natural range used to put an external index on the same footing."""
        if self.low is not None and self.high is not None:
            return (self.low, self.high)
        return (Decimal(0), Decimal(100)) if self.unit == "score" else (Decimal(0), Decimal(1))


@dataclass(frozen=True)
class Collected:
    """A metric's latest value for one municipality, with the one before (its trend)."""
    period: str
    value: Decimal
    previous_period: str = ""
    previous_value: Decimal | None = None
    data_date: date | None = None
    verified: bool = True
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class Capacity:
    """A municipality's fiscal capacity for peer groups: its latest year's own revenue and
    budget (money, the municipality's currency)."""
    year: int | None = None
    own_revenue: Decimal | None = None
    budget: Decimal | None = None


@dataclass(frozen=True)
class Semaforo:
    """The platform-wide fiscal semáforo (one domain declares it: finance): each
    municipality's stored traffic light. ``statement(country, light)`` is a select of
    municipalities (filters: an ISO country code, a light code; "" for none), paged by the
    columns ``key()``; ``rows(municipalities)`` gives, in the reader's language, one dict
    per municipality (``municipality``, ``slug``, ``country``, ``light`` code,
    ``label``, ``reasons`` (list of sentences), ``year``, ``month``, ``period``,
    ``path`` and ``url``: the municipality's page, relative and absolute); ``choices()`` the (code, name) of the lights, worst first; ``meanings``:
    code -> what the light means (lazy strings)."""
    statement: Callable
    key: Callable
    rows: Callable
    choices: Callable
    meanings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    """A domain's part in the comparisons: its ``metrics`` (in ``order`` among the
    domains); ``collect(municipality, today, metrics) -> {metric key: Collected}`` for
    those metrics (queries: run by the comparison's refresh, never by a page);
    ``capacity(municipality) -> Capacity`` for the peer groups (one domain declares it);
    ``sections``: the change record's sections whose changes move the comparison (a
    refresh of changed municipalities reads them); ``urban_shares(ids) -> {id: Decimal}``
    and ``set_urban_shares({id: Decimal})`` keep the municipalities' urban population
    shares, a capacity input the municipalities' import file carries (one domain declares
    them: the comparisons, which store them); ``semaforo``: the fiscal
    :class:`Semaforo` the comparisons show platform-wide."""
    order: int = 100
    metrics: tuple = ()
    collect: Callable | None = None
    capacity: Callable | None = None
    sections: tuple = ()
    urban_shares: Callable | None = None
    set_urban_shares: Callable | None = None
    semaforo: Semaforo | None = None


# ---- the declaration --------------------------------------------------------------------

@dataclass(frozen=True)
class Domain:
    key: str
    order: int = 100  # place in the portal's lists of datasets and topics
    sections: tuple = ()
    panels: tuple = ()
    sources: tuple = ()
    datasets: tuple = ()
    topics: tuple = ()
    record_sections: tuple = ()  # (change record section, lazy label)
    cached_endpoints: tuple = ()  # (endpoint, timeout seconds or None)
    demo: DemoLoader | None = None
    comparison: Comparison | None = None
    calendar: Calendar | None = None
    tenant: Callable | None = None  # (slug) -> the municipality or None
    page_version: Callable | None = None  # (slug) -> str
    record_labels: tuple = ()  # callables naming its objects and fields in the change record, run on registration


_DOMAINS: dict[str, Domain] = {}


def register(domain: Domain) -> Domain:
    """Declare ``domain`` (its key replaces an earlier declaration, in place) and run its
    ``record_labels`` (how the change record names its objects)."""
    _DOMAINS[domain.key] = domain
    for declare in domain.record_labels:
        declare()
    return domain


def unregister(key: str) -> None:
    _DOMAINS.pop(key, None)


def domains() -> list[Domain]:
    """Every declaration, in the order the domains were registered."""
    return list(_DOMAINS.values())


def _listed() -> list[Domain]:
    return sorted(_DOMAINS.values(), key=lambda d: d.order)


def sections() -> list:
    """The home's sections, in their own ``order``."""
    return sorted((s for d in _DOMAINS.values() for s in d.sections), key=lambda s: s.order)


def panels() -> list:
    return sorted((p for d in _DOMAINS.values() for p in d.panels), key=lambda p: p.order)


def sources() -> list[Source]:
    """Every indicator source, by key."""
    return sorted((s for d in _DOMAINS.values() for s in d.sources), key=lambda s: s.key)


def source(key: str) -> Source | None:
    return next((s for d in _DOMAINS.values() for s in d.sources if s.key == key), None)


def read(key: str, municipality, as_of: date, param: str | None = None) -> SourceValue | None:
    """Source ``key``'s value, or None when no domain declares it or it has no data."""
    found = source(key)
    return None if found is None else found.value(municipality, as_of, param)


def datasets() -> tuple[Dataset, ...]:
    """Every open dataset, domain by domain in their ``order``."""
    return tuple(ds for d in _listed() for ds in d.datasets)


def dataset(key: str) -> Dataset | None:
    return next((ds for ds in datasets() if ds.key == key), None)


def topics() -> dict[str, tuple]:
    """Atom topics: key -> the change record's sections, domain by domain in their ``order``."""
    return {t.key: t.sections for d in _listed() for t in d.topics}


def section_labels() -> dict:
    """The change record's sections -> their names as people read them (lazy strings)."""
    return {section: label for d in _DOMAINS.values() for section, label in d.record_sections}


def cached_endpoints() -> dict[str, int | None]:
    """Endpoints of the pages the page cache may answer, with their timeouts."""
    return {endpoint: timeout for d in _DOMAINS.values() for endpoint, timeout in d.cached_endpoints}


def find_tenant(slug: str):
    """The municipality named by ``slug`` (None when unknown or no domain finds tenants)."""
    finder = next((d.tenant for d in _DOMAINS.values() if d.tenant is not None), None)
    return None if finder is None else finder(slug)


def page_version(slug: str | None) -> str:
    """What the cached pages of the municipality named by ``slug`` (None: the pages of the
    whole platform) depend on ("" when no domain declares it)."""
    version = next((d.page_version for d in _DOMAINS.values() if d.page_version is not None), None)
    return "" if version is None else version(slug)


def _calendars() -> list[Calendar]:
    return sorted((d.calendar for d in _DOMAINS.values() if d.calendar is not None), key=lambda c: c.order)


def calendar_events(municipality) -> list:
    """Every domain's dated events of ``municipality`` (the whole iCalendar file)."""
    return [event for calendar in _calendars() for event in calendar.events(municipality)]


def highlights(municipality, limit: int) -> list[Happening]:
    """The events the home announces: each calendar's latest ``limit`` published objects'."""
    return [h for calendar in _calendars() if calendar.highlights is not None
            for h in calendar.highlights(municipality, limit)]


def demo_loaders() -> list[tuple[str, Callable]]:
    """(domain key, load) in the loaders' ``order``."""
    found = [(d.demo.order, d.key, d.demo.load) for d in _DOMAINS.values() if d.demo is not None]
    return [(key, load) for _, key, load in sorted(found, key=lambda item: item[0])]


def comparisons() -> list[tuple[str, Comparison]]:
    """(domain key, its Comparison), in the comparisons' ``order``."""
    found = [(d.key, d.comparison) for d in _DOMAINS.values() if d.comparison is not None]
    return sorted(found, key=lambda item: item[1].order)


def urban_shares(ids) -> dict:
    """The stored urban population shares of the municipalities ``ids`` ({} when no
    comparison keeps them)."""
    reader = next((c.urban_shares for _, c in comparisons() if c.urban_shares is not None), None)
    return {} if reader is None else reader(ids)


def set_urban_shares(shares: dict) -> None:
    """Store urban population shares ({municipality id: Decimal}) where a comparison keeps them."""
    for _, comparison in comparisons():
        if comparison.set_urban_shares is not None:
            comparison.set_urban_shares(shares)


def metrics() -> tuple[Metric, ...]:
    return tuple(m for _, c in comparisons() for m in c.metrics)


def default_metric() -> Metric | None:
    """The indicator the comparison shows when none is chosen: the metric a domain declares
    ``default``, else the first headline metric, else the first (None without metrics)."""
    declared = metrics()
    return next((m for m in declared if m.default), None) or next((m for m in declared if m.headline), None) \
        or next(iter(declared), None)


def compared_sections() -> tuple[str, ...]:
    """The change record's sections whose changes move the comparison."""
    return tuple(s for _, c in comparisons() for s in c.sections)


def semaforo() -> Semaforo | None:
    """The declared fiscal semáforo (None when no domain declares one)."""
    return next((c.semaforo for _, c in comparisons() if c.semaforo is not None), None)
