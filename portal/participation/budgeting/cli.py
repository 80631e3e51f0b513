"""``flask --app wsgi budgeting ...``: import pabulib elections, count ballots."""
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.core import bounds
from portal.audit.services import acting_as
from portal.extensions import db
from portal.participation.budgeting import messages, pabulib, services, tally, worker
from portal.participation.budgeting.models import BudgetCount
from portal.municipalities.cli import municipality_or_fail

group = AppGroup("budgeting", help="Participatory budgeting.")

@group.command("import-pabulib")
@click.argument("slug")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--publish", is_flag=True, help="Publish the process and its projects.")
@click.option("--title", help="Title (default: the file's META description).")
def import_pabulib(slug, files, publish, title):
    """Import pabulib .pb FILES (a historical or paper election) as one closed process:
    one file, or one file per district (META district) plus at most one city-wide file."""
    municipality = municipality_or_fail(slug)
    with acting_as("cli"):
        try:
            process = services.import_pabulib(
                municipality, [Path(f).read_text(encoding="utf-8-sig") for f in files],
                publish=publish, title=title)
        except pabulib.PabulibError as error:
            raise click.ClickException(messages.describe(error)) from None
        db.session.commit()
    districts = [d.district for d in process.district_budgets]
    click.echo(f"Imported process {process.id}: {process.title} "
               f"({len(process.projects)} projects, rule {process.rule}"
               f"{', districts ' + ', '.join(districts) if districts else ''}"
               f"{', published' if publish else ', draft'}).")


@group.command("tally")
@click.argument("slug")
@click.argument("process", type=bounds.BoundedInt(minimum=1))
@click.option("--rule", type=click.Choice(tally.RULES), help="Default: the process's own rule.")
@click.option("--publish", is_flag=True, help="Publish the result.")
def tally_(slug, process, rule, publish):
    """Count the ballots of PROCESS (its id) and store the result."""
    municipality = municipality_or_fail(slug)
    found = services.get_process(municipality, process, published_only=False)
    if found is None:
        raise click.ClickException(f"no process {process} in {slug}")
    with acting_as("cli"):
        result = services.run_tally(municipality, found, rule)
        if publish:
            result.publish()
        db.session.commit()
    click.echo(f"{result.rule}: {sum(1 for line in result.lines if line.selected)} selected, "
               f"cost {result.total_cost} of {found.budget}, {result.voters} ballots, "
               f"{result.seconds} s")
    for line in result.lines:
        if line.selected:
            click.echo(f"  {line.project.ref}\t{line.votes}\t{line.project.title}")


@group.command("count-pending")
@click.option("--limit", type=bounds.BoundedInt(minimum=1), help="Run at most this many counts.")
def count_pending(limit):
    """Run the queued counts here and now (the job worker does the same), after
    queuing those of processes whose voting closed by date."""
    ran = worker.run_pending(limit=limit)
    for count_id in ran:
        count = db.session.get(BudgetCount, count_id)
        click.echo(f"count {count.id}: process {count.process_id}, {count.rule}: {count.status}"
                   f"{f' in {count.seconds} s' if count.status == 'done' else ''}"
                   f"{f' - {count.error}' if count.error else ''}")
    if not ran:
        click.echo("No counts pending.")
