"""``flask --app wsgi diagnostic ...``: import a catalog or an assessment's scores."""
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.audit.services import acting_as
from portal.core.tabular import TableError, parse_date
from portal.diagnostic import imports, services
from portal.extensions import db
from portal.municipalities.cli import municipality_or_fail

group = AppGroup("diagnostic", help="Management diagnostic: catalogs and assessments.")


def _fail(error: TableError):
    db.session.rollback()
    for problem in error.problems:
        click.echo(f"  {problem}", err=True)
    raise click.ClickException(f"{len(error.problems)} problem(s); nothing was imported.")


@group.command("import-catalog")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--name", help="Catalog name (default: the file name). An existing name gets a new version.")
def import_catalog(file, name):
    """Import a shared catalog from FILE (CSV or XLSX)."""
    path = Path(file)
    with acting_as("cli"):
        try:
            catalog = imports.import_catalog(path.read_bytes(), path.name, name or path.stem)
        except TableError as error:
            _fail(error)
        db.session.commit()
    count = len(services.indicator_list(catalog))
    click.echo(f"Imported catalog '{catalog.name}' version {catalog.version}: {len(catalog.areas)} areas, "
               f"{count} indicators.")


@group.command("import-scores")
@click.argument("slug")
@click.argument("date")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--catalog", "catalog_name", help="Catalog name (default: the municipality's adopted catalog).")
@click.option("--publish", is_flag=True, help="Publish the assessment (unverified) after importing.")
def import_scores(slug, date, file, catalog_name, publish):
    """Import the scores of SLUG's assessment of DATE (YYYY-MM-DD) from FILE."""
    municipality = municipality_or_fail(slug)
    try:
        when = parse_date(date)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    catalog = None
    if catalog_name:
        catalog = services.catalog_by_name(municipality, catalog_name)
        if catalog is None:
            raise click.ClickException(f"Unknown catalog '{catalog_name}'.")
    path = Path(file)
    with acting_as("cli"):
        try:
            assessment = imports.import_scores(municipality, when, path.read_bytes(), path.name, catalog=catalog,
                                               publish=publish)
        except TableError as error:
            _fail(error)
        except services.DiagnosticError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        if services.adopted_catalog(municipality) is None:
            services.adopt(municipality, assessment.catalog)
        db.session.commit()
    state = "published" if assessment.is_published else "draft"
    click.echo(f"Imported {imports.count_scores(assessment)} scores into {slug}'s assessment of "
               f"{assessment.date.isoformat()} ({state}).")
