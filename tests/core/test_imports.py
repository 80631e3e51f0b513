"""Imports run as jobs (portal.core.imports), through the census upload: the file is kept
in the shared upload storage and queued; the job checks every row, then writes in one
transaction; the progress page follows it and ends with the result or the problems, in the
language of whoever uploaded the file; a failure writes nothing, a rerun writes once, and
only the municipality's staff see its runs."""
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.core import imports, jobs
from portal.core import jobs_ledger as ledger
from portal.extensions import db as _db
from portal.participation.budgeting import census
from portal.participation.budgeting.models import CensusEntry

CENSUS_URL = "/m/intipuca/presupuesto/admin/padron"
GOOD = ("documento,fecha_nacimiento,distrito\n"
        "01234567-8,1990-01-01,Centro\n11111111-1,1985-05-05,Norte\n22222222-2,1970-07-07,Centro\n"
        "33333333-3,2000-12-31,Sur\n44444444-4,1999-03-03,Norte\n")
BAD = "documento,fecha_nacimiento\n01234567-8,1990-01-01\n,1990-01-01\n11111111-1,ayer\n01234567-8,1990-01-01\n"


def _census_count(muni):
    return _db.session.execute(select(func.count(CensusEntry.id)).where(
        CensusEntry.municipality_id == muni.id)).scalar()


def _upload(client, text, name="padron.csv"):
    response = client.post(CENSUS_URL, data={"file": (io.BytesIO(text.encode()), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    run_id = int(re.search(r"/m/intipuca/importaciones/(\d+)$", location).group(1))
    return location, _db.session.get(imports.ImportRun, run_id)


def _sign_out(client):
    with client.session_transaction() as session:
        session.clear()


def _refreshes(html):
    return re.search(r'<meta http-equiv="refresh" content="(\d+)">', html)


def test_an_upload_is_stored_queued_run_and_shown_done(client, login, muni, job_queue, app):
    login(role="editor", municipality=muni)
    before = _census_count(muni)
    location, run = _upload(client, GOOD)
    stored = Path(app.config["UPLOAD_FOLDER"]) / "imports" / run.stored
    assert stored.read_bytes() == GOOD.encode()  # in the shared storage, not the request's memory
    assert run.status == "queued" and run.language == "es" and run.job_id
    assert _db.session.get(ledger.JobRun, run.job_id).name == "imports.run"
    assert _census_count(muni) == before  # nothing written by the request
    waiting = client.get(location).get_data(as_text=True)
    assert _refreshes(waiting) and "En espera" in waiting and "<progress" in waiting
    assert jobs.run_queued() == 1
    _db.session.expire_all()
    assert _census_count(muni) == 5
    page = client.get(location).get_data(as_text=True)
    assert not _refreshes(page)
    assert "Terminada" in page and "Padrón cargado: 5 personas" in page
    assert 'value="5"' in page and "Filas guardadas: 5 de 5" in page
    assert f'href="{CENSUS_URL}"' in page
    assert not stored.exists()  # the file goes once it is in
    upload_page = client.get(CENSUS_URL).get_data(as_text=True)  # the upload page leads back to it
    assert f'href="{location}"' in upload_page and "padron.csv" in upload_page and "Terminada" in upload_page


@pytest.mark.parametrize("language, texts", [
    ("es", ["Fila", "Columna", "Escriba el número de documento.", "Use el formato AAAA-MM-DD.",
            "Documento repetido en el archivo.", "No se guardó nada"]),
    ("en", ["Row", "Column", "Enter the ID document number.", "Use the format YYYY-MM-DD.",
            "Document repeated in the file.", "Nothing was saved"]),
])
def test_a_bad_file_lists_each_row_and_column_in_the_uploaders_language(client, login, muni, job_queue, language,
                                                                       texts):
    login(role="editor", municipality=muni)
    before = _census_count(muni)
    client.set_cookie("lang", language)
    location, run = _upload(client, BAD.replace("documento", "Documento"))
    assert run.language == language
    jobs.run_queued()
    _db.session.expire_all()
    assert run.status == "refused" and _census_count(muni) == before
    assert [row[:2] for row in run.problem_rows] == [[3, "Documento"], [4, "fecha_nacimiento"], [5, "Documento"]]
    page = client.get(location).get_data(as_text=True)
    assert not _refreshes(page)
    for text in texts:
        assert text in page, text
    assert "<td>Documento</td>" in page and "<td>4</td>" in page  # the column as the file wrote it


def test_progress_is_visible_between_the_phases(client, login, muni, job_queue):
    login(role="editor", municipality=muni)
    before = _census_count(muni)
    location, run = _upload(client, GOOD)
    assert "En espera" in client.get(location).get_data(as_text=True)
    found = imports.check(run)  # phase 1 alone, as a worker does it
    checked = client.get(location).get_data(as_text=True)
    assert "Revisando el archivo" in checked and "Filas revisadas: 5 de 5" in checked and _refreshes(checked)
    assert _census_count(muni) == before  # checked, nothing written yet
    imports.write(run.id, found)
    _db.session.commit()
    done = client.get(location).get_data(as_text=True)
    assert "Filas guardadas: 5 de 5" in done and not _refreshes(done)


def test_a_failure_while_writing_leaves_nothing_written_and_shows_on_the_failed_jobs_page(
        client, login, muni, job_queue, monkeypatch, make):
    census.write_census(muni, census.check_census(b"documento,fecha_nacimiento\n99999999-9,1960-01-01\n", "p.csv"))
    _db.session.commit()
    old = set(_db.session.execute(select(CensusEntry.person_hash).where(
        CensusEntry.municipality_id == muni.id)).scalars())
    login(role="editor", municipality=muni)
    location, run = _upload(client, GOOD)
    monkeypatch.setattr(census, "WRITE_BATCH", 2)
    real = census.person_hash

    def failing(municipality, document):  # the third person: after a first batch was inserted
        if document == "222222222":
            raise RuntimeError("the key service went away")
        return real(municipality, document)
    monkeypatch.setattr(census, "person_hash", failing)
    jobs.run_queued()
    _db.session.expire_all()
    job = _db.session.get(ledger.JobRun, run.job_id)
    assert job.status == "failed" and job.attempts == 3 and "key service" in job.error
    assert run.status == "failed"
    assert set(_db.session.execute(select(CensusEntry.person_hash).where(
        CensusEntry.municipality_id == muni.id)).scalars()) == old  # the old census, whole
    page = client.get(location).get_data(as_text=True)
    assert "La importación falló" in page and not _refreshes(page)
    _sign_out(client)
    login(platform_admin=True)
    failed = client.get("/admin/jobs").get_data(as_text=True)
    assert "Importación de un archivo" in failed and "key service" in failed
    monkeypatch.setattr(census, "person_hash", real)  # fixed: staff run it again from the page
    assert client.post(f"/admin/jobs/{job.id}/retry").status_code == 302
    jobs.run_queued()
    _db.session.expire_all()
    assert run.status == "done" and _census_count(muni) == 5


def test_the_job_run_twice_writes_once(client, login, muni, job_queue):
    login(role="editor", municipality=muni)
    location, run = _upload(client, GOOD)
    jobs.run_queued()
    _db.session.expire_all()
    hashes = sorted(_db.session.execute(select(CensusEntry.entry_hash).where(
        CensusEntry.municipality_id == muni.id)).scalars())
    assert len(hashes) == 5 and run.status == "done"
    job = _db.session.get(ledger.JobRun, run.job_id)
    jobs.send(job.id, job.name, 0, job.max_attempts)  # the queue delivers it again
    jobs.run_queued()
    imports.run_import(run.id)  # and the body itself, run again: a done run writes nothing
    _db.session.commit()
    # a worker that died while writing: its run says "writing", nothing of it was committed
    run.status = "writing"
    stored = Path(imports.folder() / run.stored)
    stored.write_bytes(GOOD.encode())
    _db.session.commit()
    imports.run_import(run.id)
    _db.session.commit()
    _db.session.expire_all()
    assert sorted(_db.session.execute(select(CensusEntry.entry_hash).where(
        CensusEntry.municipality_id == muni.id)).scalars()) == hashes
    assert run.status == "done" and run.written == 5 and json.loads(run.result) == {"written": 5}


def test_a_run_is_seen_only_by_its_municipalitys_staff(client, login, muni, job_queue, make):
    login(role="editor", municipality=muni)
    location, run = _upload(client, GOOD)
    other = make.municipality("otra-alcaldia")
    _sign_out(client)
    login(role="admin", municipality=other)
    assert client.get(location).status_code == 404  # another municipality's staff
    assert client.get(f"/m/otra-alcaldia/importaciones/{run.id}").status_code == 404
    _sign_out(client)
    login(role="moderator", municipality=muni)  # staff here, but not of the census
    assert client.get(location).status_code == 404
    _sign_out(client)
    login(role="resident")
    assert client.get(location).status_code == 404
    _sign_out(client)
    assert client.get(location).status_code == 302  # signed out: to the sign-in page
    login(platform_admin=True)
    assert client.get(location).status_code == 200
    assert client.get(f"/admin/importaciones/{run.id}").status_code == 404  # not a platform import


def test_while_writing_on_postgresql_progress_is_seen_before_the_commit(fresh_database, app_factory, tmp_path,
                                                                         monkeypatch):
    """A separate connection (another server's page) sees rows written grow while the
    import's own transaction is still open; on SQLite (one writer) the phase is shown."""
    from sqlalchemy import create_engine, text

    from tests.conftest import dispose

    url = fresh_database("progress")
    if not url.startswith("postgresql"):
        pytest.skip("a second writer during the import's transaction needs PostgreSQL")
    saved = (jobs.huey.storage, dict(jobs._state))
    app = app_factory(url, JOBS_URL="memory://", UPLOAD_DIR=str(tmp_path / "up"), OUTBOX_DIR=str(tmp_path / "out"))
    seen = []
    observer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    real = imports.Progress.written

    def watched(self, n):  # after each batch: what another connection reads now
        real(self, n)
        with observer.connect() as connection:
            seen.append(connection.execute(text("SELECT status, written FROM import_runs WHERE id = :id"),
                                           {"id": self.run_id}).one())
    monkeypatch.setattr(imports.Progress, "written", watched)
    monkeypatch.setattr(census, "WRITE_BATCH", 2)
    try:
        with app.app_context():
            from portal.municipalities.services import get_by_slug

            muni = get_by_slug("intipuca")
            run = imports.start("budgeting.census", GOOD.encode(), "padron.csv", municipality=muni, language="es")
            _db.session.commit()
            imports.run_import(run.id)
            _db.session.commit()
            assert [tuple(row) for row in seen] == [("writing", 2), ("writing", 4), ("writing", 5)]
            _db.session.expire_all()
            assert _db.session.get(imports.ImportRun, run.id).status == "done" and _census_count(muni) == 5
    finally:
        observer.dispose()
        dispose(app)
        jobs.huey.storage = saved[0]
        jobs._state.clear()
        jobs._state.update(saved[1])


documents = st.lists(st.integers(min_value=10_000, max_value=99_999_999), min_size=1, max_size=40, unique=True)


@settings(max_examples=15, deadline=None, database=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents=documents, births=st.lists(st.dates(date(1920, 1, 1), date(2010, 12, 31)), min_size=40,
                                            max_size=40), crash=st.booleans())
def test_whatever_the_file_the_census_is_its_people_once(muni, job_queue, documents, births, crash):
    from portal.participation.budgeting.keys import entry_hash, normalize_document

    lines = [f"{number:08d},{birth.isoformat()}" for number, birth in zip(documents, births)]
    run = imports.start("budgeting.census", ("documento,fecha_nacimiento\n" + "\n".join(lines)).encode(), "p.csv",
                        municipality=muni, language="es")
    _db.session.commit()
    if crash:  # a first worker checked the file and died while writing: nothing of it committed
        found = imports.check(run)
        imports.write(run.id, found)
        _db.session.rollback()
        assert _db.session.get(imports.ImportRun, run.id).status == "writing"
    jobs.run_queued()
    imports.run_import(run.id)  # delivered again
    _db.session.commit()
    expected = sorted(entry_hash(muni, normalize_document(f"{number:08d}"), birth)
                      for number, birth in zip(documents, births))
    stored = sorted(_db.session.execute(select(CensusEntry.entry_hash).where(
        CensusEntry.municipality_id == muni.id)).scalars())
    assert stored == expected
