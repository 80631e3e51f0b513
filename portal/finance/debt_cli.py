"""``flask --app wsgi finance loans SLUG FILE [--suppliers] [--publish]``."""
from pathlib import Path

import click

from portal.audit.services import acting_as
from portal.core.tabular import TableError
from portal.extensions import db
from portal.finance import debt_importing, debt_services, services
from portal.finance.cli import group
from portal.municipalities.cli import municipality_or_fail


def echo_preview(plan):
    if plan.kind == debt_importing.LOANS:
        for name, years in plan.preview:
            click.echo(f"{name}:")
            click.echo(f"  {'year':6} {'interest':>15} {'principal':>15} {'service':>15} {'balance':>15}")
            for year, item in years.items():
                click.echo(f"  {year:<6} {item.interest:>15,.2f} {item.principal:>15,.2f} {item.service:>15,.2f} "
                           f"{item.balance:>15,.2f}")
        return
    click.echo(f"{'supplier':40} {'agreed':>15} {'paid':>15} {'pending':>15}")
    for name, total, paid, pending in plan.preview:
        click.echo(f"{name[:40]:40} {total:>15,.2f} {paid:>15,.2f} {pending:>15,.2f}")


@group.command("loans")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--suppliers", is_flag=True, help="The file holds supplier instalments: supplier, due, amount, paid, "
                                                "paid_year.")
@click.option("--decimal-comma", is_flag=True, help="Numbers use a decimal comma (1.234,56).")
@click.option("--publish", is_flag=True, help="Publish the loans (or instalments) imported.")
def loans(slug, file, suppliers, decimal_comma, publish):
    """Import SLUG's loans (name, lender, principal, rate, years, start, method,
    periods_per_year, grace) or, with --suppliers, supplier payment plans, from a CSV or
    XLSX FILE; prints each loan's schedule by year."""
    municipality = municipality_or_fail(slug)
    kind = debt_importing.SUPPLIERS if suppliers else debt_importing.LOANS
    try:
        plan = debt_importing.read(Path(file).read_bytes(), Path(file).name, kind, decimal_comma)
    except TableError as error:
        click.echo(f"{file}: the file was refused, nothing was written:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise click.exceptions.Exit(1) from None
    echo_preview(plan)
    with acting_as("cli"):
        try:
            debt_services.apply(municipality, plan, publish=publish)
        except services.FinanceError as error:
            db.session.rollback()
            raise click.ClickException(f"nothing was written: {error}") from None
        db.session.commit()
    click.echo(f"Imported {len(plan.rows)} rows for {municipality.slug}" + (" and published." if publish else " (draft)."))
