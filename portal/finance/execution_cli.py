"""``flask --app wsgi finance monthly SLUG FILE [--publish]``: import monthly execution."""
from pathlib import Path

import click

from portal.audit.services import acting_as
from portal.core.tabular import TableError
from portal.extensions import db
from portal.finance import monthly_import, pending, warning_jobs
from portal.finance.cli import group
from portal.municipalities.cli import municipality_or_fail


@group.command("monthly")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--decimal-comma", is_flag=True, help="Numbers use a decimal comma (1.234,56).")
@click.option("--publish", is_flag=True, help="Publish the years imported (and tell the council of warnings).")
def monthly(slug, file, decimal_comma, publish):
    """Import monthly execution (year, month, code, accrued, cash) for SLUG from a CSV or XLSX FILE.

    Without --publish, rows for a year whose execution is published wait for a publisher."""
    municipality = municipality_or_fail(slug)
    try:
        plan = monthly_import.read(municipality, Path(file).read_bytes(), Path(file).name, decimal_comma)
    except TableError as error:
        click.echo(f"{file}: the file was refused, nothing was written:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise click.exceptions.Exit(1) from None
    for year, months in plan.preview.items():
        for month, item in months.items():
            click.echo(f"{year}-{month:02d}: {item['lines']:4} lines  income accrued {item['income']['accrued']:>15,.2f}"
                       f" cash {item['income']['cash']:>15,.2f}  expense accrued {item['expense']['accrued']:>15,.2f}"
                       f" paid {item['expense']['cash']:>15,.2f}")
    published = [] if publish else monthly_import.published_years(municipality, plan)
    if published:  # without --publish, changes to published months wait for a publisher
        target = ", ".join(map(str, published))
        pending.stage(municipality, Path(file).read_bytes(),
                      {"kind": monthly_import.KIND, "decimal_comma": decimal_comma, "filename": Path(file).name},
                      plan, target)
        db.session.commit()
        click.echo(f"{len(plan.rows)} rows change published monthly execution ({target}): staged for a publisher "
                   f"(/m/{municipality.slug}/finanzas/gestion), or run again with --publish.")
        return
    with acting_as("cli"):
        rows = monthly_import.apply(municipality, plan, publish=publish)
        db.session.commit()
    click.echo(f"Imported {len(plan.rows)} rows for {municipality.slug}" + (" and published." if publish else " (draft)."))
    if any(row.is_published for row in rows):
        click.echo("The early warning (the semaforo's light and the council's e-mail) is queued: "
                   "a job worker (flask jobs worker) sends it.")


@group.command("semaforo")
def semaforo_command():
    """Compute every municipality's light in the fiscal semáforo again (no e-mail)."""
    click.echo(f"{warning_jobs.refresh_all()} lights stored.")
