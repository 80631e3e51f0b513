"""Counting: the pots of a process (per-district budgets and the city-wide one), the
tally of each pot, the stored result, and the queue of counts run outside the web
request. Services take the municipality first and only flush; the worker and the CLI
commit (``portal.participation.budgeting.worker``).

Pots: without district budgets a process is one pot (its total budget, every project
on the ballot, every ballot). With district budgets, each district's projects are
tallied with the district's budget and the ballots of that district's voters (as
Warsaw's pabulib files do per district); projects of no budgeted district form the
city-wide pot, whose budget is the total minus the district budgets, tallied with
every ballot. In a process with district budgets a pot counts only the ballots that
chose at least one of its projects (as a pabulib file holds them); its turnout counts
every ballot of the district's voters.
"""
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from flask_babel import lazy_gettext as _l

from portal.core.clock import utcnow
from portal.extensions import db
from portal.municipalities.models import Municipality
from portal.participation.budgeting import tally
from portal.participation.budgeting.ballots import ballots, decode
from portal.participation.budgeting.errors import BudgetingError
from portal.participation.budgeting.models import (
    BudgetCount, BudgetProcess, ResultLine, ResultPot, TallyResult)
from portal.participation.budgeting.processes import ballot_projects

STALE_AFTER = timedelta(hours=1)  # a "running" count older than this lost its worker
# Why a count failed, stored as a code and read in the staff member's language; any other
# failure keeps its technical text, shown under a sentence that says a system error stopped it.
INTERRUPTED, CHANGED = "interrupted", "changed"
COUNT_ERRORS = {
    INTERRUPTED: _l("El conteo se interrumpió (el proceso que contaba se detuvo). Pida otro conteo."),
    CHANGED: _l("Los proyectos o los distritos cambiaron durante el conteo; pida otro conteo."),
}


class CountChanged(BudgetingError):
    """The projects or districts changed while a count ran: its result would not match them."""

    code = CHANGED


def failure_code(error: Exception) -> str:
    """What :func:`mark_failed` stores for ``error``: its code when the portal knows it,
    else the exception's class and text (for whoever reads the logs)."""
    return getattr(error, "code", None) or f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class Pot:
    district: str  # "" = city-wide (or the whole process without district budgets)
    budget: Decimal
    projects: tuple  # BudgetProject rows


def district_budgets(process) -> dict[str, Decimal]:
    return {d.district: Decimal(d.amount) for d in process.district_budgets}


def pot_projects(process):
    return ballot_projects(process) if not process.is_historical else list(process.projects)


def pots(process) -> list[Pot]:
    """The pots in display order: city-wide first (if any), then districts by name."""
    projects = pot_projects(process)
    budgets = district_budgets(process)
    if not budgets:
        return [Pot("", Decimal(process.budget), tuple(projects))]
    out = []
    city = tuple(p for p in projects if p.district not in budgets)
    city_budget = Decimal(process.budget) - sum(budgets.values())
    if city or city_budget > 0:
        out.append(Pot("", max(city_budget, Decimal(0)), city))
    for district in sorted(budgets):
        out.append(Pot(district, budgets[district],
                       tuple(p for p in projects if p.district == district)))
    return out


def find_pot(process, district: str | None) -> Pot | None:
    return next((p for p in pots(process) if p.district == (district or "")), None)


def pot_election(process, pot: Pot, rows) -> tuple[tally.Election, int]:
    """The pot's election from the ballot rows ``(choices, channel, district)``, and its
    turnout (ballots of the pot's voters)."""
    split = bool(process.district_budgets)
    known = {p.ref for p in pot.projects}
    votes, turnout = [], 0
    for choices, _channel, district in rows:
        if split and pot.district and district != pot.district:
            continue
        turnout += 1
        picked = [c for c in decode(choices) if c.ref in known]
        if split and not picked:
            continue
        if process.ballot_type == "cumulative":
            votes.append(tally.Ballot(tuple(c.ref for c in picked), tuple(c.points for c in picked)))
        else:
            votes.append(tally.Ballot(tuple(c.ref for c in picked)))
    kind = {"ranking": "ordinal"}.get(process.ballot_type, process.ballot_type)
    election = tally.Election(pot.budget, tuple(tally.Project(p.ref, Decimal(p.cost), p.title)
                                                for p in pot.projects),
                              tuple(votes), kind, process.rank_k or process.max_choices)
    return election, turnout


def run_tally(municipality, process, rule: str | None = None) -> TallyResult:
    """Count every pot with ``rule`` (default: the process's) and store the result,
    replacing an earlier one for the same rule (unpublished)."""
    rule = rule or process.rule
    started = time.perf_counter()
    counted = tally_pots(municipality, process, rule)
    return store_result(municipality, process, rule, counted,
                        Decimal(f"{time.perf_counter() - started:.3f}"))


@dataclass(frozen=True)
class Counted:
    ballots: int  # every ballot of the process
    pots: tuple  # (pot, turnout, ballots counted in the pot, outcome or None)


def tally_pots(municipality, process, rule: str) -> Counted:
    """Count each pot (reads only)."""
    if rule not in tally.RULES:
        raise BudgetingError(_l("Regla desconocida: %(rule)s", rule=rule))
    rows = ballots(municipality, process)
    counted = []
    for pot in pots(process):
        election, turnout = pot_election(process, pot, rows)
        outcome = tally.tally(election, rule) if pot.projects else None
        counted.append((pot, turnout, len(election.ballots), outcome))
    return Counted(len(rows), tuple(counted))


def store_result(municipality, process, rule: str, done: Counted, seconds: Decimal) -> TallyResult:
    """Store what :func:`tally_pots` counted as the process's result for ``rule``."""
    counted = done.pots
    result = db.session.execute(select(TallyResult).where(
        TallyResult.process_id == process.id, TallyResult.rule == rule)).scalar_one_or_none()
    if result is None:
        result = TallyResult(municipality_id=municipality.id, process_id=process.id, rule=rule)
        db.session.add(result)
    single = len(counted) == 1 and counted[0][3] is not None
    result.voters = done.ballots
    result.total_cost = sum((o.total_cost for *_rest, o in counted if o), Decimal(0))
    result.per_voter_budget = counted[0][3].per_voter_budget if single else None
    result.mes_runs = sum(o.mes_runs for *_rest, o in counted if o)
    result.note = counted[0][3].note if single else ""
    result.seconds = seconds
    result.computed_at = utcnow()
    result.lines.clear()
    result.pots.clear()
    db.session.flush()
    by_ref = {p.ref: p for p in process.projects}
    position = 0
    for index, (pot, turnout, counted_ballots, outcome) in enumerate(counted):
        projects = outcome.projects if outcome else ()
        result.pots.append(ResultPot(
            position=index, district=pot.district, budget=pot.budget,
            spent=outcome.total_cost if outcome else Decimal(0), projects=len(projects),
            selected=sum(1 for p in projects if p.selected), ballots=counted_ballots,
            turnout=turnout, per_voter_budget=outcome.per_voter_budget if outcome else None,
            mes_runs=outcome.mes_runs if outcome else 0, note=outcome.note if outcome else ""))
        for p in sorted(projects, key=lambda p: (not p.selected, p.order or 0, -p.score)):
            result.lines.append(ResultLine(
                project_id=by_ref[p.id].id, position=position, selected=p.selected, votes=p.votes,
                score=p.score, reason=p.reason, remaining=p.remaining, district=pot.district,
                supporters_money=p.supporters_money, pick_order=p.order))
            position += 1
    db.session.flush()
    return result


# --- the queue of counts ------------------------------------------------------------------

def request_count(municipality, process, rule: str | None = None, *, user=None,
                  trigger="request") -> BudgetCount:
    """Queue a count (one waiting count per process and rule: asking again returns it)."""
    rule = rule or process.rule
    if rule not in tally.RULES:
        raise BudgetingError(_l("Regla desconocida: %(rule)s", rule=rule))
    waiting = db.session.execute(select(BudgetCount).where(
        BudgetCount.process_id == process.id, BudgetCount.rule == rule,
        BudgetCount.status == "queued")).scalars().first()
    if waiting is not None:
        return waiting
    count = BudgetCount(municipality_id=municipality.id, process_id=process.id, rule=rule,
                        status="queued", trigger=trigger, queued_at=utcnow(),
                        requested_by_id=user.id if user is not None else None)
    db.session.add(count)
    db.session.flush()
    return count


def counts(municipality, process, limit=5) -> list[BudgetCount]:
    """The latest counts of a process, newest first."""
    return db.session.execute(select(BudgetCount).where(
        BudgetCount.municipality_id == municipality.id, BudgetCount.process_id == process.id)
        .options(selectinload(BudgetCount.requested_by))
        .order_by(BudgetCount.id.desc()).limit(limit)).scalars().all()


def pending(municipality, process) -> BudgetCount | None:
    """The oldest count of the process still queued or running."""
    return db.session.execute(select(BudgetCount).where(
        BudgetCount.municipality_id == municipality.id, BudgetCount.process_id == process.id,
        BudgetCount.status.in_(("queued", "running"))).order_by(BudgetCount.id)).scalars().first()


def claim_next() -> int | None:
    """Take the oldest queued count of any municipality (an atomic update: two workers
    never take the same one). Returns its id, or None."""
    oldest = select(BudgetCount.id).where(BudgetCount.status == "queued") \
        .order_by(BudgetCount.id).limit(1).scalar_subquery()
    while True:
        # one statement that writes: on SQLite it waits for the write lock instead of
        # failing on a read that turns into a write
        taken = db.session.execute(update(BudgetCount).where(
            BudgetCount.id == oldest, BudgetCount.status == "queued")
            .values(status="running", started_at=utcnow()).returning(BudgetCount.id)
            .execution_options(synchronize_session=False)).scalar()
        if taken is not None:
            return taken
        if db.session.execute(select(BudgetCount.id).where(BudgetCount.status == "queued").limit(1)).first() is None:
            return None


def run_claimed(count_id: int) -> BudgetCount:
    """Tally a claimed count and mark it done (commits between the count, which only
    reads, and storing it; raises on failure)."""
    count = db.session.get(BudgetCount, count_id)
    municipality = db.session.get(Municipality, count.municipality_id)
    process = db.session.get(BudgetProcess, count.process_id)
    started = time.perf_counter()
    counted = tally_pots(municipality, process, count.rule)
    refs = [(pot.district, [p.ref for p in pot.projects]) for pot, *_rest in counted.pots]
    db.session.commit()  # end the read: a long count must not hold a transaction open
    if [(pot.district, [p.ref for p in pot.projects]) for pot in pots(process)] != refs:
        raise CountChanged(COUNT_ERRORS[CHANGED])
    result = store_result(municipality, process, count.rule, counted,
                          Decimal(f"{time.perf_counter() - started:.3f}"))
    count = db.session.get(BudgetCount, count_id)
    count.status = "done"
    count.result_id = result.id
    count.finished_at = utcnow()
    count.seconds = Decimal(f"{time.perf_counter() - started:.3f}")
    db.session.flush()
    return count


def mark_failed(count_id: int, error: str) -> None:
    db.session.execute(update(BudgetCount).where(BudgetCount.id == count_id).values(
        status="failed", finished_at=utcnow(), error=error[:2000]))
    db.session.flush()


def release_stale(now: datetime | None = None) -> int:
    """Counts left "running" by a worker that stopped (older than STALE_AFTER) fail."""
    limit = (now or utcnow()) - STALE_AFTER
    done = db.session.execute(update(BudgetCount).where(
        BudgetCount.status == "running", BudgetCount.started_at < limit).values(
        status="failed", finished_at=utcnow(),
        error=INTERRUPTED))
    db.session.flush()
    return done.rowcount


def enqueue_due(today: date) -> int:
    """Queue a count with its own rule for every process whose voting has closed (by the
    staff button or by date) and that has no result and no count yet."""
    has_result = select(TallyResult.id).where(TallyResult.process_id == BudgetProcess.id).exists()
    has_count = select(BudgetCount.id).where(BudgetCount.process_id == BudgetProcess.id).exists()
    due = db.session.execute(select(BudgetProcess).where(
        BudgetProcess.is_historical.is_(False), BudgetProcess.rulebook_frozen_at.is_not(None),
        (BudgetProcess.voting_closed_at.is_not(None)) | (BudgetProcess.voting_close < today),
        ~has_result, ~has_count)).scalars().all()
    for process in due:
        request_count(db.session.get(Municipality, process.municipality_id), process, trigger="close")
    return len(due)
