"""Results of a participatory budget: counting (through :mod:`.counting`), the stored results,
the per-district table, and publication (works on the roadmap, investment lines in the budget)."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.finance.services import ensure_investment_line
from portal.participation.budgeting import counting, tally
from portal.participation.budgeting.ballots import ballots
from portal.participation.budgeting.census import census_by_district
from portal.participation.budgeting.errors import BudgetingError
from portal.participation.budgeting.models import Ballot, ResultLine, TallyResult
from portal.roadmap.services import add_participatory_work, participatory_ref, work_progress


PLAN_TITLE = "Presupuesto participativo"


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


def election(municipality, process, district: str | None = None) -> tally.Election:
    """The election of one pot (``district``; "" or None: the city-wide one)."""
    pot = counting.find_pot(process, district)
    if pot is None:
        raise BudgetingError(_l("Ese distrito no tiene presupuesto en este proceso."))
    return counting.pot_election(process, pot, ballots(municipality, process))[0]


def run_tally(municipality, process, rule: str | None = None) -> TallyResult:
    """Count now (CLI, demo, the worker): see :func:`counting.run_tally`."""
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
        ref = participatory_ref(process.id, project.ref)
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
    return work_progress(municipality, [p.work_ref for p in projects if p.work_ref])
