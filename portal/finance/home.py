"""What the municipality's home and the staff dashboard show of its finances: the latest published year's
expenditure, approved (as modified) or else executed (three queries: the year, its
lines, its facts)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.core.publication import PUBLISHED
from portal.core.sections import Figure, WorkItem
from portal.extensions import db
from portal.finance import ratios
from portal.finance.models import BudgetYear, Scenario
from portal.finance.services import classifier_for, year_data


def figure(municipality):
    row = db.session.execute(
        select(BudgetYear).where(BudgetYear.municipality_id == municipality.id, BudgetYear.status == PUBLISHED)
        .options(selectinload(BudgetYear.lines), selectinload(BudgetYear.facts))
        .order_by(BudgetYear.year.desc()).limit(1)).scalar_one_or_none()
    if row is None:
        return None
    values = ratios.variables(classifier_for(municipality), year_data(row))
    url = url_for("finance.budget", year=row.year)
    approved = values.get("egresos_totales_modificado") or values.get("egresos_totales_presupuestado")
    if approved:
        return Figure(approved, "money", _("presupuesto de gastos de %(year)s", year=row.year), url)
    spent = values.get("egresos_totales_devengado")
    if spent:
        return Figure(spent, "money", _("gastos ejecutados en %(year)s", year=row.year), url)
    return None


def work(municipality) -> list[WorkItem]:
    """Budget years and scenarios waiting to be published (two queries)."""
    years = db.session.execute(select(func.count(BudgetYear.id)).where(
        BudgetYear.municipality_id == municipality.id, BudgetYear.status != PUBLISHED)).scalar_one()
    scenarios = db.session.execute(select(func.count(Scenario.id)).where(
        Scenario.municipality_id == municipality.id, Scenario.status != PUBLISHED)).scalar_one()
    url = url_for("finance.manage")
    return [WorkItem(ngettext("%(num)d año del presupuesto sin publicar", "%(num)d años del presupuesto sin publicar",
                              years), years, url, ("publisher",)),
            WorkItem(ngettext("%(num)d escenario financiero sin publicar", "%(num)d escenarios financieros sin publicar",
                              scenarios), scenarios, url, ("publisher",))]
