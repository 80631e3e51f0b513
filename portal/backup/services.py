"""Create and restore backups.

An archive (``.tar.gz``) holds ``manifest.json`` (when, which database, the schema
revision, row counts per table and each hash chain's head), the database — an
SQLite online backup (``database.sqlite``) or a ``pg_dump`` custom-format dump
(``database.pgdump``) — and the ``uploads/`` folder. Restoring checks the counts and
the chains against the manifest.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from sqlalchemy import func, inspect, select, text

from portal.extensions import db


class BackupError(RuntimeError):
    pass


def _sqlite_path(url) -> Path:
    return Path(url.database)


def _pg_parts(url):
    """libpq connection string and the schema named in ``options=-csearch_path=``."""
    plain = url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
    query = parse_qs(urlparse(plain).query)
    schema = None
    for option in query.get("options", []):
        option = unquote(option)
        if "search_path=" in option:
            schema = option.split("search_path=", 1)[1].split()[0]
    return plain, schema


def snapshot() -> dict:
    """Row counts of every table and the head of every change chain."""
    from portal.audit.services import chain_heads

    counts = {}
    for table in sorted(db.metadata.tables):
        if inspect(db.engine).has_table(table):
            counts[table] = db.session.execute(select(func.count()).select_from(db.metadata.tables[table])).scalar()
    heads = chain_heads()
    revision = None
    if inspect(db.engine).has_table("alembic_version"):
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return {"counts": counts, "heads": heads, "revision": revision}


def create(destination: Path, upload_dir: Path) -> dict:
    url = db.engine.url
    destination = Path(destination)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        manifest = {"created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "dialect": url.get_backend_name(), **snapshot()}
        if url.get_backend_name() == "sqlite":
            target = sqlite3.connect(work / "database.sqlite")
            source = sqlite3.connect(_sqlite_path(url))
            try:
                source.backup(target)  # the online backup API: consistent while the portal runs
            finally:
                source.close()
                target.close()
        elif url.get_backend_name() == "postgresql":
            conninfo, schema = _pg_parts(url)
            command = ["pg_dump", "--format=custom", "--no-owner", f"--file={work / 'database.pgdump'}"]
            if schema:
                command.append(f"--schema={schema}")
            manifest["schema"] = schema
            _run(command + [conninfo.split("?")[0]], conninfo)
        else:
            raise BackupError(f"Backups of {url.get_backend_name()} are not supported.")
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_suffix(destination.suffix + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for name in ("manifest.json", "database.sqlite", "database.pgdump"):
                if (work / name).exists():
                    archive.add(work / name, arcname=name)
            if Path(upload_dir).is_dir():
                archive.add(upload_dir, arcname="uploads")
        partial.replace(destination)  # never leave a half-written archive under the real name
    return manifest


def _run(command, conninfo):
    env = dict(os.environ)
    parsed = urlparse(conninfo)
    if parsed.password:
        env["PGPASSWORD"] = unquote(parsed.password)
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _safe_members(archive):
    for member in archive.getmembers():
        name = member.name
        if name.startswith("/") or ".." in Path(name).parts or member.issym() or member.islnk():
            raise BackupError(f"Unsafe path in archive: {name}")
        yield member


def restore(source: Path, upload_dir: Path, force: bool = False) -> dict:
    """Restore into the configured database (which must be empty unless ``force``)."""
    url = db.engine.url
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work, members=list(_safe_members(archive)))
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest["dialect"] != url.get_backend_name():
            raise BackupError(f"The backup is of {manifest['dialect']}; the portal uses {url.get_backend_name()}.")
        has_data = inspect(db.engine).has_table("municipalities") and \
            db.session.execute(text("SELECT COUNT(*) FROM municipalities")).scalar()
        db.session.remove()
        if has_data and not force:
            raise BackupError("The database is not empty; use --force to replace it.")
        if manifest["dialect"] == "sqlite":
            db.engine.dispose()
            path = _sqlite_path(url)
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            source_db = sqlite3.connect(work / "database.sqlite")
            target_db = sqlite3.connect(path)
            try:
                source_db.backup(target_db)
            finally:
                source_db.close()
                target_db.close()
        else:
            conninfo, schema = _pg_parts(url)
            db.engine.dispose()
            if schema:
                _run(["psql", "-q", "-c", f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', conninfo.split("?")[0]], conninfo)
            _run(["pg_restore", "--no-owner", "--clean", "--if-exists", f"--dbname={conninfo.split('?')[0]}",
                  str(work / "database.pgdump")], conninfo)
        if (work / "uploads").is_dir():
            Path(upload_dir).mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "uploads", upload_dir, dirs_exist_ok=True)
    found = snapshot()
    problems = [f"{table}: {manifest['counts'][table]} in the backup, {found['counts'].get(table)} restored"
                for table in manifest["counts"] if found["counts"].get(table) != manifest["counts"][table]]
    problems += [f"chain {chain}: head differs" for chain, head in manifest["heads"].items()
                 if found["heads"].get(chain) != head]
    if problems:
        raise BackupError("Restored data does not match the backup: " + "; ".join(problems))
    return manifest
