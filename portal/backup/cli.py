from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.audit.services import verify_chain
from portal.backup import services
from portal.extensions import db

group = AppGroup("backup", help="Back up and restore the database and uploaded files.")


@group.command("create")
@click.argument("destination", required=False, type=click.Path(dir_okay=False, path_type=Path))
def create(destination):
    """Write a backup archive (default: instance/backups/cabildo-<time>.tar.gz)."""
    if destination is None:
        from datetime import datetime

        destination = Path(current_app.instance_path) / "backups" / f"cabildo-{datetime.now():%Y%m%d-%H%M%S}.tar.gz"
    try:
        manifest = services.create(destination, Path(current_app.config["UPLOAD_FOLDER"]))
    except services.BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(manifest["counts"].values())
    click.echo(f"Backup written to {destination}: {rows} rows in {len(manifest['counts'])} tables, "
               f"{len(manifest['heads'])} change chains.")


@group.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already has data.")
def restore(source, force):
    """Restore a backup archive into the configured database, then check it."""
    try:
        manifest = services.restore(source, Path(current_app.config["UPLOAD_FOLDER"]), force=force)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from None
    for chain in manifest["heads"]:
        verdict = verify_chain(db.session, chain)
        if not verdict.ok:
            raise click.ClickException(f"Change chain {chain} is broken after restore: {verdict.reason}")
    click.echo(f"Restored {source} (taken {manifest['created_at']}): counts and change chains match.")
