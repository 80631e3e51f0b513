"""What the municipality's home shows of its action plans: the share of their activities
already done (one query)."""
from decimal import Decimal

from flask import url_for
from flask_babel import ngettext
from sqlalchemy import func, select

from portal.core.publication import PUBLISHED
from portal.core.sections import Figure, WorkItem
from portal.extensions import db
from portal.roadmap.models import Activity, Plan


def figure(municipality):
    total, done = db.session.execute(
        select(func.count(Activity.id), func.count(Activity.id).filter(Activity.done.is_(True)))
        .join(Plan, Plan.id == Activity.plan_id)
        .where(Activity.municipality_id == municipality.id, Plan.status == PUBLISHED,
               Activity.parent_id.is_(None))).one()
    if not total:
        return None
    return Figure(Decimal(done) / Decimal(total), "percent",
                  ngettext("de %(num)d actividad de la hoja de ruta, terminada",
                           "de las %(num)d actividades de la hoja de ruta, terminadas", total),
                  url_for("roadmap.index"))


def work(municipality) -> list[WorkItem]:
    """Plans waiting to be published (one query)."""
    drafts = db.session.execute(select(func.count(Plan.id)).where(
        Plan.municipality_id == municipality.id, Plan.status != PUBLISHED)).scalar_one()
    return [WorkItem(ngettext("%(num)d plan de acción sin publicar", "%(num)d planes de acción sin publicar", drafts),
                     drafts, url_for("roadmap.index"), ("publisher",))]
