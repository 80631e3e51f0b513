"""The comparison kept up to date by the job queue (:mod:`portal.core.jobs`).

On publication: when a transaction records a change to data that feeds the comparison
(a change record of a section the registry lists as compared)
it also asks for a ``compare.refresh`` job, which recomputes the municipalities with
changes since the last refresh (those concerned) and moves them into place on every
stored page (:mod:`portal.compare.placing`); peer groups and regressions are computed
again by the nightly whole run. A burst of
publications is one job: a refresh that has not started yet takes the later ones too,
and it waits :data:`SETTLE_SECONDS` before starting so the burst can gather.
Nightly, the whole comparison is recomputed (values depend on the date too). A national
index uploaded by platform staff (``/comparar/importar``) is an import run as a job
(:mod:`portal.core.imports`): checked whole, stored in one transaction with the refresh.
"""
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from huey import crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.audit import services as audit
from portal.compare import external, services
from portal.core import imports, jobs, registry

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


# --- a national index uploaded by platform staff runs as a job (portal.core.imports) ---

def _check_index(run, data, progress):
    options = run.option_data
    published = options.get("published_on")
    return external.read(data, run.filename, source=options.get("source", ""), url=options.get("url", ""),
                         published_on=date.fromisoformat(published) if published else None,
                         country=options.get("country", ""), decimal_comma=bool(options.get("decimal_comma")),
                         progress=progress)


def _write_index(run, items, progress):
    count = external.store(items, progress)
    with audit.acting_as("platform_admin"):  # the index becomes an indicator of /comparar/ at once
        services.refresh(only_changed=True, regroup=True)
    return {"written": count}


def _index_summary(result):
    return ngettext("%(num)s valor importado.", "%(num)s valores importados.", result.get("written", 0))


def _disagreements_page(run):
    return url_for("compare.disagreements")


def _index_upload_page(run):
    return url_for("compare.import_external")


INDEX_IMPORT = imports.importer(
    "compare.external", _l("Importación de un índice nacional"), check=_check_index, write=_write_index,
    summary=_index_summary, done_url=_disagreements_page, again_url=_index_upload_page)
