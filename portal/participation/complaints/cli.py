"""``flask --app wsgi complaints ...``: API keys and statistics."""
from datetime import date

import click
from flask.cli import AppGroup

from portal.audit.services import acting_as
from portal.extensions import db
from portal.participation.complaints import sources, staff
from portal.municipalities.cli import municipality_or_fail

group = AppGroup("complaints", help="Complaints, service requests and the Open311 API.")


@group.command("api-key")
@click.argument("slug")
@click.argument("app_name")
def api_key(slug, app_name):
    """Issue an Open311 API key for the application APP_NAME in municipality SLUG.

    The key is printed once; only its hash is stored."""
    municipality = municipality_or_fail(slug)
    with acting_as("cli"):
        _key, plain = staff.create_api_key(municipality, app_name)
        db.session.commit()
    click.echo(plain)


@group.command("stats")
@click.argument("slug")
@click.option("--category", default=None, help="A category (service) code.")
def stats_(slug, category):
    """Print the statistics of the 12 months before today."""
    result = sources.summary(municipality_or_fail(slug), date.today(), category)
    for name in ("total", "resolved", "median_days", "p90_days", "on_time", "reopen_rate", "confirmed_fixed"):
        click.echo(f"{name}\t{getattr(result, name)}")
