import click
from flask.cli import AppGroup

from portal.audit.services import acting_as
from portal.extensions import db
from portal.municipalities import services

group = AppGroup("municipalities", help="Create and list municipalities.")


@group.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166 alpha-2 code, e.g. SV")
@click.option("--population", type=int)
@click.option("--currency", default="USD", show_default=True)
@click.option("--locale", help="Babel locale for numbers, e.g. es_SV (default: the country's likely locale, pl_PL for PL)")
@click.option("--department", default="")
@click.option("--district", "districts", multiple=True, help="A district; repeat for several.")
def create(slug, name, country, population, currency, locale, department, districts):
    """Create the municipality SLUG."""
    with acting_as("platform_admin"):
        try:
            municipality = services.create(slug, name, country, population=population, currency=currency,
                                           locale=locale, department=department, districts=districts)
        except services.MunicipalityError as error:
            raise click.ClickException(f"{error.field}: {error}") from None
        db.session.commit()
    click.echo(f"Created {municipality.slug} ({municipality.name}, {municipality.country}).")


@group.command("list")
def list_():
    """List municipalities."""
    for municipality in db.session.execute(services.search_statement()).scalars():
        click.echo(f"{municipality.slug}\t{municipality.name}\t{municipality.country}\t{municipality.population or ''}")
