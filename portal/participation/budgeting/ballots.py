"""Ballots: checked against the frozen rulebook, cast (that a person voted and what they voted,
kept apart), changed with the receipt, entered on paper, and listed for counting."""
import hmac
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.core.i18n import money
from portal.extensions import db
from portal.participation.budgeting.census import census_size, has_voted, record_staff_entry, staff_checked_voter
from portal.participation.budgeting.errors import AlreadyVoted, BudgetingError
from portal.participation.budgeting.keys import code_hash, new_code, owner_hash
from portal.participation.budgeting.models import Ballot, Participation
from portal.participation.budgeting.processes import ballot_projects


@dataclass(frozen=True)
class Choice:
    ref: str
    points: int = 1


def check_choices(process, choices: list[Choice], district: str | None = None) -> list[Choice]:
    """Validate a ballot against the frozen rulebook (the projects a voter of ``district``
    sees); returns it in canonical order."""
    on_ballot = {p.ref: p for p in ballot_projects(process, district)}
    refs = [c.ref for c in choices]
    if len(set(refs)) != len(refs) or any(r not in on_ballot for r in refs):
        raise BudgetingError(_l("La papeleta tiene proyectos repetidos o que no están en la lista."))
    if process.ballot_type == "approval":
        if len(refs) < (process.min_choices or 0):
            raise BudgetingError(lazy_ngettext("Elija al menos %(num)d proyecto.", "Elija al menos %(num)d proyectos.",
                                               process.min_choices))
        if process.max_choices and len(refs) > process.max_choices:
            raise BudgetingError(lazy_ngettext("Elija como máximo %(num)d proyecto.", "Elija como máximo %(num)d proyectos.",
                                               process.max_choices))
        over = [spent - limit for spent, limit in _pot_spending(process, [on_ballot[r] for r in refs]) if spent > limit]
        if process.knapsack and over:
            excess = money(max(over)) if has_request_context() else f"{max(over):.2f}"
            raise BudgetingError(_l("Lo elegido cuesta %(excess)s más que el presupuesto disponible: quite "
                                    "proyectos que sumen al menos esa cantidad.", excess=excess))
        return [Choice(r) for r in refs]
    if process.ballot_type == "cumulative":
        used = [c for c in choices if c.points > 0]
        if any(c.points < 0 for c in choices) or sum(c.points for c in used) > (process.points or 0):
            raise BudgetingError(lazy_ngettext("Reparta como máximo %(num)s punto.", "Reparta como máximo %(num)s puntos.", process.points or 0))
        if not used:
            raise BudgetingError(_l("Asigne al menos un punto."))
        return used
    k = process.rank_k or len(on_ballot)
    if not refs or len(refs) > k:
        raise BudgetingError(lazy_ngettext("Ordene %(num)d proyecto.", "Ordene entre 1 y %(num)d proyectos.", k))
    return [Choice(r) for r in refs]


def _pot_spending(process, projects) -> list[tuple[Decimal, Decimal]]:
    """(cost chosen, budget) for each pot the chosen projects fall in."""
    budgets = {d.district: Decimal(d.amount) for d in process.district_budgets}
    city = Decimal(process.budget) - sum(budgets.values(), Decimal(0))
    spent: dict[str, Decimal] = {}
    for p in projects:
        pot = p.district if p.district in budgets else ""
        spent[pot] = spent.get(pot, Decimal(0)) + Decimal(p.cost)
    return [(amount, budgets.get(pot, city)) for pot, amount in spent.items()]


def ballot_limits(process, projects) -> dict | None:
    """What the ballot's running total (a script, for comfort) adds up against: the cost
    of the chosen projects per pot for an approval ballot with a cost limit, the points
    for a cumulative one; None for other ballots. ``pots``: key, district, limit;
    ``pot_of``: project ref -> pot key."""
    if process.ballot_type == "cumulative":
        return {"kind": "points", "pots": [{"key": "points", "district": "", "limit": process.points or 0}],
                "pot_of": {p.ref: "points" for p in projects}}
    if process.ballot_type != "approval" or not process.knapsack:
        return None
    budgets = {d.district: Decimal(d.amount) for d in process.district_budgets}
    city = Decimal(process.budget) - sum(budgets.values(), Decimal(0))
    pot_of = {p.ref: (p.district if p.district in budgets else "") for p in projects}
    keys = sorted(set(pot_of.values()))
    return {"kind": "cost", "pot_of": pot_of,
            "pots": [{"key": k, "district": k, "limit": budgets.get(k, city)} for k in keys]}


def encode(process, choices: list[Choice]) -> str:
    if process.ballot_type == "cumulative":
        return ",".join(f"{c.ref}:{c.points}" for c in choices)
    return ",".join(c.ref for c in choices)


def decode(text: str) -> list[Choice]:
    out = []
    for part in (text or "").split(","):
        if not part:
            continue
        ref, _, points = part.rpartition(":") if ":" in part else (part, "", "1")
        out.append(Choice(ref, int(points or 1)))
    return out


def cast_ballot(municipality, process, voter_key: str, choices: list[Choice], *, district="",
                channel="online", today: date | None = None, idempotency_key: str | None = None) -> str:
    """Record THAT the person voted (unique per process and person) and WHAT they voted,
    separately; return the receipt code (kept only hashed)."""
    if process.voting_closed_at is not None or process.rulebook_frozen_at is None or (
            today and process.voting_close and today > process.voting_close):
        raise BudgetingError(_l("La votación no está abierta."))
    choices = check_choices(process, choices, district)
    try:
        with db.session.begin_nested():
            db.session.add(Participation(municipality_id=municipality.id, process_id=process.id,
                                         voter_key=voter_key, channel=channel, district=district,
                                         idempotency_key=idempotency_key or None))
            db.session.flush()
    except IntegrityError:
        raise AlreadyVoted("Ya hay un voto registrado para esta persona en este proceso.") from None
    receipt = new_code(15)
    db.session.add(Ballot(municipality_id=municipality.id, process_id=process.id,
                          choices=encode(process, choices), channel=channel, district=district,
                          receipt_hash=code_hash(municipality, receipt),
                          owner_hash=owner_hash(municipality, voter_key, receipt)))
    db.session.flush()
    return receipt


def own_ballot(municipality, process, voter_key: str, receipt: str) -> Ballot:
    """The ballot of this receipt if the verified person ``voter_key`` cast it. Another
    person's receipt answers exactly as an unknown one does."""
    if not has_voted(municipality, process, voter_key):
        raise BudgetingError(_l("No hay un voto suyo que cambiar."))
    ballot = find_receipt(municipality, process, receipt)
    if ballot is None or ballot.owner_hash is None or not hmac.compare_digest(
            ballot.owner_hash, owner_hash(municipality, voter_key, receipt)):
        raise BudgetingError(_l("Código de comprobante no válido."))
    return ballot


def change_ballot(municipality, process, voter_key: str, receipt: str, choices: list[Choice]) -> Ballot:
    """Replace one's own ballot while voting is open: the receipt says which ballot, and
    it must be the ballot the verified person ``voter_key`` cast."""
    if not process.allow_change:
        raise BudgetingError(_l("Las reglas de este proceso no permiten cambiar el voto."))
    if process.voting_closed_at is not None:
        raise BudgetingError(_l("La votación ya cerró."))
    ballot = own_ballot(municipality, process, voter_key, receipt)
    ballot.choices = encode(process, check_choices(process, choices, ballot.district))
    ballot.version += 1
    db.session.flush()
    return ballot


def find_receipt(municipality, process, receipt: str) -> Ballot | None:
    if not receipt:
        return None
    return db.session.execute(select(Ballot).where(
        Ballot.process_id == process.id, Ballot.municipality_id == municipality.id,
        Ballot.receipt_hash == code_hash(municipality, receipt))).scalar_one_or_none()


def paper_ballot_recorded(municipality, process, key: str | None) -> bool:
    """Whether the paper ballot form with this key (made by the table's device) is already counted."""
    return bool(key) and db.session.scalar(select(func.count(Participation.id)).where(
        Participation.municipality_id == municipality.id, Participation.process_id == process.id,
        Participation.idempotency_key == key)) > 0


def enter_paper_ballot(municipality, process, document: str, choices: list[Choice], district="",
                       idempotency_key: str | None = None, birth: date | None = None,
                       today: date | None = None) -> str:
    """A paper ballot from a voting table; the voter is checked as a resident's own
    verification is (:func:`staff_checked_voter`), the document keeps the one-ballot rule,
    the form's key makes a repeated send (a table syncing after working offline) count once.
    The public change record notes that a paper ballot was entered, and by which role;
    never whose ballot, nor what it says."""
    key, district = staff_checked_voter(municipality, process, document, birth, district, today or date.today())
    receipt = cast_ballot(municipality, process, key, choices, district=district, channel="paper",
                          idempotency_key=idempotency_key)
    record_staff_entry(municipality, process, "PaperBallot", "Papeleta en papel", {"channel": "paper"})
    return receipt


def ballots(municipality, process):
    """``(choices, channel, district)`` of every ballot, sorted by their content: the order
    of casting (which could link a ballot to a person seen voting) never shows; identical
    ballots are indistinguishable, so the order says nothing else."""
    rows = db.session.execute(select(Ballot.choices, Ballot.channel, Ballot.district).where(
        Ballot.process_id == process.id, Ballot.municipality_id == municipality.id)).all()
    return sorted(tuple(row) for row in rows)  # in Python: the same order on every database


def turnout(municipality, process) -> dict:
    counts = dict(db.session.execute(select(Ballot.channel, func.count(Ballot.id)).where(
        Ballot.process_id == process.id).group_by(Ballot.channel)).all())
    census = 0 if process.is_historical else census_size(municipality)
    total = sum(counts.values())
    if process.example_data or total > census:
        census = 0  # the census is of today's residents, not of these ballots
    return {"ballots": total, "by_channel": counts, "census": census,
            "share": (Decimal(total) / census) if census else None}
