"""What the municipality's home shows of participatory budgeting: a vote or a call for
proposals open today (one query)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from portal.core.publication import PUBLISHED
from portal.core.sections import Action, WorkItem
from portal.extensions import db
from portal.participation.budgeting.models import BudgetCount, BudgetProcess, BudgetProject, TallyResult
from portal.participation.budgeting.services import processes


def actions(municipality, today) -> list[Action]:
    found = []
    for process in processes(municipality):
        phase = process.phase(today)
        if phase == "voting":
            found.append(Action(_("Votar en «%(title)s»", title=process.title),
                                url_for("budgeting.vote", process_id=process.id), process.voting_close))
        elif phase == "proposals":
            found.append(Action(_("Proponer una obra para «%(title)s»", title=process.title),
                                url_for("budgeting.propose", process_id=process.id), process.proposals_close, 1))
    return found


def work(municipality) -> list[WorkItem]:
    """Processes and counts not yet published, proposals waiting for review and counts
    still queued or running (one query each)."""
    def where(model):
        return model.municipality_id == municipality.id
    processes_ = db.session.execute(select(func.count(BudgetProcess.id)).where(
        where(BudgetProcess), BudgetProcess.status != PUBLISHED)).scalar_one()
    proposals = db.session.execute(select(func.count(BudgetProject.id)).where(
        where(BudgetProject), BudgetProject.review_status == "proposed")).scalar_one()
    counts = db.session.execute(select(func.count(BudgetCount.id)).where(
        where(BudgetCount), BudgetCount.status.in_(("queued", "running")))).scalar_one()
    results = db.session.execute(select(func.count(TallyResult.id)).where(
        where(TallyResult), TallyResult.status != PUBLISHED)).scalar_one()
    url = url_for("budgeting.admin")
    return [
        WorkItem(ngettext("%(num)d proceso de presupuesto participativo sin publicar",
                          "%(num)d procesos de presupuesto participativo sin publicar", processes_),
                 processes_, url, ("publisher",)),
        WorkItem(ngettext("%(num)d propuesta de vecinos por revisar", "%(num)d propuestas de vecinos por revisar",
                          proposals), proposals, url, ("moderator", "editor")),
        WorkItem(ngettext("%(num)d conteo de votos en curso", "%(num)d conteos de votos en curso", counts),
                 counts, url, ("publisher", "editor", "verifier")),
        WorkItem(ngettext("%(num)d resultado de conteo sin publicar", "%(num)d resultados de conteo sin publicar",
                          results), results, url, ("publisher",)),
    ]
