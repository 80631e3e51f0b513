from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from portal.core import bounds
from portal.audit.services import acting_as
from portal.core.tabular import TableError
from portal.extensions import db
from portal.municipalities import importing, services

group = AppGroup("municipalities", help="Create, import and list municipalities.")


def municipality_or_fail(slug):
    """The municipality whose slug is SLUG, for every command group that takes one.

    A command given an unknown slug stops with ``No municipality 'SLUG'.`` (exit status 1)
    before it reads a file or writes anything.
    """
    municipality = services.get_by_slug(slug)
    if municipality is None:
        raise click.ClickException(f"No municipality '{slug}'.")
    return municipality


@group.command("create")
@click.argument("slug")
@click.option("--name", type=bounds.CleanText(), required=True)
@click.option("--country", required=True, help="ISO 3166 alpha-2 code, e.g. SV")
@click.option("--population", type=bounds.BoundedInt(minimum=0))
@click.option("--currency", default="USD", show_default=True)
@click.option("--locale", help="Babel locale for numbers, e.g. es_SV (default: the country's likely locale)")
@click.option("--timezone", help="IANA time zone, e.g. America/El_Salvador (default: the country's main zone)")
@click.option("--code", type=bounds.CleanText(), default=None, help="National statistics code (unique within the country).")
@click.option("--department", type=bounds.CleanText(), default="")
@click.option("--district", "districts", type=bounds.CleanText(), multiple=True, help="A district; repeat for several.")
@click.option("--latitude", type=bounds.BoundedDecimal(**services.LATITUDE),
              help="The centroid's latitude in degrees (WGS 84), e.g. 13.18; with --longitude.")
@click.option("--longitude", type=bounds.BoundedDecimal(**services.LONGITUDE),
              help="The centroid's longitude in degrees (WGS 84), e.g. -88.05; with --latitude.")
def create(slug, name, country, population, currency, locale, timezone, code, department, districts,
           latitude, longitude):
    """Create the municipality SLUG."""
    with acting_as("platform_admin"):
        try:
            municipality = services.create(slug, name, country, population=population, currency=currency,
                                           locale=locale, timezone=timezone, department=department,
                                           districts=districts, code=code, latitude=latitude, longitude=longitude)
        except services.MunicipalityError as error:
            raise click.ClickException(f"{error.field}: {error}") from None
        db.session.commit()
    click.echo(f"Created {municipality.slug} ({municipality.name}, {municipality.country}).")


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--country", default="", help="ISO 3166 alpha-2 code for rows without a country column, e.g. GT.")
@click.option("--language", type=click.Choice(["es", "en", "pt"]), default="es", show_default=True,
              help="Language of the problems listed when the file is refused.")
def import_(path, country, language):
    """Import municipalities from a CSV or XLSX file (all rows or none); re-importing
    updates them by country and code."""
    data = Path(path).read_bytes()
    with acting_as("platform_admin"), force_locale(language):
        try:
            result = importing.import_file(data, Path(path).name, country=country)
        except TableError as error:  # validated before any write: nothing to undo
            click.echo(f"{path}: the file was refused, nothing was written:", err=True)
            for problem in error.problems:
                click.echo(f"  - {importing.describe(problem)}", err=True)
            raise click.exceptions.Exit(1) from None
        db.session.commit()
    click.echo(f"{result['created']} created, {result['updated']} updated, {result['unchanged']} unchanged.")


@group.command("list")
def list_():
    """List municipalities."""
    for municipality in db.session.execute(services.search_statement()).scalars():
        click.echo(f"{municipality.slug}\t{municipality.name}\t{municipality.country}\t{municipality.population or ''}")
