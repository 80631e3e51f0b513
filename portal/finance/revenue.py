"""Revenue potential: what a municipality leaves uncollected and what measures would add.

Pure: plain values and frozen dataclasses in and out (no Flask, no database). Amounts
are in the municipality's currency, exact :class:`~decimal.Decimal`; rates are
fractions (``0.10`` is 10 %). Each computed amount is rounded half-up to the cent at
the end of its row; subtotals and the total add the rounded row amounts, as a
published plan does (so its printed figures add up exactly).

A row belongs to one group:

- ``potencial`` (a service or tax): **foregone** = accrued - collected (when both are
  given); **additional** = payers x monthly_payment x 12 (potential payers at an average
  monthly payment, when both are given); **arrears recovery** = arrears_balance x
  recovery_rate (when both are given). At least one of the three; the row's total is
  their sum.
- ``reforma`` (a new or changed fee): payers x monthly_payment x 12.
- ``medida`` (a collection measure): rate x the collected total of the ``potencial``
  rows (e.g. better billing 10 %, a cadastre update 5 %).

:func:`check` answers with problem codes per column; the words people read are in
:mod:`portal.finance.revenue_import`.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

POTENTIAL, REFORM, MEASURE = "potencial", "reforma", "medida"
GROUPS = (POTENTIAL, REFORM, MEASURE)
CENT = Decimal("0.01")
MONTHS = 12
MAX_PAYERS = 10_000_000
# The columns each group uses; any other filled amount column is refused (a sign the
# row is in the wrong group).
USES = {
    POTENTIAL: ("collected", "accrued", "payers", "monthly_payment", "arrears_balance", "recovery_rate"),
    REFORM: ("payers", "monthly_payment"),
    MEASURE: ("rate",),
}
AMOUNT_COLUMNS = ("collected", "accrued", "payers", "monthly_payment", "arrears_balance", "recovery_rate", "rate")
PAIRS = (("collected", "accrued"), ("payers", "monthly_payment"), ("arrears_balance", "recovery_rate"))


@dataclass(frozen=True)
class Row:
    group: str
    code: str
    name: str
    collected: Decimal | None = None
    accrued: Decimal | None = None
    payers: int | None = None
    monthly_payment: Decimal | None = None
    arrears_balance: Decimal | None = None
    recovery_rate: Decimal | None = None
    rate: Decimal | None = None


@dataclass(frozen=True)
class Computed:
    """A row with its amounts (each rounded to the cent; None where it does not apply)."""
    row: Row
    foregone: Decimal | None = None
    additional: Decimal | None = None
    arrears_recovery: Decimal | None = None
    measure: Decimal | None = None  # reforma: the year's fees; medida: rate x the collected base
    total: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class Subtotal:
    collected: Decimal = Decimal("0.00")
    accrued: Decimal = Decimal("0.00")
    foregone: Decimal = Decimal("0.00")
    additional: Decimal = Decimal("0.00")
    arrears_recovery: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")
    rows: int = 0


@dataclass(frozen=True)
class Table:
    rows: tuple[Computed, ...]
    collected_base: Decimal  # the collected total of the potencial rows (what measures apply to)
    subtotals: dict = field(default_factory=dict)  # group -> Subtotal
    reforms_and_measures: Decimal = Decimal("0.00")  # reforma + medida, the plan's second subtotal
    total: Decimal = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """Half-up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def check(row: Row) -> list[tuple[str, str]]:
    """What is wrong with a row, as ``(column, code)`` pairs; empty when it is complete.

    Codes: ``group`` (unknown group), ``unused`` (a column the group does not use is
    filled), ``pair`` (one of a pair is missing: the column named is the empty one),
    ``empty`` (a potencial row with no effect), ``required`` (reforma or medida without
    its figures), ``negative``, ``payers`` (not a whole number of payers within bounds),
    ``rate`` (a rate outside 0..1)."""
    if row.group not in GROUPS:
        return [("group", "group")]
    problems = []
    for column in AMOUNT_COLUMNS:
        value = getattr(row, column)
        if value is None:
            continue
        if column not in USES[row.group]:
            problems.append((column, "unused"))
        elif column == "payers":
            if not isinstance(value, int) or not 0 <= value <= MAX_PAYERS:
                problems.append((column, "payers"))
        elif column in ("recovery_rate", "rate"):
            if not 0 <= value <= 1:
                problems.append((column, "rate"))
        elif value < 0:
            problems.append((column, "negative"))
    if row.group == POTENTIAL:
        given = 0
        for first, second in PAIRS:
            a, b = getattr(row, first), getattr(row, second)
            if (a is None) != (b is None):
                problems.append((second if b is None else first, "pair"))
            given += a is not None and b is not None
        if not given and not problems:
            problems.append(("collected", "empty"))
    else:
        for column in USES[row.group]:
            if getattr(row, column) is None:
                problems.append((column, "required"))
    return problems


def collected_base(rows) -> Decimal:
    """The collected total of the potencial rows (exact)."""
    return sum((r.collected for r in rows if r.group == POTENTIAL and r.collected is not None), Decimal(0))


def compute_row(row: Row, base: Decimal) -> Computed:
    """One row's amounts; ``base`` is :func:`collected_base` of its table (for medida)."""
    if row.group == POTENTIAL:
        foregone = cents(row.accrued - row.collected) if row.accrued is not None and row.collected is not None \
            else None
        additional = cents(row.payers * row.monthly_payment * MONTHS) \
            if row.payers is not None and row.monthly_payment is not None else None
        arrears = cents(row.arrears_balance * row.recovery_rate) \
            if row.arrears_balance is not None and row.recovery_rate is not None else None
        total = sum((v for v in (foregone, additional, arrears) if v is not None), Decimal("0.00"))
        return Computed(row, foregone, additional, arrears, None, total)
    if row.group == REFORM:
        amount = cents(row.payers * row.monthly_payment * MONTHS)
    else:
        amount = cents(row.rate * base)
    return Computed(row, measure=amount, total=amount)


def compute(rows) -> Table:
    """Every row's amounts, subtotals per group (in :data:`GROUPS` order, only groups
    that have rows), reforma + medida together, and the total. Rows must pass
    :func:`check`."""
    rows = list(rows)
    base = collected_base(rows)
    computed = tuple(compute_row(r, base) for r in rows)
    subtotals = {}
    for group in GROUPS:
        mine = [c for c in computed if c.row.group == group]
        if not mine:
            continue

        def add(attr, items=mine):
            return sum((getattr(c, attr) for c in items if getattr(c, attr) is not None), Decimal("0.00"))

        def add_row(attr, items=mine):
            return sum((getattr(c.row, attr) for c in items if getattr(c.row, attr) is not None), Decimal("0.00"))

        subtotals[group] = Subtotal(add_row("collected"), add_row("accrued"), add("foregone"), add("additional"),
                                    add("arrears_recovery"), add("total"), len(mine))
    reforms = sum((subtotals[g].total for g in (REFORM, MEASURE) if g in subtotals), Decimal("0.00"))
    total = sum((s.total for s in subtotals.values()), Decimal("0.00"))
    return Table(computed, base, subtotals, reforms, total)
