"""Counting participatory-budgeting ballots: who wins, and why.

Pure module (plain values and frozen dataclasses in and out; numpy for speed).

Rules (``RULES``):

* ``greedy`` - rank projects by score (approval: number of approvals; cumulative: total
  points; ordinal: rank points K, K-1, ..., 1 for a top-K ballot) and fund them in that
  order, skipping a project that no longer fits in what is left of the budget.
* ``mes`` - the Method of Equal Shares with cost utilities: each voter gets an equal
  share B/n of the budget; repeatedly fund the project whose supporters can pay for it
  at the lowest price per unit of utility (each supporter pays ``min(share, rho*u)``,
  with ``u`` = cost for an approval, cost x points otherwise); stop when no project's
  supporters have enough money left.
* ``mes-add1`` - "equalshares/add1" as equalshares.net and the pabulib checker run it:
  MES at the real budget, then MES again with a whole-number budget per voter of
  floor(B/n)+1, +2, ...; keep the last outcome that costs at most B, stopping at the
  first that overspends.
* ``mes-add1-comparison`` - the same, then keep it unless strictly more voters prefer
  the greedy outcome (approve more of its winners; points for other ballots).
* ``mes-add1-greedy`` - the add1 outcome, then greedy spends what is left.

Ties: the cities' convention (equalshares.net) prefers the cheaper project, then the one
with more votes, then file order (``tie_break="cost"``); ``tie_break="id"`` compares
project ids as strings, like pabutools.

Numerics: Equal Shares runs in float64 with numpy, comparing prices with a relative
tolerance of 1e-9, so exact ties (common: two projects with the same number of
supporters) are detected as ties and broken by the rule above, never by rounding noise.
Budgets and costs in the outcome are Decimal; money derived from the run (what
supporters had left) is rounded to cents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

RULES = ("greedy", "mes", "mes-add1", "mes-add1-comparison", "mes-add1-greedy")
BALLOT_TYPES = ("approval", "cumulative", "ordinal")
EPS = 1e-9
MAX_ADD1_RUNS = 100_000


@dataclass(frozen=True)
class Project:
    id: str
    cost: Decimal
    name: str = ""


@dataclass(frozen=True)
class Ballot:
    """Project ids in ballot order (ranking order for ordinal ballots); ``points`` only
    for cumulative ballots, one per project."""

    projects: tuple[str, ...]
    points: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Election:
    budget: Decimal
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    vote_type: str = "approval"
    max_length: int | None = None  # ordinal: K of a top-K ballot (rank points K..1)


@dataclass(frozen=True)
class ProjectOutcome:
    """One project's result. ``reason`` is a code:

    no_votes, greedy_funded, did_not_fit (``remaining`` = budget left when its turn
    came), mes_funded (``order``-th pick), mes_unaffordable (``supporters_money`` = what
    its supporters had left, less than its cost), greedy_completion_funded,
    did_not_fit_after_mes."""

    id: str
    name: str
    cost: Decimal
    votes: int
    score: int
    selected: bool
    reason: str
    remaining: Decimal | None = None
    supporters_money: Decimal | None = None
    order: int | None = None


@dataclass(frozen=True)
class Outcome:
    rule: str
    budget: Decimal
    voters: int
    selected: tuple[str, ...]  # in the order they were picked
    projects: tuple[ProjectOutcome, ...]  # in election order
    total_cost: Decimal
    per_voter_budget: Decimal | None = None
    mes_runs: int = 0
    note: str = ""  # comparison_kept_mes | comparison_chose_greedy | ""

    def project(self, pid: str) -> ProjectOutcome:
        return next(p for p in self.projects if p.id == pid)


def _money(x: float) -> Decimal:
    return Decimal(f"{max(x, 0.0):.2f}")


class _Prepared:
    """Election in array form: identical ballots grouped with a multiplicity."""

    def __init__(self, e: Election):
        if e.vote_type not in BALLOT_TYPES:
            raise ValueError(f"unknown ballot type {e.vote_type!r}")
        self.e = e
        self.ids = [p.id for p in e.projects]
        index = {pid: i for i, pid in enumerate(self.ids)}
        self.cost_dec = [p.cost for p in e.projects]
        self.costs = np.array([float(c) for c in self.cost_dec])
        k = e.max_length or max((len(b.projects) for b in e.ballots), default=0)
        groups: dict[tuple, int] = {}
        for b in e.ballots:
            if e.vote_type == "approval":
                key = tuple(sorted((index[p], 1) for p in set(b.projects)))
            elif e.vote_type == "cumulative":
                key = tuple(sorted((index[p], int(w)) for p, w in zip(b.projects, b.points or ())
                                   if int(w) > 0))
            else:
                key = tuple(sorted((index[p], max(k - pos, 1)) for pos, p in enumerate(b.projects)))
            groups[key] = groups.get(key, 0) + 1
        self.n = len(e.ballots)
        keys = list(groups)
        self.mult = np.array([groups[g] for g in keys], dtype=float)
        flat_g, flat_p, flat_w = [], [], []
        for gi, key in enumerate(keys):
            for pi, w in key:
                flat_g.append(gi)
                flat_p.append(pi)
                flat_w.append(w)
        self.flat_g = np.array(flat_g, dtype=np.int64)
        self.flat_p = np.array(flat_p, dtype=np.int64)
        self.flat_w = np.array(flat_w, dtype=float)
        P = len(self.ids)
        mult_flat = self.mult[self.flat_g] if len(flat_g) else np.zeros(0)
        self.votes = np.bincount(self.flat_p, weights=mult_flat, minlength=P).round().astype(int)
        self.score = np.bincount(self.flat_p, weights=mult_flat * self.flat_w,
                                 minlength=P).round().astype(int)
        order = np.argsort(self.flat_p, kind="stable")
        bounds = np.searchsorted(self.flat_p[order], np.arange(P + 1))
        self.supp_idx, self.supp_util, self.supp_mult, self.total_util = [], [], [], []
        for c in range(P):
            sl = order[bounds[c]:bounds[c + 1]]
            idx = self.flat_g[sl]
            util = self.flat_w[sl] * self.costs[c]
            m = self.mult[idx]
            self.supp_idx.append(idx)
            self.supp_util.append(util)
            self.supp_mult.append(m)
            self.total_util.append(float(np.dot(m, util)))

    def tie_key(self, tie_break: str):
        if tie_break == "id":
            return lambda c: self.ids[c]
        return lambda c: (self.cost_dec[c], -int(self.votes[c]), c)

    def cost_of(self, chosen) -> Decimal:
        return sum((self.cost_dec[c] for c in chosen), Decimal(0))


def _price(bb, util, m, cost) -> float:
    """Lowest rho with sum(min(b_i, rho*u_i)) = cost (the supporters can pay).

    Poor/rich iteration: assume everyone pays rho*u; those who cannot pay it in full
    pay all they have; recompute rho for the rest; repeat until nobody new is poor
    (rho only grows, so this ends after a few vector passes; no sorting)."""
    mu = m * util
    rho = cost / float(mu.sum())
    poor = np.zeros(len(bb), dtype=bool)
    while True:
        new = ~poor & (bb < rho * util * (1 - 1e-12))
        if not new.any():
            return rho
        poor |= new
        rich_util = float(mu[~poor].sum())
        if rich_util <= 0:  # everybody pays all they have
            return float((bb / util).max())
        rho = (cost - float(np.dot(m[poor], bb[poor]))) / rich_util


@dataclass
class _MesRun:
    winners: list
    budgets: np.ndarray
    per_voter: float


def _mes(prep: _Prepared, per_voter: float, tie_break: str) -> _MesRun:
    """One run of Equal Shares with every voter starting at ``per_voter``."""
    b = np.full(len(prep.mult), per_voter)
    winners, alive, rho_prev = [], set(), {}
    for c in range(len(prep.ids)):
        if prep.total_util[c] <= 0:
            continue
        if prep.costs[c] <= 0:
            winners.append(c)
            continue
        alive.add(c)
        rho_prev[c] = prep.costs[c] / prep.total_util[c]
    tie = prep.tie_key(tie_break)
    while alive:
        best = math.inf
        evals = []
        for c in sorted(alive, key=rho_prev.__getitem__):
            idx = prep.supp_idx[c]
            bb = b[idx]
            cost = prep.costs[c]
            if float(np.dot(prep.supp_mult[c], bb)) < cost * (1 - EPS):
                alive.discard(c)
                continue
            if rho_prev[c] > best * (1 + EPS):
                break
            rho = _price(bb, prep.supp_util[c], prep.supp_mult[c], cost)
            rho_prev[c] = rho
            evals.append((rho, c))
            best = min(best, rho)
        if not evals:
            break
        w = min((c for rho, c in evals if rho <= best * (1 + EPS)), key=tie)
        idx = prep.supp_idx[w]
        b[idx] -= np.minimum(b[idx], rho_prev[w] * prep.supp_util[w])
        winners.append(w)
        alive.discard(w)
    return _MesRun(winners, b, per_voter)


def _greedy_order(prep: _Prepared, budget: Decimal, tie_break: str, already=()):
    """Greedy by score over the projects not in ``already`` with what is left.
    Returns (picked, remaining_when_considered dict, remaining_after dict)."""
    tie = prep.tie_key(tie_break)
    left = budget - prep.cost_of(already)
    done = set(already)
    picked, when, after = [], {}, {}
    for c in sorted(range(len(prep.ids)), key=lambda c: (-int(prep.score[c]), tie(c))):
        if c in done or prep.score[c] <= 0:
            continue
        when[c] = left
        if prep.cost_dec[c] <= left:
            left -= prep.cost_dec[c]
            picked.append(c)
            after[c] = left
    return picked, when, after


def _outcome(prep, rule, chosen, reasons, extra=None, per_voter=None, runs=0, note=""):
    order = {c: i + 1 for i, c in enumerate(chosen)}
    rows = []
    for c, pid in enumerate(prep.ids):
        kw = dict(reasons.get(c, {"reason": "no_votes"}))
        if prep.votes[c] == 0:
            kw = {"reason": "no_votes"}
        rows.append(ProjectOutcome(
            id=pid, name=prep.e.projects[c].name, cost=prep.cost_dec[c],
            votes=int(prep.votes[c]), score=int(prep.score[c]), selected=c in order,
            order=order.get(c), **kw))
    return Outcome(rule=rule, budget=prep.e.budget, voters=prep.n,
                   selected=tuple(prep.ids[c] for c in chosen), projects=tuple(rows),
                   total_cost=prep.cost_of(chosen),
                   per_voter_budget=None if per_voter is None else Decimal(per_voter),
                   mes_runs=runs, note=note)


def _greedy_reasons(prep, picked, when, after, funded="greedy_funded", miss="did_not_fit"):
    reasons = {}
    for c, left in when.items():
        if c in after:
            reasons[c] = {"reason": funded, "remaining": after[c]}
        else:
            reasons[c] = {"reason": miss, "remaining": left}
    return reasons


def _mes_reasons(prep, run: _MesRun):
    reasons = {}
    chosen = set(run.winners)
    for c in range(len(prep.ids)):
        if c in chosen:
            reasons[c] = {"reason": "mes_funded"}
        elif prep.votes[c] > 0:
            money = float(np.dot(prep.supp_mult[c], run.budgets[prep.supp_idx[c]]))
            reasons[c] = {"reason": "mes_unaffordable", "supporters_money": _money(money)}
    return reasons


def _add1(prep, tie_break, exhaustive_stop=False, start=None, step=1):
    """The add1 completion. Returns (run, number of MES runs).

    Default: cities' semantics. ``start``/``step``/``exhaustive_stop`` reproduce other
    variants (pabutools: start B/n, step 1, stop at the first exhaustive outcome)."""
    B = prep.e.budget
    n = max(prep.n, 1)
    best = _mes(prep, float(B) / n, tie_break)
    runs = 1
    supported = [c for c in range(len(prep.ids)) if prep.votes[c] > 0]
    if prep.cost_of(supported) <= B:
        # Everything supported fits: the completion ends funding all of it.
        per = max(float(max((prep.costs[c] for c in supported), default=0)) * len(supported),
                  float(B) / n)
        return _mes(prep, per + 1, tie_break), runs + 1
    if exhaustive_stop and _exhaustive(prep, best.winners, supported):
        return best, runs
    per = Decimal(start) if start is not None else Decimal(math.floor(B / n))
    while runs < MAX_ADD1_RUNS:
        per += step
        run = _mes(prep, float(per), tie_break)
        runs += 1
        if prep.cost_of(run.winners) > B:
            break
        best = run
        if exhaustive_stop and _exhaustive(prep, run.winners, supported):
            break
    return best, runs


def _exhaustive(prep, winners, supported) -> bool:
    left = prep.e.budget - prep.cost_of(winners)
    chosen = set(winners)
    return not any(c not in chosen and prep.cost_dec[c] <= left for c in supported)


def _preferring(prep, a, g) -> tuple[int, int]:
    """Voters whose ballot scores more winners in ``a`` than ``g``, and the reverse."""
    xa = np.zeros(len(prep.ids))
    xa[list(a)] = 1
    xg = np.zeros(len(prep.ids))
    xg[list(g)] = 1
    G = len(prep.mult)
    sa = np.bincount(prep.flat_g, weights=prep.flat_w * xa[prep.flat_p], minlength=G)
    sg = np.bincount(prep.flat_g, weights=prep.flat_w * xg[prep.flat_p], minlength=G)
    return int(prep.mult[sa > sg].sum()), int(prep.mult[sg > sa].sum())


def tally(election: Election, rule: str, tie_break: str = "cost") -> Outcome:
    """Compute the outcome of ``rule`` (one of RULES) with a reason for every project."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; use one of {', '.join(RULES)}")
    prep = _Prepared(election)
    B = election.budget
    if rule == "greedy":
        picked, when, after = _greedy_order(prep, B, tie_break)
        return _outcome(prep, rule, picked, _greedy_reasons(prep, picked, when, after))
    if rule == "mes":
        run = _mes(prep, float(B) / max(prep.n, 1), tie_break)
        return _outcome(prep, rule, run.winners, _mes_reasons(prep, run),
                        per_voter=_money(run.per_voter), runs=1)
    run, runs = _add1(prep, tie_break)
    per = _money(run.per_voter)
    if rule == "mes-add1":
        return _outcome(prep, rule, run.winners, _mes_reasons(prep, run), per_voter=per,
                        runs=runs)
    if rule == "mes-add1-comparison":
        picked, when, after = _greedy_order(prep, B, tie_break)
        for_mes, for_greedy = _preferring(prep, run.winners, picked)
        if for_greedy > for_mes:
            return _outcome(prep, rule, picked, _greedy_reasons(prep, picked, when, after),
                            runs=runs, note="comparison_chose_greedy")
        return _outcome(prep, rule, run.winners, _mes_reasons(prep, run), per_voter=per,
                        runs=runs, note="comparison_kept_mes")
    # mes-add1-greedy
    reasons = _mes_reasons(prep, run)
    picked, when, after = _greedy_order(prep, B, tie_break, already=run.winners)
    for c, r in _greedy_reasons(prep, picked, when, after, "greedy_completion_funded",
                                "did_not_fit_after_mes").items():
        if c in after:
            reasons[c] = r
        else:
            reasons[c] = {**r, "supporters_money": reasons[c].get("supporters_money")}
    return _outcome(prep, rule, run.winners + picked, reasons, per_voter=per, runs=runs)


def mes_with_completion(election: Election, *, start_per_voter=None, step=1,
                        exhaustive_stop=True, tie_break: str = "id") -> tuple[str, ...]:
    """Selected ids of MES completed by raising the per-voter budget by ``step`` from
    ``start_per_voter`` (default B/n) until an outcome overspends (keep the previous) or
    is exhaustive: the variant pabutools runs with ``voter_budget_increment``."""
    prep = _Prepared(election)
    start = start_per_voter
    if start is None:
        start = election.budget / max(prep.n, 1)
    run, _ = _add1(prep, tie_break, exhaustive_stop=exhaustive_stop, start=start, step=step)
    return tuple(prep.ids[c] for c in run.winners)
