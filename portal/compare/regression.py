"""Ordinary least squares with exact decimals (pure).

:func:`fit` solves the normal equations ``(X'X) b = X'y`` by Gauss-Jordan elimination
with partial pivoting, at 50 significant digits, so a fit a person redoes in a
spreadsheet gives the same coefficients. :func:`choose_terms` decides which capacity
inputs enter: those every observation has, as long as at least two residual degrees of
freedom remain; otherwise the single capacity index; no fit below three observations.
"""
from dataclasses import dataclass
from decimal import Decimal, localcontext

INTERCEPT = "intercepto"
MIN_OBSERVATIONS = 3


class Singular(ValueError):
    """The inputs are collinear (or constant): no unique fit."""


@dataclass(frozen=True)
class Fit:
    terms: tuple  # ((name, coefficient), ...), the intercept first
    n: int
    r2: Decimal | None

    def predict(self, inputs: dict) -> Decimal | None:
        total = Decimal(0)
        for name, coefficient in self.terms:
            if name == INTERCEPT:
                total += coefficient
                continue
            value = inputs.get(name)
            if value is None:
                return None
            total += coefficient * Decimal(value)
        return total


def _solve(matrix: list[list[Decimal]], vector: list[Decimal]) -> list[Decimal]:
    size = len(vector)
    rows = [list(matrix[i]) + [vector[i]] for i in range(size)]
    scale = max((abs(v) for row in rows for v in row[:-1]), default=Decimal(0)) or Decimal(1)
    tolerance = scale * Decimal("1e-30")
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) <= tolerance:
            raise Singular("collinear inputs")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        head = rows[col][col]
        rows[col] = [v / head for v in rows[col]]
        for r in range(size):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return [rows[i][-1] for i in range(size)]


def fit(names: list[str], xs: list[list[Decimal]], ys: list[Decimal]) -> Fit:
    """Least squares of ``ys`` on ``xs`` (one list of values per observation, in the
    order of ``names``) with an intercept."""
    n = len(ys)
    if n < MIN_OBSERVATIONS or n < len(names) + 1:
        raise Singular("too few observations")
    with localcontext() as ctx:
        ctx.prec = 50
        design = [[Decimal(1)] + [Decimal(v) for v in row] for row in xs]
        width = len(design[0])
        xtx = [[sum(row[i] * row[j] for row in design) for j in range(width)] for i in range(width)]
        xty = [sum(row[i] * Decimal(y) for row, y in zip(design, ys)) for i in range(width)]
        beta = _solve(xtx, xty)
        mean = sum(ys, Decimal(0)) / n
        predicted = [sum(b * v for b, v in zip(beta, row)) for row in design]
        total = sum((Decimal(y) - mean) ** 2 for y in ys)
        residual = sum((Decimal(y) - p) ** 2 for y, p in zip(ys, predicted))
        r2 = (1 - residual / total) if total else None
    terms = tuple(zip([INTERCEPT, *names], [+b for b in beta]))
    return Fit(terms, n, +r2 if r2 is not None else None)


def choose_terms(observations: dict, candidates: tuple, fallback: str) -> list[str]:
    """Which inputs to use for ``observations`` ({key: {input: value}}): the candidates
    every observation has, when two residual degrees of freedom remain; else ``fallback``."""
    n = len(observations)
    complete = [name for name in candidates
                if all(obs.get(name) is not None for obs in observations.values())]
    if complete and n - len(complete) - 1 >= 2:
        return complete
    return [fallback]


def best_fit(observations: dict, ys: dict, candidates: tuple, fallback: str) -> Fit | None:
    """Fit ``ys`` ({key: value}) on the chosen inputs; drop inputs one by one (last
    first) when they are collinear; None when no fit is possible."""
    keys = [k for k in ys if k in observations]
    obs = {k: observations[k] for k in keys}
    names = choose_terms(obs, candidates, fallback)
    while names:
        usable = [k for k in keys if all(obs[k].get(name) is not None for name in names)]
        try:
            return fit(names, [[obs[k][name] for name in names] for k in usable], [ys[k] for k in usable])
        except Singular:
            if len(names) > 1:
                names = names[:-1]
            elif names != [fallback]:
                names = [fallback]
            else:
                return None
    return None
