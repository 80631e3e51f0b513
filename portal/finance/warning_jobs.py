"""The early warning as a queued job (:mod:`portal.core.jobs`).

Publishing a year of monthly execution asks (:func:`ask`, in the publishing transaction)
for one ``finance.early-warning`` job per municipality and year; a burst of publications
of the same year before the job starts is one job. The job:

1. stores the municipality's light in the fiscal semáforo (:func:`portal.finance.semaforo.store`)
   and commits it, so the light stands whatever happens to the mail;
2. e-mails the council staff (admins, publishers and editors) only the warnings of that
   year not told before; what was told is remembered per municipality, year, warning
   kind and indicator code (:class:`portal.finance.warning_models.WarningNotice`),
   written only once every message went out. Run twice, it sends one mail.

Nightly (``finance.semaforo-all``, 03:30 UTC) every light is computed again, without
e-mail: a light also depends on published budgets and past years, which change without a
new month of execution. ``flask --app wsgi finance semaforo`` does it at once.

A mail server that refuses or is down makes the attempt fail: the job is tried again
(``JOBS_RETRIES``, with backoff) and, after its last attempt, is listed on ``/admin/jobs``.
The publication never waits for the mail and never fails because of it. Links in the
message are built from ``PUBLIC_URL``; the message is in the municipality's language.
"""
import smtplib

from huey import crontab

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core import jobs, mail
from portal.extensions import db
from portal.finance import execution, semaforo
from portal.finance.warning_models import WarningNotice
from portal.municipalities.models import Municipality

LANGUAGES = ("es", "en", "pt")


@jobs.job("finance.early-warning", _l("Alerta temprana de la ejecución mensual"))
def early_warning(municipality_id: int, year: int) -> None:
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None:
        return  # deleted since
    semaforo.store(municipality)
    db.session.commit()
    tell(municipality, year)


@jobs.job("finance.semaforo-all", _l("Semáforo fiscal de todos los municipios (cada noche)"))
def refresh_all() -> int:
    """Store every municipality's light again (those with published monthly execution,
    and remove lights left without it); the number of lights stored."""
    stored = 0
    for municipality_id in semaforo.with_execution():
        municipality = db.session.get(Municipality, municipality_id)
        if semaforo.store(municipality) is not None:
            stored += 1
        db.session.commit()  # one municipality at a time: a long run holds no lock for long
    return stored


jobs.periodic(refresh_all, crontab(hour="3", minute="30"))


def ask(municipality, year: int):
    """Ask for the early-warning job of ``municipality`` and ``year`` (sent after the commit)."""
    return early_warning.enqueue(municipality.id, year, key=f"{municipality.id}:{year}")


def told(municipality, year: int) -> set[tuple[str, str]]:
    """(kind, code) of the warnings of ``year`` already e-mailed to the council."""
    return {(kind, code) for kind, code in db.session.execute(
        select(WarningNotice.kind, WarningNotice.code)
        .where(WarningNotice.municipality_id == municipality.id, WarningNotice.year == year))}


def language(municipality) -> str:
    """The language of the municipality's messages (its locale's language, Spanish otherwise)."""
    code = (municipality.locale or "es").replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else "es"


def tell(municipality, year: int) -> int:
    """E-mail the council the warnings of the published ``year`` not told before; the
    number of messages sent. Raises when a message cannot be sent (the job retries); the
    warnings are remembered only when every message went out. Flushes only."""
    data = execution.report(municipality, year)
    if data is None:
        return 0
    before = told(municipality, year)
    new = [w for w in data["warnings"] if (w.kind, w.code) not in before]
    addresses = execution.council(municipality)
    if not new or not addresses:
        return 0
    with force_locale(language(municipality)):
        month = execution.month_name(data["month"])
        body = render_template(
            "finance/email/early_warning.txt", data=dict(data, warnings=new), greeting=_("Hola:"),
            intro=_("La ejecución mensual publicada de %(name)s hasta %(month)s de %(year)s anticipa estas alertas:",
                    name=municipality.name, month=month, year=data["year"]),
            closing=_("Vea las cifras y cómo se proyectó el cierre:"),
            link=url_for("finance_execution.execution", slug=municipality.slug, year=data["year"], _external=True))
        subject = _("Alerta temprana de las finanzas de %(name)s (%(year)s)", name=municipality.name,
                    year=data["year"])
    for address in addresses:
        try:
            mail.send(address, subject, body)
        except (OSError, smtplib.SMTPException) as error:
            raise MailNotSent(f"early warning to {address}: {error}") from error
    for w in new:
        db.session.add(WarningNotice(municipality_id=municipality.id, year=year, kind=w.kind, code=w.code,
                                     month=data["month"], recipients=len(addresses)))
    db.session.flush()
    return len(addresses)


class MailNotSent(RuntimeError):
    """The mail server refused or could not be reached: the job fails and is tried again."""
