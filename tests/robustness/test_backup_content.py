"""A backup of a portal that has taken ballots, reports and survey answers, restored
into a fresh instance, holds the very same rows (not only as many) and an intact chain."""
import os

from sqlalchemy import select, text

from portal.extensions import db as _db

TABLES = ("budget_participations", "budget_ballots", "complaint_reports", "complaint_updates",
          "survey_responses", "survey_answers", "change_records")


def _target_url(tmp_path, worker, source_url):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path / 'restored.db'}"
    import psycopg

    plain = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"cabildo_restore_rb_{worker}".replace("-", "_")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    target = plain.rsplit("/", 1)[0] + f"/{name}"
    return target.replace("postgresql://", "postgresql+psycopg://", 1) + "?" + source_url.split("?", 1)[1]


def _rows(app):
    with app.app_context():
        try:
            return {table: [tuple(str(v) for v in row) for row in _db.session.execute(
                select(_db.metadata.tables[table]).order_by(text("id")))] for table in TABLES}
        finally:
            _db.session.remove()


def test_restored_backup_holds_the_same_rows(served, tmp_path, worker_id_):
    from portal import create_app

    _base, app = served
    archive = tmp_path / "backup.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    assert result.exit_code == 0, result.output
    before = _rows(app)
    assert before["budget_ballots"] and before["complaint_reports"] and before["survey_answers"]
    with app.app_context():
        source_url = _db.engine.url.render_as_string(hide_password=False)
    target = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "UPLOAD_DIR": str(tmp_path / "uploads"),
                         "SQLALCHEMY_DATABASE_URI": _target_url(tmp_path, worker_id_, source_url)})
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert _rows(target) == before
    verify = target.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    with target.app_context():
        _db.engine.dispose()
