"""Imports that run as jobs: a staff upload checked and written by a worker, with progress.

A domain declares each large import once::

    imports.importer("budgeting.census", _l("Carga del padrón"), check=..., write=...,
                     done_url=..., summary=..., again_url=...)

and its upload view only stores the file and asks for the job::

    run = imports.start("budgeting.census", data, filename, municipality=g.municipality)
    db.session.commit()                       # the run, its ledger row and the file together
    return redirect(imports.progress_url(run))

What happens then:

- the upload is kept in the shared upload storage (``UPLOAD_FOLDER/imports/``, every
  server and worker sees it; never the request's memory or a server's working
  directory); an :class:`ImportRun` row is written with the request and the
  ``imports.run`` job is sent to the queue after the commit (:mod:`portal.core.jobs`);
- the job reads and validates the WHOLE file first (``check``: every row; a problem names
  the row and the column as the file wrote it, in the language of the person who
  uploaded it, stored with the run). A refused file is recorded with its problems and
  nothing is written;
- then ``write`` writes everything in ONE transaction, which also marks the run done: a
  failure or a killed worker leaves nothing half-written, and the run is done exactly
  when its rows are there. A rerun (the queue delivered it twice, the sweep took it
  again after a crash, staff retried it from ``/admin/jobs``) of a done run writes
  nothing; a rerun of an unfinished one starts over (the importers replace or match
  what they write, so the result is the same, never doubled rows);
- progress (phase, rows checked, rows written, total) is recorded as it goes, each step in
  a short transaction of its own (while writing, on a connection of its own, where the
  database allows a second writer: PostgreSQL; SQLite has one writer at a time and shows
  the phase until the commit);
- the person is sent to the progress page (``/m/<slug>/importaciones/<id>`` for a
  municipality's import, ``/admin/importaciones/<id>`` for the platform's), which
  refreshes itself while the job runs (no JavaScript) and ends with the result or the
  problems table. A job that fails for good is on ``/admin/jobs`` like any other, and the
  run says so.

``check(run, data, progress)`` returns what ``write(run, checked, progress)`` needs, or
raises :class:`~portal.core.tabular.TableError`; ``write`` only flushes and returns a
JSON-able result (counts) that ``summary(result)`` words for the person.
``progress.total(n)``, ``progress.checked(n)`` and ``progress.written(n)`` record how far it
got.
"""
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from flask import current_app, g, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from portal.core import jobs, uploads
from portal.core.clock import utcnow
from portal.core.i18n import language as current_language
from portal.core.tabular import Problem, TableError
from portal.extensions import db

log = logging.getLogger(__name__)

QUEUED, CHECKING, WRITING, DONE, REFUSED, FAILED = "queued", "checking", "writing", "done", "refused", "failed"
AWAITING = "awaiting"  # checked, its preview shown: waits for the person to confirm
FINISHED = (DONE, REFUSED, FAILED)
PHASE_LABELS = {
    QUEUED: _l("En espera"),
    CHECKING: _l("Revisando el archivo"),
    AWAITING: _l("Revisado: espera su confirmación"),
    WRITING: _l("Guardando las filas"),
    DONE: _l("Terminada"),
    REFUSED: _l("Rechazada: no se guardó nada"),
    FAILED: _l("Falló: no se guardó nada"),
}
_REFUSED = object()
MAX_PROBLEMS = 500  # problems kept for the page; the rest are counted
MAX_BYTES = 20 * 1024 * 1024
FOLDER = "imports"
REFRESH_SECONDS = 3


class ImportRun(db.Model):
    """One uploaded file on its way in: what it is, how far it got, and how it ended."""
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    # None: a platform import (platform staff only)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"),
                                                        index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200), default="")
    stored: Mapped[str] = mapped_column(String(100), default="")  # name under UPLOAD_FOLDER/imports/
    options: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    language: Mapped[str] = mapped_column(String(5), default="es")
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    total: Mapped[int | None] = mapped_column(Integer)
    checked: Mapped[int] = mapped_column(Integer, default=0)
    written: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[row, column, message], ...]
    more_problems: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str] = mapped_column(Text, default="{}")  # JSON, the importer's counts
    job_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def waiting(self) -> bool:
        """Checked and previewed: it waits for the person to confirm (nothing to refresh)."""
        return self.status == AWAITING

    @property
    def phase_label(self) -> str:
        return str(PHASE_LABELS.get(self.status, self.status))

    @property
    def problem_rows(self) -> list[list]:
        """``[row, column, message]`` with each message in the language of the page."""
        shown = current_language()
        return [[row, column, message.get(shown) or message.get(self.language) or next(iter(message.values()), "")
                 if isinstance(message, dict) else message] for row, column, message in json.loads(self.problems or "[]")]

    @property
    def result_data(self) -> dict:
        return json.loads(self.result or "{}")

    @property
    def option_data(self) -> dict:
        return json.loads(self.options or "{}")

    @property
    def importer(self) -> "Importer":
        return IMPORTERS[self.kind]


@dataclass(frozen=True)
class Importer:
    kind: str
    label: object  # a lazy string: the import as staff call it
    check: Callable  # (run, data, progress) -> checked; raises TableError
    write: Callable  # (run, checked, progress) -> dict (flush only)
    summary: Callable  # (result dict) -> text for the person
    done_url: Callable  # (run) -> where what was imported is seen
    again_url: Callable  # (run) -> the upload page, to try another file
    roles: tuple = ()  # a municipality's import: the staff roles that may see its runs
    max_bytes: int = MAX_BYTES
    preview: Callable | None = None  # (run, checked) -> JSON-able dict: shown, then confirmed before writing
    preview_template: str = ""  # the template that shows it, included in the progress page


IMPORTERS: dict[str, Importer] = {}


def importer(kind: str, label, *, check, write, summary, done_url, again_url, roles: tuple = (),
             max_bytes: int = MAX_BYTES, preview=None, preview_template: str = "") -> Importer:
    """Declare an import that runs as a job (see the module's docstring); ``roles``: for a
    municipality's import, who of its staff may follow its runs (platform imports: platform
    staff). With ``preview``, a checked file is not written at once: the progress page
    shows what it will do (``preview_template`` with ``preview``) and the person confirms
    (:func:`confirm`); the job then checks the file again and writes it."""
    declared = Importer(kind, label, check, write, summary, done_url, again_url, tuple(roles), max_bytes, preview,
                        preview_template)
    IMPORTERS[kind] = declared
    return declared


# --- asking for an import (in the request) -------------------------------------------

def folder() -> Path:
    path = uploads.upload_folder() / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def start(kind: str, data: bytes, filename: str, *, municipality=None, user=None, options: dict | None = None,
          language: str | None = None) -> ImportRun:
    """Keep the upload in the shared storage, write the run and ask for its job (sent
    after the commit; the file is deleted again if the transaction does not commit)."""
    declared = IMPORTERS[kind]
    suffix = Path(filename or "").suffix.lower()[:10]
    name = f"{secrets.token_urlsafe(18)}{suffix if suffix.isascii() and suffix[1:].isalnum() else ''}"
    path = folder() / name
    path.write_bytes(data[:declared.max_bytes + 1])
    uploads.track_written(path)
    run = ImportRun(kind=kind, municipality_id=getattr(municipality, "id", None),
                    user_id=getattr(user, "id", None), filename=(filename or "")[:200], stored=name,
                    options=json.dumps(options or {}), language=(language or current_language())[:5],
                    status=QUEUED, checked=0, written=0, problems="[]", more_problems=0, result="{}")
    db.session.add(run)
    db.session.flush()
    job = run_import.enqueue(run.id)
    db.session.flush()
    run.job_id = job.id
    return run


def confirm(run: ImportRun) -> bool:
    """The person saw the preview and confirms: the job runs again, checks the file again
    (the database may have changed since) and writes it. False when the run was not
    waiting for a confirmation (confirmed already, or sent twice)."""
    confirmed = db.session.execute(update(ImportRun).where(ImportRun.id == run.id, ImportRun.status == AWAITING)
                                   .values(status=QUEUED, options=json.dumps({**run.option_data, "confirmed": True}),
                                           updated_at=utcnow())
                                   .execution_options(synchronize_session=False)).rowcount
    if not confirmed:
        return False
    job = run_import.enqueue(run.id)
    db.session.flush()
    db.session.execute(update(ImportRun).where(ImportRun.id == run.id).values(job_id=job.id)
                       .execution_options(synchronize_session=False))
    db.session.expire(run)
    return True


def latest(kind: str, municipality=None) -> ImportRun | None:
    """The newest run of this import (of this municipality, or of the platform), for the
    upload page to link to its progress."""
    owner = ImportRun.municipality_id.is_(None) if municipality is None else \
        ImportRun.municipality_id == municipality.id
    return db.session.execute(select(ImportRun).where(ImportRun.kind == kind, owner)
                              .order_by(ImportRun.id.desc()).limit(1)).scalar_one_or_none()


def progress_url(run: ImportRun, slug: str | None = None) -> str:
    """The run's progress page; a municipality's run needs its ``slug`` (by default the
    municipality of the current ``/m/<slug>/`` page, where its upload is)."""
    if run.municipality_id is None:
        return url_for("imports.platform_progress", run_id=run.id)
    return url_for("imports_m.progress", slug=slug or g.municipality.slug, run_id=run.id)


# --- the job -------------------------------------------------------------------------

class Progress:
    """Records how far a run got, each step in a short transaction of its own."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.writing = False

    def _record(self, **values):
        values["updated_at"] = utcnow()
        statement = update(ImportRun).where(ImportRun.id == self.run_id).values(**values)
        if not self.writing:  # nothing else is pending in the session: commit the step
            db.session.execute(statement.execution_options(synchronize_session=False))
            db.session.commit()
            return
        engine = db.engine  # while writing: a second connection, where a second writer may write
        if isinstance(engine, Engine) and engine.dialect.name != "sqlite":
            try:
                with engine.begin() as connection:
                    connection.execute(statement)
            except Exception:  # progress is a courtesy: never fail the import for it
                log.exception("import %s: progress not recorded", self.run_id)

    def phase(self, status: str) -> None:
        self._record(status=status)

    def total(self, n: int) -> None:
        self._record(total=n)

    def checked(self, n: int) -> None:
        self._record(checked=n)

    def written(self, n: int) -> None:
        self._record(written=n)


def _problems(error: TableError) -> tuple[list, int]:
    """The problems as stored: each message in every language of the portal, so whoever
    opens the page (the uploader or a colleague in another language) reads it in theirs."""
    rows = []
    for p in error.problems[:MAX_PROBLEMS]:
        texts = {}
        for code in current_app.config["LANGUAGES"]:
            with force_locale(code):
                texts[code] = str(p.message)
        rows.append([p.row, p.column, texts])
    return rows, max(len(error.problems) - MAX_PROBLEMS, 0)


def _failed(run_id: int, error: str = "") -> None:
    """The job failed for good: the run says so (the error is on ``/admin/jobs``)."""
    db.session.execute(update(ImportRun).where(ImportRun.id == run_id, ImportRun.status != DONE).values(
        status=FAILED, finished_at=utcnow(), updated_at=utcnow()).execution_options(synchronize_session=False))


@jobs.job("imports.run", _l("Importación de un archivo"), retries=2, on_failure=_failed)
def run_import(run_id: int) -> None:
    """Check the whole file, then write it in one transaction (see the module's docstring)."""
    run = db.session.get(ImportRun, run_id, populate_existing=True)  # as stored now, not as this session last saw it
    if run is None or run.status in (DONE, REFUSED, AWAITING):
        return  # finished or previewed already: a second delivery writes nothing (a failed run retried runs again)
    with force_locale(run.language or "es"):
        found = check(run)
        if found is _REFUSED:
            return
        run = db.session.get(ImportRun, run_id)
        declared = run.importer
        if declared.preview is not None and not run.option_data.get("confirmed"):
            db.session.execute(update(ImportRun).where(ImportRun.id == run_id).values(
                status=AWAITING, result=json.dumps({"preview": declared.preview(run, found)}, ensure_ascii=False),
                updated_at=utcnow()).execution_options(synchronize_session=False))
            db.session.commit()
            return
        write(run_id, found)


def check(run: ImportRun):
    """Phase 1: read and validate every row; returns what the importer found, or
    ``_REFUSED`` after recording (and committing) a refused file's problems."""
    declared, run_id = run.importer, run.id
    progress = Progress(run_id)
    progress._record(status=CHECKING, checked=0, written=0, total=None)
    path = folder() / run.stored
    run = db.session.get(ImportRun, run_id)
    try:
        data = path.read_bytes()
        if len(data) > declared.max_bytes:
            raise TableError([Problem(None, None, _l(
                "El archivo pasa de %(limit)s MB; divídalo en varios archivos.", limit=declared.max_bytes // 2**20))])
        checked = declared.check(run, data, progress)
    except TableError as error:
        rows, more = _problems(error)
        db.session.execute(update(ImportRun).where(ImportRun.id == run_id).values(
            status=REFUSED, problems=json.dumps(rows, ensure_ascii=False), more_problems=more,
            finished_at=utcnow(), updated_at=utcnow()).execution_options(synchronize_session=False))
        uploads.remove_after_commit(path)
        db.session.commit()
        return _REFUSED
    run = db.session.get(ImportRun, run_id)
    progress.checked(run.total if run.total is not None else 0)
    return checked


def write(run_id: int, checked) -> None:
    """Phase 2: write in one transaction that also marks the run done (the job commits it)."""
    progress = Progress(run_id)
    progress.phase(WRITING)
    progress.writing = True
    run = db.session.get(ImportRun, run_id)
    result = run.importer.write(run, checked, progress)
    progress.writing = False
    written = int(result.get("written", run.total or 0))
    db.session.execute(update(ImportRun).where(ImportRun.id == run_id).values(
        status=DONE, written=written, result=json.dumps(result), finished_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False))
    uploads.remove_after_commit(folder() / run.stored)
    db.session.flush()
