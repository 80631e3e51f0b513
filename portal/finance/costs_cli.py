"""``flask --app wsgi finance costs ...`` and ``finance fee-reform ...``: what each service
costs, and a fee reform that can feed a scenario."""
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from portal.audit.services import acting_as
from portal.core import bounds
from portal.core.tabular import TableError
from portal.extensions import db
from portal.finance import costs, costs_import, costs_services, services
from portal.municipalities.cli import municipality_or_fail

YEAR = bounds.BoundedInt(bounds.YEAR_MIN, bounds.YEAR_MAX)


class DecimalParam(click.ParamType):
    name = "decimal"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        percent = text.endswith("%")
        try:
            number = Decimal(text.rstrip("%").strip())
        except InvalidOperation:
            self.fail(f"'{value}' is not a number (use 1234.56)", param, ctx)
        if not number.is_finite() or abs(number) >= 10**12:
            self.fail(f"'{value}' is out of bounds", param, ctx)
        return number / 100 if percent else number


def _money(value):
    return f"{value:>13,.2f}" if value is not None else f"{'-':>13}"


def echo_study(study: costs.Study):
    click.echo(f"  indirect costs {study.indirect_total:,.2f} allocated by '{study.key}'")
    click.echo(f"  {'code':8} {'service':30} {'direct':>13} {'indirect':>13} {'cost':>13} {'collected':>13} "
               f"{'subsidy':>13} {'per hh/month':>13} {'covering fee':>13}")
    for r in study.services:
        click.echo(f"  {r.service.code:8} {r.service.name[:30]:30} {_money(r.direct)} {_money(r.indirect)} "
                   f"{_money(r.cost)} {_money(r.service.collected)} {_money(r.subsidy)} "
                   f"{_money(r.per_household_month)} {_money(r.covering_fee)}")
    t = study.totals
    click.echo(f"  {'':8} {'total':30} {_money(t['direct'])} {_money(t['indirect'])} {_money(t['cost'])} "
               f"{_money(t['collected'])} {_money(t['subsidy'])}")


@click.command("costs")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=YEAR, required=True)
@click.option("--indirect", type=DecimalParam(), default="0", help="Indirect costs to allocate (a year).")
@click.option("--key", type=click.Choice(costs.KEYS), default="direct",
              help="How indirect costs are allocated: by direct costs, households, or each service's share.")
@click.option("--decimal-comma", is_flag=True)
@click.option("--publish", is_flag=True)
def costs_command(slug, file, year, indirect, key, decimal_comma, publish):
    """Replace SLUG's cost study of the services for a year with FILE (columns code, name,
    households, staff, supplies, fuel, disposal, other, accrued, collected, share)."""
    municipality = municipality_or_fail(slug)
    path = Path(file)
    try:
        plan = costs_import.read(municipality, path.read_bytes(), path.name, year, indirect, key, decimal_comma)
    except TableError as error:
        click.echo(f"{file}: the file was refused, nothing was written:", err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"Cost study {year}: {len(plan.services)} services")
    echo_study(plan.study)
    current = costs_services.get_study(municipality, year, published_only=False)
    if current is not None and current.is_published and not publish:
        raise click.ClickException(f"the {year} study is published: run again with --publish to replace it; "
                                   "nothing was written")
    with acting_as("cli"):
        costs_services.replace(municipality, year, plan, publish=publish)
        db.session.commit()
    click.echo(f"Saved {len(plan.services)} services for {municipality.slug} {year}" +
               (" and published." if publish else " (draft)."))


@click.command("fee-reform")
@click.argument("slug")
@click.option("--year", type=YEAR, required=True, help="The cost study's year.")
@click.option("--service", "code", required=True, help="The service's code in the study.")
@click.option("--fee", type=DecimalParam(), required=True, help="New monthly fee per payer.")
@click.option("--payers", type=bounds.BoundedInt(0, 10_000_000), required=True)
@click.option("--collection-rate", type=DecimalParam(), required=True, help="0.90 or 90%.")
@click.option("--scenario", help="Add the reform to this scenario (from --from-year on) and recompute it.")
@click.option("--from-year", type=YEAR)
def fee_reform(slug, year, code, fee, payers, collection_rate, scenario, from_year):
    """Simulate a new fee for one service; with --scenario, feed the scenario with it."""
    municipality = municipality_or_fail(slug)
    study = costs_services.get_study(municipality, year, published_only=False)
    if study is None:
        raise click.ClickException(f"no cost study for {year}")
    try:
        result = costs_services.reform(study, code, fee, payers, collection_rate)
    except services.FinanceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{result.cost.service.name}: cost {result.cost.cost:,.2f}, collected now "
               f"{result.cost.service.collected or 0:,.2f}")
    click.echo(f"  revenue {result.revenue:,.2f} a year (+{result.increase:,.2f}); subsidy left {result.subsidy:,.2f}"
               + (" (covers the cost)" if result.covers else ""))
    if not scenario:
        return
    chosen = services.get_scenario(municipality, name=scenario, published_only=False)
    if chosen is None or from_year is None:
        raise click.ClickException("--scenario needs an existing scenario and --from-year")
    with acting_as("cli"):
        try:
            rule = costs_services.reform_into_scenario(municipality, chosen, result, from_year)
        except services.FinanceError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
    click.echo(f"Scenario '{chosen.name}': rule {rule.code} from {from_year}, recomputed.")


def register(group):
    group.add_command(costs_command)
    group.add_command(fee_reform)
