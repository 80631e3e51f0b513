"""What the municipality's home shows of participatory budgeting: a vote or a call for
proposals open today (one query)."""
from flask import url_for
from flask_babel import gettext as _

from portal.core.sections import Action
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
