"""Scoring of the management diagnostic (pure: plain values in, frozen dataclasses out).

Scores are ``Decimal`` on a 0-100 scale. An indicator is *scored* (a value), *no
aplica* (``NA``: left out of every mean) or *no reportado* (``NR``: missing; also left
out, but counted so a parent can say how many were not reported). Every parent score
is the weighted mean of its scored children; a node with no scored child has no score
(``None``), never 0. Nothing here rounds: rounding is for display only.

Derived indicators turn a raw source value into a score with a published rule:
:func:`linear_score` (0 at one value, 100 at another, clamped) or :func:`banded_score`
(the score of the highest threshold the value reaches). :func:`checklist_score` scores
a checklist as the weighted share of items met.
"""
from dataclasses import dataclass, field
from decimal import Decimal

SCORED = "scored"
NA = "na"
NR = "nr"
STATES = (SCORED, NA, NR)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
DEFAULT_CUTOFFS = (Decimal(80), Decimal(60), Decimal(40))
BAND_KEYS = ("alto", "medio-alto", "medio", "bajo")


@dataclass(frozen=True)
class IndicatorInput:
    code: str
    state: str = NR  # SCORED, NA or NR
    score: Decimal | None = None
    weight: Decimal = Decimal(1)
    dimensions: tuple[tuple[str, Decimal], ...] = ()  # (dimension code, weight)


@dataclass(frozen=True)
class SubAreaInput:
    code: str
    indicators: tuple[IndicatorInput, ...]
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class AreaInput:
    code: str
    subareas: tuple[SubAreaInput, ...]
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class CompositeInput:
    code: str
    parts: tuple[tuple[str, Decimal], ...]  # (dimension code, weight)


@dataclass(frozen=True)
class NodeScore:
    """A node's score (None when nothing under it was scored) and its counts."""
    code: str
    score: Decimal | None
    weight: Decimal = Decimal(1)
    scored: int = 0
    not_applicable: int = 0
    not_reported: int = 0


@dataclass(frozen=True)
class Rollup:
    indicators: dict = field(default_factory=dict)  # code -> NodeScore
    subareas: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)
    dimensions: dict = field(default_factory=dict)
    composites: dict = field(default_factory=dict)


def weighted_mean(pairs) -> Decimal | None:
    """Weighted mean of ``(value, weight)`` pairs, skipping None values and zero weights."""
    total = ZERO
    weights = ZERO
    for value, weight in pairs:
        if value is None:
            continue
        weight = Decimal(weight)
        if weight <= 0:
            continue
        total += Decimal(value) * weight
        weights += weight
    if weights == 0:
        return None
    return total / weights


def _indicator(ind: IndicatorInput) -> NodeScore:
    if ind.state not in STATES:
        raise ValueError(f"unknown state {ind.state!r}")
    if ind.state == SCORED and ind.score is None:
        raise ValueError(f"indicator {ind.code} is scored but has no score")
    score = Decimal(ind.score) if ind.state == SCORED else None
    return NodeScore(ind.code, score, Decimal(ind.weight), scored=int(ind.state == SCORED),
                     not_applicable=int(ind.state == NA), not_reported=int(ind.state == NR))


def _parent(code, weight, children: list[NodeScore]) -> NodeScore:
    return NodeScore(code, weighted_mean((c.score, c.weight) for c in children), Decimal(weight),
                     scored=sum(c.scored for c in children),
                     not_applicable=sum(c.not_applicable for c in children),
                     not_reported=sum(c.not_reported for c in children))


def roll_up(areas, dimension_codes=(), composites=()) -> Rollup:
    """Indicators -> sub-areas -> areas; indicators -> dimensions -> composites.

    ``dimension_codes`` lists every dimension of the catalog so that dimensions with
    no tagged indicator still appear (without a score)."""
    indicators, subareas, area_scores = {}, {}, {}
    tagged: dict[str, list[NodeScore]] = {code: [] for code in dimension_codes}
    for area in areas:
        sub_results = []
        for sub in area.subareas:
            ind_results = []
            for ind in sub.indicators:
                result = _indicator(ind)
                indicators[ind.code] = result
                ind_results.append(result)
                for dim_code, dim_weight in ind.dimensions:
                    tagged.setdefault(dim_code, []).append(
                        NodeScore(ind.code, result.score, Decimal(dim_weight), result.scored,
                                  result.not_applicable, result.not_reported))
            sub_result = _parent(sub.code, sub.weight, ind_results)
            subareas[sub.code] = sub_result
            sub_results.append(sub_result)
        area_scores[area.code] = _parent(area.code, area.weight, sub_results)
    dimensions = {code: _parent(code, Decimal(1), members) for code, members in tagged.items()}
    composite_scores = {}
    for comp in composites:
        parts = [(dimensions[c].score if c in dimensions else None, w) for c, w in comp.parts]
        composite_scores[comp.code] = NodeScore(comp.code, weighted_mean(parts))
    return Rollup(indicators, subareas, area_scores, dimensions, composite_scores)


def band_for(score, cutoffs=DEFAULT_CUTOFFS) -> str | None:
    """The semáforo band key: ``alto`` (>= first cut-off), ``medio-alto``, ``medio``,
    ``bajo``; None without a score. ``cutoffs`` are descending."""
    if score is None:
        return None
    score = Decimal(score)
    for key, cutoff in zip(BAND_KEYS, cutoffs):
        if score >= Decimal(cutoff):
            return key
    return BAND_KEYS[-1]


def clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(HUNDRED, value))


def linear_score(value, zero_at, full_at) -> Decimal | None:
    """0 at ``zero_at``, 100 at ``full_at``, linear between, clamped to 0-100.

    ``full_at`` may be below ``zero_at`` (lower is better). None without a value."""
    if value is None:
        return None
    value, zero_at, full_at = Decimal(value), Decimal(zero_at), Decimal(full_at)
    if zero_at == full_at:
        raise ValueError("the rule needs two different values")
    return clamp((value - zero_at) / (full_at - zero_at) * HUNDRED)


def banded_score(value, bands, descending: bool = False) -> Decimal | None:
    """``bands``: ``(threshold, score)`` pairs; the score of the highest threshold the
    value reaches (or, with ``descending``, the lowest threshold it stays under or at).
    Below every threshold the score is 0."""
    if value is None:
        return None
    value = Decimal(value)
    ordered = sorted(((Decimal(t), Decimal(s)) for t, s in bands), reverse=not descending)
    for threshold, score in ordered:
        if (value <= threshold) if descending else (value >= threshold):
            return clamp(score)
    return ZERO


def parse_bands(text: str) -> tuple[tuple[Decimal, Decimal], ...]:
    """``"0.5:50; 0.8:100"`` -> ((0.5, 50), (0.8, 100)); ValueError when malformed."""
    pairs = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        threshold, sep, score = part.partition(":")
        if not sep:
            raise ValueError(f"'{part}' is not threshold:score")
        pairs.append((Decimal(threshold.strip()), Decimal(score.strip())))
    if not pairs:
        raise ValueError("no bands")
    return tuple(pairs)


def apply_rule(kind: str, value, zero_at=None, full_at=None, bands=()) -> Decimal | None:
    """A published rule applied to a raw value: ``linear``, ``bands`` or ``bands-desc``."""
    if kind == "linear":
        return linear_score(value, zero_at, full_at)
    if kind in ("bands", "bands-desc"):
        return banded_score(value, bands, descending=kind == "bands-desc")
    raise ValueError(f"unknown rule {kind!r}")


def checklist_score(items) -> Decimal | None:
    """``items``: ``(weight, met)`` pairs -> 100 x weighted share met; None when empty."""
    total = ZERO
    met_total = ZERO
    for weight, met in items:
        weight = Decimal(weight)
        total += weight
        if met:
            met_total += weight
    if total <= 0:
        return None
    return met_total / total * HUNDRED


def change(previous, current) -> Decimal | None:
    """current - previous, or None when either is missing."""
    if previous is None or current is None:
        return None
    return Decimal(current) - Decimal(previous)
