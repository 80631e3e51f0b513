"""``flask --app wsgi finance ...``: import budgets, facts and scenarios; project."""
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.core import bounds
from portal.audit.services import acting_as
from portal.core.tabular import TableError
from portal.extensions import db
from portal.finance import importing, pending, ratios, services
from portal.municipalities.cli import municipality_or_fail

group = AppGroup("finance", help="Public finances: budgets, facts, scenarios, projections.")


def _read(municipality, path, kind, decimal_comma):
    try:
        return importing.read(municipality, Path(path).read_bytes(), Path(path).name, kind, decimal_comma)
    except TableError as error:
        click.echo(f"{path}: the file was refused, nothing was written:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise click.exceptions.Exit(1) from None


def echo_preview(plan):
    for year in plan.years:
        item = plan.preview[year]
        click.echo(f"Year {year}:")
        if "facts" in item:
            for name, value in item["facts"].items():
                click.echo(f"  {name:40} {value:>18,.2f}")
            continue
        click.echo(f"  {item['count']} lines")
        click.echo(f"  {'rubro':44} {'approved':>15} {'modified':>15} {'accrued':>15} {'cash':>15}")
        for code, name, totals in item["rubros"]:
            cells = " ".join(f"{totals[a]:>15,.2f}" if totals[a] is not None else f"{'-':>15}"
                             for a in ratios.PHASES.values())
            click.echo(f"  {code:4} {name[:39]:39} {cells}")
        for name, phases in item["aggregates"].items():
            cells = " ".join(f"{v:>15,.2f}" if v is not None else f"{'-':>15}" for v in phases.values())
            click.echo(f"  = {name:42} {cells}")


@group.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--facts", is_flag=True, help="The file holds facts: year, fact, value.")
@click.option("--scenario", help="Import into this scenario (lines: year, code, name, amount).")
@click.option("--decimal-comma", is_flag=True, help="Numbers use a decimal comma (1.234,56).")
@click.option("--yes", is_flag=True, help="Write without asking.")
@click.option("--publish", is_flag=True, help="Publish the years (or the scenario) imported.")
def import_(slug, file, facts, scenario, decimal_comma, yes, publish):
    """Import budget lines (or facts, or scenario lines) for SLUG from a CSV or XLSX FILE."""
    municipality = municipality_or_fail(slug)
    kind = importing.FACTS if facts else (importing.SCENARIO if scenario else importing.LINES)
    plan = _read(municipality, file, kind, decimal_comma)
    echo_preview(plan)
    if not yes:
        if not sys.stdin.isatty() or not click.confirm("Write these figures?", default=False):
            click.echo("Nothing written (use --yes to write without asking).")
            return
    if _staged(municipality, file, plan, {"kind": kind, "scenario": scenario, "decimal_comma": decimal_comma},
               publish):
        return
    with acting_as("cli"):
        importing.apply(municipality, plan, scenario_name=scenario, publish=publish)
        db.session.commit()
    click.echo(f"Imported {len(plan.rows)} rows for {municipality.slug}" + (" and published." if publish else " (draft)."))


def _staged(municipality, file, plan, options: dict, publish: bool) -> bool:
    """Without --publish, a file that changes published figures waits for a publisher."""
    target = "" if publish else pending.published_target(municipality, plan, options.get("scenario"))
    if not target:
        return False
    data = Path(file).read_bytes()
    pending.stage(municipality, data, {**options, "filename": Path(file).name}, plan, target)
    db.session.commit()
    click.echo(f"{len(plan.rows)} rows change published figures ({target}): staged for a publisher "
               f"(/m/{municipality.slug}/finanzas/gestion), or run again with --publish.")
    return True


@group.command("project")
@click.argument("slug")
@click.argument("rules_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--base-year", type=bounds.BoundedInt(bounds.YEAR_MIN, bounds.YEAR_MAX), required=True)
@click.option("--scenario", required=True)
@click.option("--decimal-comma", is_flag=True)
@click.option("--publish", is_flag=True)
def project(slug, rules_file, base_year, scenario, decimal_comma, publish):
    """Project SLUG's lines from BASE_YEAR by the rules in RULES_FILE into a scenario."""
    municipality = municipality_or_fail(slug)
    plan = _read(municipality, rules_file, importing.RULES, decimal_comma)
    if _staged(municipality, rules_file, plan, {"kind": importing.RULES, "scenario": scenario, "base_year": base_year,
                                                "decimal_comma": decimal_comma}, publish):
        return
    with acting_as("cli"):
        try:
            result = importing.apply(municipality, plan, scenario_name=scenario, publish=publish,
                                     base_year=base_year)
        except services.FinanceError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
    years = sorted({line.year for line in result.lines})
    click.echo(f"Scenario '{result.name}': {len(result.lines)} projected lines, "
               f"{years[0] if years else '-'}-{years[-1] if years else '-'}" + (", published." if publish else "."))


@group.command("indicators")
@click.argument("slug")
@click.option("--year", type=bounds.BoundedInt(bounds.YEAR_MIN, bounds.YEAR_MAX), required=True)
@click.option("--scenario")
def indicators(slug, year, scenario):
    """Print SLUG's indicators for a year (all data, drafts included)."""
    municipality = municipality_or_fail(slug)
    chosen = services.get_scenario(municipality, name=scenario, published_only=False) if scenario else None
    results = services.indicators(municipality, year, scenario=chosen, published_only=False)
    if results is None:
        raise click.ClickException(f"no data for {year}")
    for result in results:
        value = "-" if result.value is None else f"{result.value:.4f}"
        click.echo(f"{result.code:32} {value:>16} {result.status:15} {result.reason}")


@group.command("catalog")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", help="The council's own indicators; without it they are national (every municipality).")
def catalog(file, slug):
    """Add or replace indicators from a JSON FILE (a list of {code, name, formula, unit,
    display, direction, threshold, ideal}); formulas are checked, never executed."""
    municipality = municipality_or_fail(slug) if slug else None
    try:
        definitions = ratios.load_catalog(Path(file).read_text(encoding="utf-8"))
    except (ValueError, KeyError, TypeError) as error:
        raise click.ClickException(f"the catalog was refused, nothing was written: {error}") from None
    with acting_as("cli" if slug else "platform_admin"):
        services.save_definitions(municipality, definitions)
        db.session.commit()
    click.echo(f"{len(definitions)} indicators saved" + (f" for {slug}." if slug else " for every municipality."))
