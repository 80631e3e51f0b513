"""The comparison kept up to date by the job queue (:mod:`portal.core.jobs`).

On publication: when a transaction records a change to data that feeds the comparison
(a change record of a section the registry lists as compared)
it also asks for a ``compare.refresh`` job, which recomputes the municipalities with
changes since the last refresh (those concerned) and regroups everyone. A burst of
publications is one job: a refresh that has not started yet takes the later ones too,
and it waits :data:`SETTLE_SECONDS` before starting so the burst can gather.
Nightly, the whole comparison is recomputed (values depend on the date too).
"""
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.audit import services as audit
from portal.compare import services
from portal.core import jobs, registry

SETTLE_SECONDS = 5
KEY = "changed"


@jobs.job("compare.refresh", _l("Comparación tras una publicación"))
def refresh_changed() -> None:
    with audit.acting_as("system"):
        services.refresh(only_changed=True)


@jobs.job("compare.refresh-all", _l("Comparación completa (cada noche)"))
def refresh_all() -> None:
    with audit.acting_as("system"):
        services.refresh()


jobs.periodic(refresh_all, crontab(hour="3", minute="15"))


def _collect(session, flush_context):
    fed = registry.compared_sections()
    for obj in audit.new_records(session):
        if obj.municipality_id is not None and obj.section in fed:
            session.info.setdefault("compare_changed", set()).add(obj.municipality_id)


def _ask(session, flush_context):
    """After the flush that wrote the change records (they are written by the audit's
    own post-flush hook, so this runs on the flush after): one job per transaction."""
    if not session.info.get("compare_changed") or session.info.get("compare_asked"):
        return
    if jobs.current() is not None and jobs.current().name.startswith("compare."):
        return  # the refresh itself recorded it
    session.info["compare_asked"] = True
    refresh_changed.enqueue(key=KEY, delay=SETTLE_SECONDS)


def _forget(session, *args):
    session.info.pop("compare_changed", None)
    session.info.pop("compare_asked", None)


def install() -> None:
    """Ask for a refresh with every commit that changed what the comparison reads."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_flush_postexec", _ask)
        event.listen(Session, "after_commit", _forget)
        event.listen(Session, "after_rollback", _forget)
