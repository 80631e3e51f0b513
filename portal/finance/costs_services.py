"""Use cases of the cost study of the services. Every function takes the municipality
first and only flushes; views and the CLI commit.

A year's study is replaced whole by an import and published as a unit. A fee reform
(:func:`reform_into_scenario`) becomes a projection rule of a scenario: the yearly
increase over what is collected now, on the service's own reform line
(``<code>.RT``), from a year on.
"""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.audit.services import append, number_text
from portal.core.publication import PUBLISHED
from portal.extensions import db
from portal.finance import costs, projections, services
from portal.finance.revenue_models import CostService, CostStudy

FIELDS = ("staff", "supplies", "fuel", "disposal", "other", "accrued", "collected", "share")


def studies(municipality, published_only: bool = True) -> list[CostStudy]:
    stmt = (select(CostStudy).where(CostStudy.municipality_id == municipality.id)
            .options(selectinload(CostStudy.services)).order_by(CostStudy.year))
    if published_only:
        stmt = stmt.where(CostStudy.status == PUBLISHED)
    return list(db.session.scalars(stmt))


def get_study(municipality, year: int, published_only: bool = True) -> CostStudy | None:
    return next((s for s in studies(municipality, published_only) if s.year == year), None)


def plain(row: CostService) -> costs.Service:
    return costs.Service(row.code, row.name, row.households, **{k: getattr(row, k) for k in FIELDS})


def computed(study: CostStudy) -> costs.Study:
    return costs.study([plain(r) for r in study.services], study.indirect_costs, study.allocation_key)


def replace(municipality, year: int, plan, *, publish: bool = False, note: str = "") -> CostStudy:
    """Make the year's study exactly the plan's services, pool and key; flushes only."""
    study = get_study(municipality, year, published_only=False)
    if study is None:
        study = CostStudy(municipality_id=municipality.id, year=year)
        db.session.add(study)
    study.indirect_costs, study.allocation_key = plan.indirect, plan.key
    if note:
        study.note = note[:500]
    existing = {r.code: r for r in study.services}
    for position, item in enumerate(plan.services):
        row = existing.pop(item.code, None)
        if row is None:
            row = CostService(municipality_id=municipality.id, code=item.code, households=item.households,
                              study=study)
            db.session.add(row)
        row.position, row.name, row.households = position, item.name, item.households
        for name in FIELDS:
            setattr(row, name, getattr(item, name))
    for row in existing.values():  # deleted while still in the study, so the change record has them
        db.session.delete(row)
    db.session.flush()
    for row in existing.values():
        study.services.remove(row)
    if publish:
        publish_study(municipality, study)
    return study


def publish_study(municipality, study: CostStudy) -> None:
    if study.status == PUBLISHED:
        return
    study.publish()
    db.session.flush()
    result = computed(study)
    append(db.session, municipality_id=municipality.id, action="publish_contents", section="finance",
           object_type="CostStudy", object_id=study.id, summary=str(study.year),
           changes={r.service.code: [None, f"{number_text(r.cost)} / {number_text(r.subsidy)}"] for r in result.services})


def reform(study: CostStudy, code: str, fee: Decimal, payers: int, collection_rate: Decimal) -> costs.Reform:
    """Simulate a new fee for the service ``code`` of ``study``; FinanceError when the
    service is not in it or a figure is out of bounds."""
    result = computed(study)
    cost = next((r for r in result.services if r.service.code == code), None)
    if cost is None:
        raise services.FinanceError(_l("el servicio %(code)s no está en el estudio de costos", code=code))
    if costs.check_reform(fee, payers, collection_rate):
        raise services.FinanceError(_l("la tarifa no puede ser negativa, los contribuyentes son un número entero "
                                       "y la tasa de cobro va entre 0 y 1"))
    return costs.simulate(cost, fee, payers, collection_rate)


def reform_into_scenario(municipality, scenario, simulated: costs.Reform, from_year: int) -> projections.Rule:
    """The reform's yearly increase as a rule of ``scenario`` from ``from_year`` on (method
    ``oneoff`` on ``<code>.RT``, absorbed into its rubro from the next year); recomputes it."""
    if scenario.base_year is None or from_year <= scenario.base_year:
        raise services.FinanceError(_l("el año debe ser posterior al año base del escenario (%(year)s)",
                                       year=scenario.base_year))
    service = simulated.cost.service
    rule = projections.Rule(f"{service.code}.RT", "oneoff", from_year, None, amount=simulated.increase,
                            name=f"{service.name}: {simulated.fee} × {simulated.payers} × 12 × "
                                 f"{simulated.collection_rate}"[:200])
    services.add_rule(municipality, scenario, rule)
    services.recompute(municipality, scenario)
    return rule
