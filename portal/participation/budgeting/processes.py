"""Participatory budgeting processes, their projects and their rulebook; residents' proposals
and their public review."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.clock import utcnow
from portal.core.i18n import money
from portal.core.uploads import save_image
from portal.extensions import db
from portal.participation.budgeting import tally
from portal.participation.budgeting.errors import BudgetingError, CostFrozen, DistrictBudgetError
from portal.participation.budgeting.models import ON_BALLOT, BudgetProcess, BudgetProject, DistrictBudget


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
