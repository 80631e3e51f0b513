"""What the municipality's home shows of surveys: those open today (one query)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from portal.core.sections import Action, WorkItem
from portal.extensions import db
from portal.participation.surveys.models import Answer, Survey
from portal.participation.surveys.services import public_surveys


def actions(municipality, today) -> list[Action]:
    return [Action(_("Responder la encuesta «%(title)s»", title=survey.title),
                   url_for("surveys.detail", survey_id=survey.id), survey.close_date)
            for survey in public_surveys(municipality) if survey.is_open(today)]


def work(municipality) -> list[WorkItem]:
    """Surveys not yet published and free-text answers waiting for moderation (one query each)."""
    drafts = db.session.execute(select(func.count(Survey.id)).where(
        Survey.municipality_id == municipality.id, Survey.status != "published")).scalar_one()
    texts = db.session.execute(select(func.count(Answer.id)).where(
        Answer.municipality_id == municipality.id, Answer.moderation == "pending")).scalar_one()
    url = url_for("survey_admin.index")
    return [WorkItem(ngettext("%(num)d encuesta sin publicar", "%(num)d encuestas sin publicar", drafts),
                     drafts, url, ("editor", "publisher")),
            WorkItem(ngettext("%(num)d respuesta de texto por moderar", "%(num)d respuestas de texto por moderar",
                              texts), texts, url, ("moderator",))]
