"""The municipality's whole iCalendar file (``/m/<slug>/calendario.ics``): the dated
events of every domain that declares a :class:`portal.core.registry.Calendar`. Each
domain serves its own section's file (``/m/<slug>/presupuesto/calendario.ics``...);
``?lang=es|en|pt`` chooses the language of the texts (:func:`portal.core.ical.response`)."""
from flask_babel import gettext as _

from portal.accounts.permissions import public
from portal.core import ical, registry
from portal.core.tenancy import tenant_blueprint

bp = tenant_blueprint("calendar", __name__)


@bp.route("/calendario.ics")
@public
def everything():
    return ical.response(lambda: _("Calendario cívico"), registry.calendar_events)
