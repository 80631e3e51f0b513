"""Checkpoints of the change record signed by the job queue (:mod:`portal.core.jobs`)
every hour, as ``audit checkpoint`` does by hand. Idempotent: a head already signed is
not signed again."""
from flask_babel import lazy_gettext as _l
from huey import crontab

from portal.audit import checkpoints
from portal.core import jobs


@jobs.job("audit.checkpoint", _l("Firma de los puntos de control del historial"))
def sign_checkpoints() -> None:
    checkpoints.sign_heads()


jobs.periodic(sign_checkpoints, crontab(minute="7"))
