"""``flask --app wsgi roadmap import SLUG FILE --plan NAME [--publish]``."""
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.audit.services import acting_as
from portal.core.tabular import TableError
from portal.extensions import db
from portal.municipalities.cli import municipality_or_fail
from portal.roadmap.importer import import_activities

group = AppGroup("roadmap", help="Action plans and the roadmap.")


@group.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--plan", "plan_title", required=True, help="The plan's name (created when missing).")
@click.option("--publish", is_flag=True, help="Publish the plan after importing. Required to change a plan "
              "already published (the operator acts as its publisher).")
def import_(slug, file, plan_title, publish):
    """Import a plan's activities from a CSV or XLSX FILE (Spanish or English headers)."""
    municipality = municipality_or_fail(slug)
    with acting_as("cli"):
        try:
            result = import_activities(municipality, Path(file).read_bytes(), file, plan_title, publish=publish,
                                       may_change_published=publish)
        except TableError as error:
            db.session.rollback()
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            raise click.ClickException(f"{len(error.problems)} problem(s); nothing was imported.") from None
        db.session.commit()
    click.echo(f"Plan '{result.plan.title}' (id {result.plan.id}, {result.plan.status}): "
               f"{result.created} created, {result.updated} updated.")
    for horizon, amount in result.by_horizon:
        click.echo(f"  {horizon or '(no horizon)'}: {amount}")
    click.echo(f"  total estimated cost: {result.total}")
