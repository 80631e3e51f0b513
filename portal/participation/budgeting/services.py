"""Participatory budgeting use cases. Services take the municipality first and only flush."""
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.core.clock import utcnow
from portal.core.i18n import money
from portal.core.tabular import Problem, TableError, parse_date, read_table
from portal.extensions import db
from portal.participation.budgeting import pabulib, tally
from portal.participation.budgeting.models import (
    ON_BALLOT, Ballot, BudgetProcess, BudgetProject, CensusEntry, CensusSecret, Participation,
    ResultLine, TallyResult, VoterVerification, VotingCode)

PLAN_TITLE = "Presupuesto participativo"
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class BudgetingError(ValueError):
    """A request that cannot be done; the message is for the person (Spanish)."""


class AlreadyVoted(BudgetingError):
    pass


class CostFrozen(BudgetingError):
    """A project's cost cannot change once voting opened: the ballot showed that cost."""


class DistrictBudgetError(BudgetingError):
    """The district budgets cannot be saved as typed."""


# --- keyed hashes ---------------------------------------------------------------------

def _secret(municipality) -> bytes:
    row = db.session.execute(select(CensusSecret).where(
        CensusSecret.municipality_id == municipality.id)).scalar_one_or_none()
    if row is None:
        row = CensusSecret(municipality_id=municipality.id, secret=secrets.token_hex(32))
        db.session.add(row)
        db.session.flush()
    return bytes.fromhex(row.secret)


def normalize_document(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text or "").upper()


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def person_hash(municipality, document: str) -> str:
    return _mac(_secret(municipality), "person:" + normalize_document(document))


def entry_hash(municipality, document: str, birth: date) -> str:
    return _mac(_secret(municipality), f"entry:{normalize_document(document)}|{birth.isoformat()}")


def _code_hash(municipality, code: str) -> str:
    return _mac(_secret(municipality), "code:" + normalize_document(code))


def _owner_hash(municipality, voter_key: str, receipt: str) -> str:
    """Binds a ballot to the person who cast it without saying who: it needs both the
    voter's key and the receipt, which only the voter holds (the database keeps its hash)."""
    return _mac(_secret(municipality), f"owner:{voter_key}|{normalize_document(receipt)}")


def new_code(length: int = 10) -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(length))
    return "-".join(raw[i:i + 5] for i in range(0, length, 5))


# --- processes and projects ------------------------------------------------------------

def processes(municipality, published_only=True):
    stmt = select(BudgetProcess).where(BudgetProcess.municipality_id == municipality.id)
    if published_only:
        stmt = stmt.where(BudgetProcess.status == "published")
    return db.session.execute(stmt.order_by(BudgetProcess.voting_open.desc().nullslast(),
                                            BudgetProcess.id.desc())).scalars().all()


def get_process(municipality, process_id, published_only=True) -> BudgetProcess | None:
    stmt = select(BudgetProcess).where(BudgetProcess.municipality_id == municipality.id,
                                       BudgetProcess.id == process_id)
    if published_only:
        stmt = stmt.where(BudgetProcess.status == "published")
    return db.session.execute(stmt).scalar_one_or_none()


def get_project(municipality, process, project_id, published_only=True):
    stmt = select(BudgetProject).where(BudgetProject.municipality_id == municipality.id,
                                       BudgetProject.process_id == process.id,
                                       BudgetProject.id == project_id)
    if published_only:
        stmt = stmt.where(BudgetProject.status == "published")
    return db.session.execute(stmt).scalar_one_or_none()


def has_processes(municipality) -> bool:
    return db.session.execute(select(BudgetProcess.id).where(
        BudgetProcess.municipality_id == municipality.id,
        BudgetProcess.status == "published").limit(1)).first() is not None


def ballot_projects(process, district: str | None = None) -> list[BudgetProject]:
    """The projects on the ballot. With district budgets and a voter's ``district``: the
    city-wide ones and that district's only (``None``: every project)."""
    listed = [p for p in process.projects if p.review_status in ON_BALLOT and p.status == "published"]
    budgets = {d.district for d in process.district_budgets}
    if district is None or not budgets:
        return listed
    return [p for p in listed if p.district not in budgets or p.district == district]


def _check_district_budgets(process, rows, budget) -> None:
    wanted = dict(rows)
    if sum(wanted.values(), Decimal(0)) > Decimal(budget or 0):
        raise DistrictBudgetError(_l("Los presupuestos por distrito suman más que el presupuesto total."))
    current = {d.district: Decimal(d.amount) for d in process.district_budgets} if process.id else {}
    if process.rulebook_frozen_at is not None and current != wanted:
        raise DistrictBudgetError(_l("Los presupuestos por distrito quedaron fijados al abrir la votación."))


def save_district_budgets(municipality, process, rows: list[tuple[str, Decimal]]) -> None:
    """Set the district budgets (name, amount), keeping rows whose district stays."""
    from portal.participation.budgeting.models import DistrictBudget

    _check_district_budgets(process, rows, process.budget)
    wanted = dict(rows)
    current = {d.district: d for d in process.district_budgets}
    for name, row in current.items():
        if name not in wanted:
            process.district_budgets.remove(row)
    db.session.flush()  # deletions first: a district may come back under the same name
    for name, amount in wanted.items():
        if name in current:
            current[name].amount = amount
        else:
            process.district_budgets.append(DistrictBudget(
                municipality_id=municipality.id, district=name, amount=amount))
    db.session.flush()


RULEBOOK_FIELDS = ("ballot_type", "min_choices", "max_choices", "knapsack", "points", "rank_k",
                   "eligibility", "min_age", "rule", "allow_change")


def save_process(municipality, process: BudgetProcess | None, **fields) -> BudgetProcess:
    """Create or edit a process; the rulebook cannot change once voting has opened."""
    new = process is None
    if new:
        process = BudgetProcess(municipality_id=municipality.id)
    elif process.rulebook_frozen_at is not None:
        changed = [f for f in RULEBOOK_FIELDS if f in fields and fields[f] != getattr(process, f)]
        if changed:
            raise BudgetingError(_l("Las reglas de votación quedaron fijadas al abrir la votación."))
    if fields.get("rule", process.rule or "greedy") not in tally.RULES:
        raise BudgetingError(_l("Regla desconocida."))
    districts = fields.pop("district_budgets", None)
    if districts is not None:
        _check_district_budgets(process, districts, fields.get("budget", process.budget))
    for key, value in fields.items():
        setattr(process, key, value)
    if new:
        db.session.add(process)
    db.session.flush()
    if districts is not None:
        save_district_budgets(municipality, process, districts)
    return process


def open_voting(municipality, process: BudgetProcess, today: date) -> None:
    """Freeze the rulebook and start the voting phase today."""
    if not ballot_projects(process):
        raise BudgetingError(_l("No hay proyectos aprobados para la papeleta."))
    process.rulebook_frozen_at = process.rulebook_frozen_at or utcnow()
    if process.voting_open is None or process.voting_open > today:
        process.voting_open = today
    if process.voting_close is None or process.voting_close < today:
        process.voting_close = today
    process.voting_closed_at = None
    db.session.flush()


def close_voting(municipality, process: BudgetProcess) -> None:
    process.voting_closed_at = utcnow()
    db.session.flush()


def proposal_by_key(municipality, process, key: str | None) -> BudgetProject | None:
    """The proposal already sent with this device-made key, if any."""
    if not key:
        return None
    return db.session.execute(select(BudgetProject).where(
        BudgetProject.municipality_id == municipality.id, BudgetProject.process_id == process.id,
        BudgetProject.idempotency_key == key)).scalar_one_or_none()


def propose(municipality, process, user, *, title, description, cost, district="", place="",
            photo: bytes | None = None, idempotency_key: str | None = None) -> BudgetProject:
    """A resident's proposal. With an ``idempotency_key`` already used in this process
    (a device sending the same proposal twice), the stored one is returned unchanged."""
    from portal.core.uploads import save_image

    existing = proposal_by_key(municipality, process, idempotency_key)
    if existing is not None:
        return existing
    project = BudgetProject(municipality_id=municipality.id, process_id=process.id, ref="",
                            title=title, description=description, cost=Decimal(cost),
                            district=district or "", place=place or "",
                            proposer_id=user.id if user else None, review_status="proposed",
                            idempotency_key=idempotency_key or None)
    if photo:
        project.photo = save_image(municipality.id, photo)
    project.publish()  # proposals are public from the start; the review says what happens
    db.session.add(project)
    db.session.flush()
    project.ref = str(project.id)
    db.session.flush()
    return project


def review(municipality, project: BudgetProject, *, status: str, reason: str,
           cost: Decimal | None = None) -> BudgetProject:
    """Public review: every rejection or change needs its reason."""
    if status in ("rejected", "changed") and not (reason or "").strip():
        raise BudgetingError(_l("Indique el motivo: se publica junto a la decisión."))
    if cost is not None and Decimal(cost) != project.cost:
        if project.process.rulebook_frozen_at is not None:
            raise CostFrozen(_l("El costo quedó fijado al abrir la votación (%(cost)s): las personas votaron "
                                "con ese costo y no puede cambiar hasta el final del proceso.",
                                cost=money(project.cost, municipality=municipality)))
        project.original_cost = project.original_cost or project.cost
        project.cost = Decimal(cost)
        if status == "accepted":
            status = "changed"
    project.review_status = status
    project.review_reason = reason or ""
    db.session.flush()
    return project


def my_proposals(municipality, user):
    return db.session.execute(select(BudgetProject).where(
        BudgetProject.municipality_id == municipality.id, BudgetProject.proposer_id == user.id)
        .options(selectinload(BudgetProject.process))
        .order_by(BudgetProject.id.desc())).scalars().all()


# --- census and verification -----------------------------------------------------------

CENSUS_COLUMNS = {"document": ("documento", "dui", "document", "numero_documento"),
                  "birth_date": ("fecha_nacimiento", "nacimiento", "birth_date"),
                  "district": ("distrito", "district", "canton", "zona")}


def import_census(municipality, data: bytes, filename: str) -> int:
    """Replace the census with the file (documento, fecha_nacimiento, distrito). Only
    keyed hashes are stored. Raises TableError listing every bad row before writing."""
    rows = read_table(data, filename, CENSUS_COLUMNS, required=("document", "birth_date"))
    problems, clean, seen = [], [], set()
    for i, row in enumerate(rows, start=2):
        document = normalize_document(str(row.get("document") or ""))
        if len(document) < 4:
            problems.append(Problem(i, "document", _l("Escriba el número de documento.")))
            continue
        try:
            birth = parse_date(row.get("birth_date"))
        except ValueError:
            birth = None
        if birth is None:
            problems.append(Problem(i, "birth_date", _l("Use el formato AAAA-MM-DD.")))
            continue
        if document in seen:
            problems.append(Problem(i, "document", _l("Documento repetido en el archivo.")))
            continue
        seen.add(document)
        clean.append((document, birth, str(row.get("district") or "").strip()))
    if not clean and not problems:  # an empty file must not wipe the census
        problems.append(Problem(None, None, _l("El archivo no tiene ninguna fila con datos.")))
    if problems:
        raise TableError(problems, getattr(rows, "headers", None))
    db.session.execute(CensusEntry.__table__.delete().where(
        CensusEntry.municipality_id == municipality.id))
    db.session.execute(CensusEntry.__table__.insert(), [
        {"municipality_id": municipality.id, "entry_hash": entry_hash(municipality, d, b),
         "person_hash": person_hash(municipality, d), "district": dist} for d, b, dist in clean])
    db.session.flush()
    return len(clean)


def census_size(municipality) -> int:
    return db.session.execute(select(func.count(CensusEntry.id)).where(
        CensusEntry.municipality_id == municipality.id)).scalar() or 0


def census_by_district(municipality, process) -> dict[str, int]:
    """People in the census per district ("" = all of them); empty for imported processes
    and example data (the census is of today's residents)."""
    if process.is_historical or process.example_data:
        return {}
    rows = db.session.execute(select(CensusEntry.district, func.count(CensusEntry.id)).where(
        CensusEntry.municipality_id == municipality.id).group_by(CensusEntry.district)).all()
    out = {district: n for district, n in rows}
    out[""] = sum(out.values())
    return out


def district_rows(municipality, process, result) -> list[dict]:
    """The "per district" table of a result: district ("" = the whole municipality),
    budget, spent, funded and listed projects, ballots (turnout), people in the census
    and the share of them who voted. With district budgets, one row per pot; without,
    the whole process and then the districts of its projects (no budget of their own)."""
    if result is None:
        return []
    census = census_by_district(municipality, process)

    def row(district, budget, spent, selected, projects, ballots):
        people = census.get(district)
        return {"district": district, "budget": budget, "spent": spent, "selected": selected,
                "projects": projects, "ballots": ballots, "people": people,
                "share": Decimal(ballots) / people if people and ballots is not None and ballots <= people
                else None}  # more ballots than people: not this census (imported or example data)

    if len(result.pots) != 1 or result.pots[0].district:
        return [row(p.district, p.budget, p.spent, p.selected, p.projects, p.turnout) for p in result.pots]
    by_ballots = dict(db.session.execute(select(Ballot.district, func.count(Ballot.id)).where(
        Ballot.process_id == process.id, Ballot.municipality_id == municipality.id)
        .group_by(Ballot.district)).all())
    out = [row("", Decimal(process.budget), result.total_cost, sum(1 for line in result.lines if line.selected),
               len(result.lines), result.voters)]
    districts = sorted({line.project.district for line in result.lines if line.project.district})
    for district in districts:
        lines = [line for line in result.lines if line.project.district == district]
        picked = [line for line in lines if line.selected]
        out.append(row(district, None, sum((Decimal(line.project.cost) for line in picked), Decimal(0)),
                       len(picked), len(lines), by_ballots.get(district) if by_ballots.get(district) else None))
    return out


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _eligible(process, district: str, voter_district: str | None) -> None:
    if process.eligibility == "district" and district and voter_district and district != voter_district:
        raise BudgetingError(_l("Su distrito no participa en este proceso."))


def _record_verification(municipality, process, key, method, district, user=None):
    existing = db.session.execute(select(VoterVerification).where(
        VoterVerification.process_id == process.id, VoterVerification.voter_key == key)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    row = VoterVerification(municipality_id=municipality.id, process_id=process.id, voter_key=key,
                            method=method, district=district or "",
                            verified_by_id=user.id if user else None)
    db.session.add(row)
    db.session.flush()
    return row


def _min_age_check(process, birth: date, today: date) -> None:
    if process.min_age and _age(birth, today) < process.min_age:
        raise BudgetingError(_l("Para votar en este proceso se necesita una edad mínima de %(n)d años.",
                                n=process.min_age))


def _census_entry(municipality, process, document: str, birth: date, today: date) -> CensusEntry:
    """The census entry of document + birth date, old enough for the process; or BudgetingError."""
    entry = db.session.execute(select(CensusEntry).where(
        CensusEntry.municipality_id == municipality.id,
        CensusEntry.entry_hash == entry_hash(municipality, document, birth))).scalars().first()
    if entry is None:
        raise BudgetingError(_l("No encontramos ese documento con esa fecha de nacimiento en el padrón."))
    _min_age_check(process, birth, today)
    return entry


def verify_census(municipality, process, document: str, birth: date, today: date) -> VoterVerification:
    """Check document + birth date against the census hashes (and the minimum age)."""
    entry = _census_entry(municipality, process, document, birth, today)
    return _record_verification(municipality, process, entry.person_hash, "census", entry.district)


def staff_checked_voter(municipality, process, document: str, birth: date | None, district: str,
                        today: date) -> tuple[str, str]:
    """``(voter_key, district)`` of a person a staff member enters (in-person verification,
    paper ballot), under the rules a resident's own verification follows: with a census
    loaded, the document and birth date must be in it, old enough, and the district is the
    census's (a different one typed is refused); without a census, the birth date is still
    needed for a process with a minimum age."""
    if len(normalize_document(document)) < 4:
        raise BudgetingError(_l("Escriba el número de documento."))
    if census_size(municipality):
        if birth is None:
            raise BudgetingError(_l("Escriba la fecha de nacimiento: se comprueba en el padrón."))
        entry = _census_entry(municipality, process, document, birth, today)
        if district and entry.district and district != entry.district:
            raise BudgetingError(_l("Según el padrón, esta persona vota en otro distrito (%(district)s).",
                                    district=entry.district))
        return entry.person_hash, entry.district or district or ""
    if process.min_age:
        if birth is None:
            raise BudgetingError(_l("Escriba la fecha de nacimiento: este proceso tiene una edad mínima."))
        _min_age_check(process, birth, today)
    return person_hash(municipality, document), district or ""


def _record_staff_entry(municipality, process, object_type: str, summary: str, changes: dict) -> None:
    """Put a staff entry in the public change record, with the role of whoever entered it
    (the change record finds it). Nothing in it leads to the voter or to a ballot."""
    from portal.audit.services import append

    append(db.session, municipality_id=municipality.id, action="create", section="budgeting",
           object_type=object_type, object_id=process.id, summary=f"{summary}: {process.title}"[:300],
           changes={key: [None, value] for key, value in changes.items()})


def verify_in_person(municipality, process, document: str, district: str, user, birth: date | None = None,
                     today: date | None = None) -> VoterVerification:
    key, district = staff_checked_voter(municipality, process, document, birth, district, today or date.today())
    existing = db.session.scalar(select(func.count(VoterVerification.id)).where(
        VoterVerification.process_id == process.id, VoterVerification.voter_key == key))
    row = _record_verification(municipality, process, key, "in_person", district, user)
    if not existing:
        _record_staff_entry(municipality, process, "InPersonVerification", "Verificación en persona",
                            {"method": "in_person", "district": district})
    return row


MAX_CODES_PER_REQUEST = 200
MAX_CODES_WITHOUT_CENSUS = 5000


def codes_left(municipality, process) -> int:
    """How many more one-time codes the process may have: never more than the people who
    may vote (the census, or else the municipality's population, or else 5,000)."""
    ceiling = census_size(municipality) or municipality.population or MAX_CODES_WITHOUT_CENSUS
    made = db.session.scalar(select(func.count(VotingCode.id)).where(VotingCode.process_id == process.id)) or 0
    return max(0, ceiling - made)


def make_codes(municipality, process, count: int, batch: str = "") -> list[str]:
    """One-time voting codes for a voting table; returned in clear once, stored hashed.
    At most :data:`MAX_CODES_PER_REQUEST` at a time and :func:`codes_left` in all; each
    batch is in the public change record with the role that made it."""
    if not 1 <= count <= MAX_CODES_PER_REQUEST:
        raise BudgetingError(_l("Entre 1 y %(most)d códigos por vez.", most=MAX_CODES_PER_REQUEST))
    left = codes_left(municipality, process)
    if count > left:
        raise BudgetingError(_l("Este proceso ya tiene todos los códigos que puede tener; quedan %(left)d.",
                                left=left))
    codes = [new_code() for _ in range(count)]
    db.session.execute(VotingCode.__table__.insert(), [
        {"municipality_id": municipality.id, "process_id": process.id,
         "code_hash": _code_hash(municipality, c), "batch": batch, "used": False} for c in codes])
    _record_staff_entry(municipality, process, "VotingCodes", "Códigos de votación", {"count": count, "batch": batch})
    db.session.flush()
    return codes


def redeem_code(municipality, process, code: str) -> VoterVerification:
    row = db.session.execute(select(VotingCode).where(
        VotingCode.process_id == process.id,
        VotingCode.code_hash == _code_hash(municipality, code))).scalar_one_or_none()
    if row is None:
        raise BudgetingError(_l("Código no válido."))
    # Used once: the update only succeeds for the first of two people typing the same code.
    taken = db.session.execute(update(VotingCode).where(VotingCode.id == row.id, VotingCode.used.is_(False))
                               .values(used=True).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise BudgetingError(_l("Este código ya se usó."))
    return _record_verification(municipality, process, "code:" + row.code_hash, "code", "")


def verification(municipality, process, verification_id) -> VoterVerification | None:
    if not verification_id:
        return None
    return db.session.execute(select(VoterVerification).where(
        VoterVerification.id == verification_id, VoterVerification.process_id == process.id,
        VoterVerification.municipality_id == municipality.id)).scalar_one_or_none()


def has_voted(municipality, process, voter_key: str) -> bool:
    return db.session.execute(select(Participation.id).where(
        Participation.process_id == process.id, Participation.voter_key == voter_key)).first() is not None


# --- ballots -------------------------------------------------------------------------

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
            raise BudgetingError(_l("Elija como máximo %(n)s proyectos.", n=process.max_choices))
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


def _encode(process, choices: list[Choice]) -> str:
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
                          choices=_encode(process, choices), channel=channel, district=district,
                          receipt_hash=_code_hash(municipality, receipt),
                          owner_hash=_owner_hash(municipality, voter_key, receipt)))
    db.session.flush()
    return receipt


def own_ballot(municipality, process, voter_key: str, receipt: str) -> Ballot:
    """The ballot of this receipt if the verified person ``voter_key`` cast it. Another
    person's receipt answers exactly as an unknown one does."""
    if not has_voted(municipality, process, voter_key):
        raise BudgetingError(_l("No hay un voto suyo que cambiar."))
    ballot = find_receipt(municipality, process, receipt)
    if ballot is None or ballot.owner_hash is None or not hmac.compare_digest(
            ballot.owner_hash, _owner_hash(municipality, voter_key, receipt)):
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
    ballot.choices = _encode(process, check_choices(process, choices, ballot.district))
    ballot.version += 1
    db.session.flush()
    return ballot


def find_receipt(municipality, process, receipt: str) -> Ballot | None:
    if not receipt:
        return None
    return db.session.execute(select(Ballot).where(
        Ballot.process_id == process.id, Ballot.municipality_id == municipality.id,
        Ballot.receipt_hash == _code_hash(municipality, receipt))).scalar_one_or_none()


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
    _record_staff_entry(municipality, process, "PaperBallot", "Papeleta en papel", {"channel": "paper"})
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


# --- counting --------------------------------------------------------------------------

def election(municipality, process, district: str | None = None) -> tally.Election:
    """The election of one pot (``district``; "" or None: the city-wide one)."""
    from portal.participation.budgeting import counting

    pot = counting.find_pot(process, district)
    if pot is None:
        raise BudgetingError(_l("Ese distrito no tiene presupuesto en este proceso."))
    return counting.pot_election(process, pot, ballots(municipality, process))[0]


def run_tally(municipality, process, rule: str | None = None) -> TallyResult:
    """Count now (CLI, demo, the worker): see :func:`counting.run_tally`."""
    from portal.participation.budgeting import counting

    return counting.run_tally(municipality, process, rule)


def results(municipality, process, published_only=True) -> list[TallyResult]:
    stmt = select(TallyResult).where(TallyResult.process_id == process.id,
                                     TallyResult.municipality_id == municipality.id)
    if published_only:
        stmt = stmt.where(TallyResult.status == "published")
    return db.session.execute(stmt.options(
        selectinload(TallyResult.lines).selectinload(ResultLine.project),
        selectinload(TallyResult.pots))
        .order_by(TallyResult.id)).scalars().all()


def result_for(municipality, process, rule: str | None, published_only=True) -> TallyResult | None:
    found = results(municipality, process, published_only)
    wanted = rule or process.rule
    return next((r for r in found if r.rule == wanted), None)


def publish_results(municipality, process, result: TallyResult, *, start_execution=True) -> int:
    """Publish a result; its selected projects become works of the roadmap's
    "Presupuesto participativo" plan and investment budget lines. Returns how many works."""
    from portal.finance.services import ensure_investment_line
    from portal.roadmap.services import add_participatory_work

    result.publish()
    if process.status != "published":
        process.publish()
    if not start_execution:
        db.session.flush()
        return 0
    year = process.year or (process.execution_start or date.today()).year
    count = 0
    for line in result.lines:
        if not line.selected:
            continue
        project = line.project
        ref = f"pp-{process.id}-{project.ref}"
        add_participatory_work(municipality, plan_title=PLAN_TITLE, source_ref=ref,
                               title=project.title, description=project.description,
                               cost=project.cost, district=project.district,
                               responsible="Unidad de proyectos", start=process.execution_start)
        ensure_investment_line(municipality, year=year, code=f"61.PP.{project.id}",
                               name=project.title, approved=project.cost)
        project.work_ref = ref
        count += 1
    db.session.flush()
    return count


def progress_for(municipality, projects) -> dict:
    from portal.roadmap.services import work_progress

    return work_progress(municipality, [p.work_ref for p in projects if p.work_ref])


# --- pabulib import / export -----------------------------------------------------------

def import_pabulib(municipality, texts, *, publish=False, title: str | None = None) -> BudgetProcess:
    """See :func:`exchange.import_pabulib` (one file, or the files of one election)."""
    from portal.participation.budgeting import exchange

    return exchange.import_pabulib(municipality, texts, publish=publish, title=title)


def export_pabulib(municipality, process, result: TallyResult | None, district: str | None = None) -> str:
    """See :func:`exchange.export_pabulib` (one file per pot)."""
    from portal.participation.budgeting import exchange

    return exchange.export_pabulib(municipality, process, result, district)


# --- explanations ------------------------------------------------------------------------

def reason_text(line: ResultLine, currency: str, ballot_type: str) -> str:
    """Why the project was or was not funded, in words (translated)."""
    from flask_babel import gettext as _
    from flask_babel import ngettext

    from portal.core.i18n import money as format_money
    from portal.core.i18n import number

    def money(v):
        return format_money(v, currency) if v is not None else ""

    count = ngettext("%(count)s voto", "%(count)s votos", int(line.votes), count=number(line.votes, 0)) \
        if ballot_type == "approval" else \
        ngettext("%(count)s puntos de %(v)s votante", "%(count)s puntos de %(v)s votantes", int(line.votes),
                 count=number(line.score, 0), v=number(line.votes, 0))
    if line.reason == "no_votes":
        return _("Sin votos.")
    if line.reason in ("greedy_funded", "greedy_completion_funded"):
        extra = _("financiado con lo que quedó tras el reparto equitativo") \
            if line.reason == "greedy_completion_funded" else _("financiado en orden de votos")
        return _("%(count)s; %(extra)s; quedan %(left)s.", count=count, extra=extra, left=money(line.remaining))
    if line.reason in ("did_not_fit", "did_not_fit_after_mes"):
        return _("%(count)s; no cupo: quedaban %(left)s del presupuesto tras los proyectos más votados.",
                 count=count, left=money(line.remaining))
    if line.reason == "mes_funded":
        return _("%(count)s; financiado con partes iguales del presupuesto de quienes lo apoyaron "
                 "(elegido en el puesto %(n)s).", count=count, n=line.pick_order or "")
    if line.reason == "mes_unaffordable":
        return _("%(count)s; no financiado: a quienes lo apoyaron les quedaban %(money)s de sus partes, "
                 "no alcanzaba para su costo.", count=count, money=money(line.supporters_money))
    return count
