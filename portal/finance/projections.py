"""Projecting budget lines from a base year by rules per line.

Pure: plain values and frozen dataclasses in and out.

Methods (``Rule.method``):

- ``percentage``: value(t) = value(t-1) x (1 + rate) for each year t in
  ``from_year..to_year`` (a rate of ``0.05`` is 5 %; several rules give a rate per year).
- ``average``: the arithmetic mean of the line's past amounts (every year in
  ``history`` up to the base year that has the line) for each year in the range.
- ``direct``: the analyst's own figure (``amount``) for each year in the range; a line
  that only has direct rules exists only in those years.
- ``oneoff``: ``amount`` in ``from_year`` only, on its own line (e.g. ``12.RO``
  "Reforma a la ordenanza de tasas"); from the next year it is absorbed into the base
  of its rubro's line (``12``), which then grows by that line's own rules.

A line without a rule for a year carries its previous amount forward. When several
rules cover the same line and year, the last one listed wins. Growth compounds
on exact Decimals; round (half-up to the cent) only for display or export.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from portal.finance.classifier import rubro_of

METHODS = ("percentage", "average", "direct", "oneoff")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rule:
    code: str
    method: str
    from_year: int
    to_year: int | None = None
    rate: Decimal | None = None
    amount: Decimal | None = None
    name: str = ""

    def covers(self, year: int) -> bool:
        last = self.from_year if self.method == "oneoff" else (self.to_year or self.from_year)
        return self.from_year <= year <= last


def check_rule(rule: Rule) -> str | None:
    """None when the rule is complete, else a code for what is missing: ``method``
    (unknown method), ``years`` (the end before the start), ``rate`` (percentage without
    a rate), ``amount`` (direct or oneoff without an amount). The words people read are in
    :mod:`portal.finance.wording`."""
    if rule.method not in METHODS:
        return "method"
    if rule.to_year is not None and rule.to_year < rule.from_year:
        return "years"
    if rule.method == "percentage" and rule.rate is None:
        return "rate"
    if rule.method in ("direct", "oneoff") and rule.amount is None:
        return "amount"
    return None


def cents(value: Decimal | None) -> Decimal | None:
    """Round half-up to the cent: only for display and export."""
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def last_year(rules, base_year: int, until: int | None = None) -> int:
    years = [r.to_year or r.from_year for r in rules]
    return until or max([base_year + 1, *years])


def project(base: dict, rules, base_year: int, until: int | None = None,
            history: dict | None = None) -> dict[int, dict[str, Decimal]]:
    """{year: {code: exact amount}} for base_year+1 .. the last year any rule reaches.

    ``base`` is {code: amount} of the base year; ``history`` {year: {code: amount}} of
    earlier actual years (for ``average``; the base year is added to it)."""
    rules = list(rules)
    history = dict(history or {})
    history[base_year] = dict(base)
    end = last_year(rules, base_year, until)
    by_code: dict[str, list[Rule]] = {}
    for rule in rules:
        by_code.setdefault(rule.code, []).append(rule)
    codes = list(dict.fromkeys([*base, *by_code]))
    absorbed: dict[tuple[int, str], Decimal] = {}  # (year, rubro line) -> extra base
    previous = {code: amount for code, amount in base.items() if amount is not None}
    out = {}
    for year in range(base_year + 1, end + 1):
        current = {}
        for code in codes:
            rule = next((r for r in reversed(by_code.get(code, [])) if r.covers(year)), None)
            prior = previous.get(code)
            extra = absorbed.get((year, code))
            if extra is not None:
                prior = (prior or Decimal(0)) + extra
            if rule is None:
                if prior is not None and (code in base or _grows(by_code.get(code, ()))):
                    current[code] = prior
                continue
            if rule.method == "percentage":
                current[code] = (prior or Decimal(0)) * (1 + rule.rate)
            elif rule.method == "average":
                past = [h[code] for y, h in sorted(history.items()) if y <= base_year and h.get(code) is not None]
                current[code] = sum(past, Decimal(0)) / len(past) if past else (prior or Decimal(0))
            elif rule.method == "direct":
                current[code] = rule.amount
            else:  # oneoff
                current[code] = rule.amount
                target = rubro_of(code)
                if target != code:
                    absorbed[(year + 1, target)] = absorbed.get((year + 1, target), Decimal(0)) + rule.amount
                    if target not in codes:
                        codes.append(target)
        out[year] = current
        previous = current
    return out


def _grows(rules) -> bool:
    return any(r.method in ("percentage", "average") for r in rules)
