"""``flask --app wsgi compare ...``: refresh the comparison table, import national indices,
declare capacity inputs."""
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.core import bounds
from portal.audit.services import acting_as
from portal.compare import external, services
from portal.core.tabular import TableError
from portal.extensions import db
from portal.municipalities.cli import municipality_or_fail

group = AppGroup("compare", help="Comparisons between municipalities: refresh, external indices, capacity inputs.")


@group.command("refresh")
@click.option("--today", type=bounds.BoundedDate(), default=None, help="Reference date (YYYY-MM-DD).")
@click.option("--changed", is_flag=True,
              help="Recompute only municipalities with publications since the last refresh and move them into "
                   "place (peer groups and regressions are recomputed by the whole refresh).")
def refresh_command(today, changed):
    """Recompute the comparison now: values, peer groups and regressions (the job worker
    runs --changed after each publication and the whole refresh nightly)."""
    with acting_as("system"):
        result = services.refresh(today, only_changed=changed)
        db.session.commit()
    click.echo(f"{result['municipalities']} municipalities ({result['recomputed']} recomputed), "
               f"{result['values']} values, {result['regressions']} regressions."
               + (" Moved into place; peer groups and regressions as of the last whole refresh."
                  if result.get("placed") else ""))


@group.command("import-external")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", type=bounds.CleanText(), default="", help="The index's name, for rows without a 'fuente' column.")
@click.option("--date", "published", type=bounds.BoundedDate(), default=None,
              help="Publication date for rows without a 'fecha' column.")
@click.option("--url", default="", help="Where the index is published.")
@click.option("--country", default="", help="Match municipality codes within this country (ISO alpha-2).")
@click.option("--decimal-comma", is_flag=True, help="Numbers are written 1.234,56.")
def import_external(path, source, published, url, country, decimal_comma):
    """Import a national index (CSV or XLSX); all rows or none."""
    try:
        count = external.import_file(Path(path).read_bytes(), Path(path).name, source=source,
                                     published_on=published, url=url,
                                     country=country, decimal_comma=decimal_comma)
    except TableError as error:  # validated before any write: nothing to undo
        click.echo(f"{path}: the file was refused, nothing was written:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise click.exceptions.Exit(1) from None
    db.session.commit()
    with acting_as("system"):  # the index becomes an indicator of /comparar/ at once: everyone regrouped
        services.refresh(only_changed=True, regroup=True)
        db.session.commit()
    flagged = len(external.disagreements())
    click.echo(f"{count} values imported; {flagged} large disagreements flagged.")


@group.command("set-inputs")
@click.argument("slug")
@click.option("--urban-share", type=bounds.BoundedDecimal(), default=None, help="Share of the population in urban areas, 0-1.")
@click.option("--poverty", type=bounds.BoundedDecimal(), default=None, help="Share of the population in poverty, 0-1.")
@click.option("--own-revenue-pc", type=bounds.BoundedDecimal(money=True), default=None, help="Own revenue per inhabitant, when no budget is published.")
@click.option("--budget-pc", type=bounds.BoundedDecimal(money=True), default=None, help="Budget per inhabitant, when no budget is published.")
@click.option("--source", type=bounds.CleanText(), default="", help="Where the figures come from (census, survey, year).")
def set_inputs(slug, urban_share, poverty, own_revenue_pc, budget_pc, source):
    """Declare a municipality's capacity inputs."""
    municipality = municipality_or_fail(slug)
    try:
        with acting_as("system"):
            services.declare_inputs(municipality, urban_share=urban_share, poverty_rate=poverty,
                                    own_revenue_pc=own_revenue_pc, budget_pc=budget_pc, source=source)
            db.session.commit()
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{slug}: capacity inputs saved; run `compare refresh` to regroup.")


