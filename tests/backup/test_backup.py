"""A backup restored into a fresh instance holds every record, the uploads and an
intact change chain."""
import os

import pytest
from sqlalchemy import func, select

from portal.extensions import db as _db


def _restore_target_url(tmp_path_factory, worker, source_url):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path_factory.mktemp('restore') / 'restored.db'}"
    import psycopg

    plain = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"cabildo_restore_{worker}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    schema_option = source_url.split("?", 1)[1]
    target = plain.rsplit("/", 1)[0] + f"/{name}"
    return target.replace("postgresql://", "postgresql+psycopg://", 1) + "?" + schema_option


@pytest.mark.xdist_group("backup")
def test_backup_restores_into_a_fresh_instance(tmp_path_factory, worker_id_, tmp_path, fresh_database, app_factory):
    from portal.audit.models import ChangeRecord
    from portal.municipalities.models import Municipality

    source_url = fresh_database("bksrc")
    uploads = tmp_path / "uploads"
    (uploads / "1").mkdir(parents=True)
    (uploads / "1" / "evidence.pdf").write_bytes(b"%PDF-1.4 evidence")
    source = app_factory(source_url, UPLOAD_DIR=str(uploads))
    archive = tmp_path / "backup.tar.gz"
    result = source.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    assert result.exit_code == 0, result.output
    assert archive.exists() and "change chains" in result.output
    with source.app_context():
        municipalities = _db.session.execute(select(func.count()).select_from(Municipality)).scalar()
        changes = _db.session.execute(select(func.count()).select_from(ChangeRecord)).scalar()
        _db.session.remove()  # give the connection back before closing the pool
        _db.engine.dispose()

    from portal import create_app

    target_uploads = tmp_path / "restored-uploads"
    target = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "UPLOAD_DIR": str(target_uploads),
                         "SQLALCHEMY_DATABASE_URI": _restore_target_url(tmp_path_factory, worker_id_, source_url)})
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "counts and change chains match" in result.output
    with target.app_context():
        assert _db.session.execute(select(func.count()).select_from(Municipality)).scalar() == municipalities
        assert _db.session.execute(select(func.count()).select_from(ChangeRecord)).scalar() == changes
        _db.session.remove()
        _db.engine.dispose()
    assert (target_uploads / "1" / "evidence.pdf").read_bytes() == b"%PDF-1.4 evidence"
    verify = target.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and "TAMPERED" not in verify.output

    # A second restore over data is refused unless forced.
    again = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert again.exit_code != 0 and "not empty" in again.output
    with target.app_context():
        _db.engine.dispose()


def test_restore_refuses_archives_with_unsafe_paths(app, tmp_path):
    import io
    import tarfile

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"{}"
        info = tarfile.TarInfo("../escape.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code != 0 and "Unsafe path" in result.output
    assert not (tmp_path.parent / "escape.txt").exists()
