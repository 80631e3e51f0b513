"""``flask --app wsgi finance revenue SLUG FILE --year Y [--publish]``: a year's revenue potential."""
from pathlib import Path

import click

from portal.audit.services import acting_as
from portal.core import bounds
from portal.core.tabular import TableError
from portal.extensions import db
from portal.finance import revenue, revenue_import, revenue_services
from portal.municipalities.cli import municipality_or_fail

LABELS = {revenue.POTENTIAL: "potencial (foregone + additional + arrears recovery)",
          revenue.REFORM: "reforma (fee reforms)", revenue.MEASURE: "medida (collection measures)"}


def _cell(value):
    return f"{value:>14,.2f}" if value is not None else f"{'-':>14}"


def echo_table(table):
    click.echo(f"  {'group':9} {'code':9} {'name':34} {'foregone':>14} {'additional':>14} {'arrears':>14} "
               f"{'measure':>14} {'total':>14}")
    for c in table.rows:
        click.echo(f"  {c.row.group:9} {c.row.code:9} {c.row.name[:34]:34} {_cell(c.foregone)} {_cell(c.additional)} "
                   f"{_cell(c.arrears_recovery)} {_cell(c.measure)} {_cell(c.total)}")
    for group, sub in table.subtotals.items():
        click.echo(f"  = {LABELS[group]:58} {sub.total:>14,.2f}")
    click.echo(f"  = {'reforma + medida':58} {table.reforms_and_measures:>14,.2f}")
    click.echo(f"  = {'total':58} {table.total:>14,.2f}")


@click.command("revenue")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=bounds.BoundedInt(bounds.YEAR_MIN, bounds.YEAR_MAX), required=True,
              help="The year of the figures (collected and accrued).")
@click.option("--decimal-comma", is_flag=True, help="Numbers use a decimal comma (1.234,56).")
@click.option("--publish", is_flag=True, help="Publish the year's table.")
def revenue_command(slug, file, year, decimal_comma, publish):
    """Replace SLUG's revenue-potential table for a year with a CSV or XLSX FILE (columns
    group, code, name, collected, accrued, payers, monthly_payment, arrears_balance,
    recovery_rate, rate; groups potencial, reforma, medida)."""
    municipality = municipality_or_fail(slug)
    path = Path(file)
    try:
        plan = revenue_import.read(municipality, path.read_bytes(), path.name, year, decimal_comma)
    except TableError as error:
        click.echo(f"{file}: the file was refused, nothing was written:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"Revenue potential {year}: {len(plan.rows)} rows")
    echo_table(plan.table)
    current = revenue_services.get_study(municipality, year, published_only=False)
    if current is not None and current.is_published and not publish:
        raise click.ClickException(f"the {year} table is published: run again with --publish to replace it "
                                   "(the change record keeps what it was); nothing was written")
    with acting_as("cli"):
        revenue_services.replace(municipality, year, plan.rows, publish=publish)
        db.session.commit()
    click.echo(f"Saved {len(plan.rows)} rows for {municipality.slug} {year}" +
               (" and published." if publish else " (draft)."))


def register(group):
    group.add_command(revenue_command)
