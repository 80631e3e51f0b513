"""What the municipality's home shows of surveys: those open today (one query)."""
from flask import url_for
from flask_babel import gettext as _

from portal.core.sections import Action
from portal.participation.surveys.services import public_surveys


def actions(municipality, today) -> list[Action]:
    return [Action(_("Responder la encuesta «%(title)s»", title=survey.title),
                   url_for("surveys.detail", survey_id=survey.id), survey.close_date)
            for survey in public_surveys(municipality) if survey.is_open(today)]
