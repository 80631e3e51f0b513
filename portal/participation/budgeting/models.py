"""Participatory budgeting: processes, projects, the census, voters and ballots, results.

Anonymity by design: :class:`Participation` records THAT a person voted in a process
(UNIQUE per process and person: the database refuses a second ballot even when two
arrive at once), :class:`Ballot` records WHAT was voted, with no link between them and
no time of day. People are known only by keyed hashes (HMAC with a per-municipality
secret) of their document number; the census keeps no document number or birth date
in clear.
"""
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.publication import Publishable
from portal.core.types import Exact, Money
from portal.extensions import db

BALLOT_TYPES = ("approval", "cumulative", "ranking")
RULE_NAMES = ("greedy", "mes", "mes-add1", "mes-add1-comparison", "mes-add1-greedy")
PROJECT_STATUSES = ("proposed", "in_review", "accepted", "changed", "rejected")
ON_BALLOT = ("accepted", "changed")


class BudgetProcess(Publishable, Audited, db.Model):
    __tablename__ = "budget_processes"
    __audit_section__ = "budgeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    budget: Mapped[object] = mapped_column(Money())
    year: Mapped[int | None]
    # phases
    proposals_open: Mapped[date | None]
    proposals_close: Mapped[date | None]
    review_close: Mapped[date | None]
    voting_open: Mapped[date | None]
    voting_close: Mapped[date | None]
    results_date: Mapped[date | None]
    execution_start: Mapped[date | None]
    # the rulebook, frozen when voting opens
    ballot_type: Mapped[str] = mapped_column(String(20), default="approval")
    min_choices: Mapped[int] = mapped_column(default=1)
    max_choices: Mapped[int | None]
    knapsack: Mapped[bool] = mapped_column(Boolean, default=False)  # total cost <= budget
    points: Mapped[int | None]  # cumulative: points to distribute
    rank_k: Mapped[int | None]  # ranking: top K
    eligibility: Mapped[str] = mapped_column(String(20), default="municipality")  # or district
    min_age: Mapped[int | None]
    rule: Mapped[str] = mapped_column(String(30), default="greedy")
    allow_change: Mapped[bool] = mapped_column(Boolean, default=False)
    rulebook_frozen_at: Mapped[datetime | None]
    voting_closed_at: Mapped[datetime | None]
    is_historical: Mapped[bool] = mapped_column(Boolean, default=False)  # imported, closed
    example_data: Mapped[bool] = mapped_column(Boolean, default=False)
    source_note: Mapped[str] = mapped_column(Text, default="")
    meta_json: Mapped[str] = mapped_column(Text, default="")  # imported META, for export
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    projects: Mapped[list["BudgetProject"]] = relationship(
        back_populates="process", cascade="all, delete-orphan", order_by="BudgetProject.id")
    district_budgets: Mapped[list["DistrictBudget"]] = relationship(
        cascade="all, delete-orphan", order_by="DistrictBudget.district")

    def phase(self, today: date) -> str:
        """proposals | review | voting | counting | results | execution | planned | closed"""
        if self.is_historical:
            return "closed"
        if self.voting_closed_at is None and self.voting_open and self.voting_close and \
                self.voting_open <= today <= self.voting_close:
            return "voting"
        if self.execution_start and today >= self.execution_start:
            return "execution"
        if self.results_date and today >= self.results_date:
            return "results"
        if self.voting_close and today > self.voting_close or self.voting_closed_at:
            return "counting"
        if self.review_close and self.proposals_close and today > self.proposals_close:
            return "review"
        if self.proposals_open and today >= self.proposals_open:
            return "proposals"
        return "planned"

    def transitions(self, today: date) -> tuple[str, ...]:
        """What staff may do to the process now (``publish``, ``open``, ``close``): publish
        a draft; open the vote of a published process that is not voting and was never
        closed; close a vote that is open. Imported historical processes take none."""
        if self.is_historical:
            return ()
        found = [] if self.is_published else ["publish"]
        phase = self.phase(today)
        if phase == "voting":
            found.append("close")
        elif self.is_published and self.voting_closed_at is None and phase not in ("results", "execution"):
            found.append("open")
        return tuple(found)


class DistrictBudget(Audited, db.Model):
    __tablename__ = "budget_district_budgets"
    __audit_section__ = "budgeting"
    __table_args__ = (UniqueConstraint("process_id", "district"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    district: Mapped[str] = mapped_column(String(120))
    amount: Mapped[object] = mapped_column(Money())


class BudgetProject(Publishable, Audited, db.Model):
    """A proposal; once accepted in review, a project on the ballot."""

    __tablename__ = "budget_projects"
    __audit_section__ = "budgeting"
    __table_args__ = (UniqueConstraint("process_id", "ref"), UniqueConstraint("process_id", "idempotency_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(60))  # the id in a pabulib file / on the ballot
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[object] = mapped_column(Money())
    original_cost: Mapped[object | None] = mapped_column(Money(), nullable=True)
    district: Mapped[str] = mapped_column(String(120), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    photo: Mapped[str] = mapped_column(String(120), default="")
    review_status: Mapped[str] = mapped_column(String(20), default="proposed")
    review_reason: Mapped[str] = mapped_column(Text, default="")
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    work_ref: Mapped[str] = mapped_column(String(80), default="")  # roadmap source_ref
    # made by the proposer's device: a proposal sent twice (offline sync) is stored once
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    process: Mapped[BudgetProcess] = relationship(back_populates="projects")


class CensusSecret(db.Model):
    """The per-municipality key of the census hashes (never shown)."""

    __tablename__ = "budget_census_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(String(128))


class CensusEntry(db.Model):
    """One resident of the padrón: HMAC(document + birth date), HMAC(document), the
    district and the birth year (for the minimum age; not identifying on its own)."""

    __tablename__ = "budget_census"
    __table_args__ = (UniqueConstraint("municipality_id", "person_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    entry_hash: Mapped[str] = mapped_column(String(64), index=True)  # document + birth date
    person_hash: Mapped[str] = mapped_column(String(64))  # document only: the voter key
    district: Mapped[str] = mapped_column(String(120), default="")


class VoterVerification(db.Model):
    """A person found eligible for a process (census online, in person, or a code)."""

    __tablename__ = "budget_verifications"
    __table_args__ = (UniqueConstraint("process_id", "voter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(20))  # census | in_person | code
    district: Mapped[str] = mapped_column(String(120), default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingCode(db.Model):
    """A one-time code printed for a voting table; only its hash is kept."""

    __tablename__ = "budget_voting_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    batch: Mapped[str] = mapped_column(String(40), default="")
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class Participation(db.Model):
    """THAT someone voted. UNIQUE (process, voter_key): one ballot per person."""

    __tablename__ = "budget_participations"
    __table_args__ = (UniqueConstraint("process_id", "voter_key"), UniqueConstraint("process_id", "idempotency_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(20), default="online")  # online | paper | code
    district: Mapped[str] = mapped_column(String(120), default="")
    # a paper ballot's form key, made by the voting table's device: sent twice, counted once
    idempotency_key: Mapped[str | None] = mapped_column(String(64))


class Ballot(db.Model):
    """WHAT was voted: the choices ("ref" or "ref:points", comma-separated, in ballot
    order) and the hash of the receipt code. No voter, no time of day. ``owner_hash``
    (keyed, of the voter's key AND the receipt) lets only the person who cast it change
    it; without the receipt it cannot be linked to anyone."""

    __tablename__ = "budget_ballots"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    choices: Mapped[str] = mapped_column(Text)
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    owner_hash: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20), default="online")  # online|paper|imported|example
    district: Mapped[str] = mapped_column(String(120), default="")
    version: Mapped[int] = mapped_column(default=1)


class TallyResult(Publishable, Audited, db.Model):
    __tablename__ = "budget_results"
    __audit_section__ = "budgeting"
    __table_args__ = (UniqueConstraint("process_id", "rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(30))
    voters: Mapped[int] = mapped_column(default=0)
    total_cost: Mapped[object] = mapped_column(Money())
    per_voter_budget: Mapped[object | None] = mapped_column(Money(), nullable=True)
    mes_runs: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(40), default="")
    seconds: Mapped[object | None] = mapped_column(Exact(12, 3), nullable=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    lines: Mapped[list["ResultLine"]] = relationship(
        cascade="all, delete-orphan", order_by="ResultLine.position")
    pots: Mapped[list["ResultPot"]] = relationship(
        cascade="all, delete-orphan", order_by="ResultPot.position")

    def audit_label(self) -> str:
        return ""  # the history names the kind and the rule, translated


class ResultLine(db.Model):
    __tablename__ = "budget_result_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(
        ForeignKey("budget_results.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("budget_projects.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    selected: Mapped[bool] = mapped_column(Boolean, default=False)
    votes: Mapped[int] = mapped_column(default=0)
    score: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(40), default="")
    remaining: Mapped[object | None] = mapped_column(Money(), nullable=True)
    supporters_money: Mapped[object | None] = mapped_column(Money(), nullable=True)
    pick_order: Mapped[int | None]
    district: Mapped[str] = mapped_column(String(120), default="")  # the pot ("" city-wide)

    project: Mapped[BudgetProject] = relationship()


class ResultPot(db.Model):
    """One pot of a result: a district's budget, or the city-wide one (``district`` "").
    ``ballots`` = ballots counted in this pot (those choosing at least one of its
    projects when the process has district budgets); ``turnout`` = ballots of the
    district's voters (every ballot for the city-wide pot)."""

    __tablename__ = "budget_result_pots"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(
        ForeignKey("budget_results.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    district: Mapped[str] = mapped_column(String(120), default="")
    budget: Mapped[object] = mapped_column(Money())
    spent: Mapped[object] = mapped_column(Money())
    projects: Mapped[int] = mapped_column(default=0)
    selected: Mapped[int] = mapped_column(default=0)
    ballots: Mapped[int] = mapped_column(default=0)
    turnout: Mapped[int] = mapped_column(default=0)
    per_voter_budget: Mapped[object | None] = mapped_column(Money(), nullable=True)
    mes_runs: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(40), default="")


COUNT_STATUSES = ("queued", "running", "done", "failed")


class BudgetCount(db.Model):
    """A count asked for (voting closed, or staff pressed "count"), run outside the web
    request by the background worker or ``budgeting count-pending``."""

    __tablename__ = "budget_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("budget_processes.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    trigger: Mapped[str] = mapped_column(String(20), default="request")  # request | close | cli
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    seconds: Mapped[object | None] = mapped_column(Exact(12, 3), nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    result_id: Mapped[int | None] = mapped_column(ForeignKey("budget_results.id", ondelete="SET NULL"))

    requested_by = relationship("User")

    @property
    def pending(self) -> bool:
        return self.status in ("queued", "running")
