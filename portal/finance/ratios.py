"""Financial-health indicators: aggregates per year and phase, then each formula.

Pure: plain values and frozen dataclasses in and out (no Flask, no database).

Names a formula can read:

- ``<aggregate>_<phase>``: an aggregate of the classifier (``ingresos_propios``,
  ``gastos_corrientes``, ``inversion_infraestructura``...) or ``rubro_<code>``, in a
  phase: ``presupuestado`` (approved), ``modificado``, ``devengado`` (accrued),
  ``percibido`` (collected or paid). A phase with no amount on any line of the year is
  absent (not zero); when some line has it, aggregates no line feeds are zero.
- facts by name (``saldo_deuda``, ``pasivo_circulante``...). A fact named like an
  aggregate and phase (``ingresos_propios_devengado``) states that value for a year
  whose lines do not hold it; a fact named like a bare aggregate
  (``ingresos_operacionales``) states it for every phase.
- ``anterior_<name>``: any of the above for the previous year.
"""
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from portal.finance import expressions
from portal.finance.classifier import Classifier, rubro_of

PHASES = {"presupuestado": "approved", "modificado": "modified", "devengado": "accrued", "percibido": "cash"}
PREVIOUS = "anterior_"
MEETS, FAILS, NO_THRESHOLD, NOT_COMPUTABLE = "meets", "fails", "no_threshold", "not_computable"


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    approved: Decimal | None = None
    modified: Decimal | None = None
    accrued: Decimal | None = None
    cash: Decimal | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class YearData:
    year: int
    lines: tuple[Line, ...] = ()
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    formula: str
    unit: str = "ratio"  # ratio | money
    display: str = "percent"  # percent | times | money
    direction: str = ""  # ">=", "<=", "higher", "lower" or "" (a share)
    threshold: Decimal | None = None
    ideal: str = ""


@dataclass(frozen=True)
class Result:
    definition: Definition
    year: int
    value: Decimal | None
    status: str
    reason: str
    plugged: str
    inputs: dict

    @property
    def code(self):
        return self.definition.code


def load_catalog(text: str) -> list[Definition]:
    """Definitions from JSON text; raises ValueError (naming the code) on a bad one."""
    out = []
    for item in json.loads(text):
        threshold = item.get("threshold")
        definition = Definition(
            code=item["code"], name=item["name"], formula=item["formula"], unit=item.get("unit", "ratio"),
            display=item.get("display", "percent"), direction=item.get("direction") or "",
            threshold=Decimal(str(threshold)) if threshold not in (None, "") else None, ideal=item.get("ideal", ""))
        check_definition(definition)
        out.append(definition)
    return out


def check_definition(definition: Definition) -> None:
    try:
        expressions.parse(definition.formula)
    except expressions.FormulaError as error:
        raise ValueError(f"{definition.code}: {error}") from None
    if definition.direction not in (">=", "<=", "higher", "lower", ""):
        raise ValueError(f"{definition.code}: direction must be >=, <=, higher, lower or empty")
    if definition.direction in (">=", "<=") and definition.threshold is None:
        raise ValueError(f"{definition.code}: a threshold is needed with {definition.direction}")


DEFAULT_CATALOG = tuple(load_catalog((Path(__file__).resolve().parent / "data" / "indicators.json")
                                     .read_text(encoding="utf-8")))


def variables(classifier: Classifier, data: YearData | None) -> dict:
    """Every name a formula can read for one year (values are exact Decimals)."""
    if data is None:
        return {}
    names = classifier.aggregate_names() + [f"rubro_{c.code}" for c in classifier.codes]
    out = {}
    for phase, attr in PHASES.items():
        present = [line for line in data.lines if getattr(line, attr) is not None]
        if not present:
            continue
        sums = dict.fromkeys(names, Decimal(0))
        for line in present:
            code = classifier.get(rubro_of(line.code))
            if code is None:
                continue
            amount = getattr(line, attr)
            for aggregate in (*code.aggregates, f"rubro_{code.code}", *classifier.tag_aggregates(line.tags)):
                sums[aggregate] = sums.get(aggregate, Decimal(0)) + amount
        for name, value in sums.items():
            out[f"{name}_{phase}"] = value
    aggregate_names = set(names)
    for name, value in data.facts.items():
        if value is None:
            continue
        out[name] = value
        if name in aggregate_names:
            for phase in PHASES:
                out[f"{name}_{phase}"] = value
    for name, value in data.facts.items():  # phase-specific facts win over bare ones
        if value is not None and any(name.endswith("_" + p) for p in PHASES):
            out[name] = value
    return out


def with_previous(current: dict, previous: dict) -> dict:
    merged = dict(current)
    merged.update({PREVIOUS + k: v for k, v in previous.items()})
    return merged


def status_of(definition: Definition, value: Decimal | None) -> str:
    if value is None:
        return NOT_COMPUTABLE
    if definition.threshold is None or definition.direction not in (">=", "<="):
        return NO_THRESHOLD
    ok = value >= definition.threshold if definition.direction == ">=" else value <= definition.threshold
    return MEETS if ok else FAILS


def compute_one(definition: Definition, year: int, values: dict) -> Result:
    tree = expressions.parse(definition.formula)
    inputs = {name: values.get(name) for name in expressions.names(tree)}
    plugged = expressions.render(tree, values, fmt=_cents_text)
    try:
        value = expressions.evaluate(tree, values)
    except expressions.NotComputable as error:
        return Result(definition, year, None, NOT_COMPUTABLE, error.reason, plugged, inputs)
    return Result(definition, year, value, status_of(definition, value), "", plugged, inputs)


def _cents_text(value: Decimal) -> str:
    """Numbers plugged into a shown formula: half-up to the cent (the value itself stays exact)."""
    return format(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def compute(definitions, year: int, current: dict, previous: dict | None = None) -> list[Result]:
    """Every indicator for one year: ``current`` and ``previous`` come from :func:`variables`."""
    values = with_previous(current, previous or {})
    return [compute_one(d, year, values) for d in definitions]


def rubro_totals(classifier: Classifier, lines) -> dict:
    """{rubro code: {phase attr: Decimal or None}} for a budget page or an import preview."""
    out = {}
    for line in lines:
        rubro = rubro_of(line.code)
        totals = out.setdefault(rubro, dict.fromkeys(PHASES.values()))
        for attr in PHASES.values():
            amount = getattr(line, attr)
            if amount is not None:
                totals[attr] = (totals[attr] or Decimal(0)) + amount
    order = {c.code: i for i, c in enumerate(classifier.codes)}
    return dict(sorted(out.items(), key=lambda item: order.get(item[0], 999)))


def ratio(numerator, denominator) -> Decimal | None:
    """An execution rate, or None when either side is absent or the denominator is zero."""
    if numerator is None or denominator in (None, 0):
        return None
    return Decimal(numerator) / Decimal(denominator)


# Decimal places a value keeps in downloaded files, by how it is shown: a percentage with
# one decimal (45.7 %) is a ratio with three (0.457); times and money with two.
FILE_PLACES = {"percent": 3, "times": 2, "money": 2}


def rounded(value, display: str) -> Decimal | None:
    """``value`` rounded half-up to the places its ``display`` states (:data:`FILE_PLACES`,
    two for an unknown display), for CSV and XLSX files; None stays None. The exact value
    stays in the JSON API."""
    if value is None or value == "":
        return None
    places = FILE_PLACES.get(display, 2)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
