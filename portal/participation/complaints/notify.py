"""E-mails about a report: to the resident (when an address was given) and to the unit.

Messages carry the tracking link and never another person's data.
"""
from functools import wraps

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.core import mail
from portal.extensions import db
from portal.municipalities.models import Municipality

STATUS_LABELS = {
    "received": "Recibido", "in_progress": "En proceso", "fixed": "Resuelto",
    "not_ours": "No es competencia municipal", "wont_fix": "No se atenderá", "duplicate": "Duplicado",
}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def tracking_url(report) -> str:
    slug = db.session.get(Municipality, report.municipality_id).slug
    return url_for("complaints.track", slug=slug, code=report.code, _external=True)  # PUBLIC_URL, also in the CLI


def _localized(fn):
    """Outside a request (CLI, jobs) messages are written in Spanish, the default language."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        if has_request_context():
            return fn(*args, **kwargs)
        with force_locale("es"):
            return fn(*args, **kwargs)
    return wrapper


def _send(to, subject, body):
    try:
        mail.send(to, subject, body)
    except OSError:  # a mail outage must not lose the report; the page shows the status anyway
        current_app.logger.exception("Could not send e-mail to the reporter")


@_localized
def received(report) -> None:
    if not report.contact_email:
        return
    _send(report.contact_email, _("Recibimos su reporte %(code)s", code=report.code),
          _("Gracias. Su reporte sobre «%(category)s» quedó registrado con el código %(code)s.\n"
            "Plazo de atención: %(days)s días.\nSígalo en: %(url)s",
            category=report.category.name, code=report.code, days=report.category.service_days,
            url=tracking_url(report)))


@_localized
def status_changed(report, note: str = "") -> None:
    if not report.contact_email:
        return
    body = _("Su reporte %(code)s cambió de estado: %(status)s.", code=report.code,
             status=status_label(report.status))
    if note:
        body += "\n\n" + note
    if report.status == "fixed":
        body += "\n\n" + _("¿Quedó realmente resuelto? Díganos en la página del reporte.")
    body += "\n\n" + tracking_url(report)
    _send(report.contact_email, _("Reporte %(code)s: %(status)s", code=report.code,
                                  status=status_label(report.status)), body)


@_localized
def public_update(report, note: str) -> None:
    if not report.contact_email:
        return
    _send(report.contact_email, _("Novedades de su reporte %(code)s", code=report.code),
          note + "\n\n" + tracking_url(report))


@_localized
def reopened(report, comment: str = "") -> None:
    """Tell the responsible unit that a resident says the fix did not work."""
    unit = report.unit
    if unit is not None and unit.email:
        body = _("El vecino indica que el reporte #%(id)s (%(category)s) no quedó resuelto; se reabrió.",
                 id=report.id, category=report.category.name)
        if comment:
            body += "\n\n" + comment
        _send(unit.email, _("Reporte #%(id)s reabierto", id=report.id), body)
    status_changed(report)
