import secrets

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.audit.services import acting_as, set_note
from portal.core import bounds, registry
from portal.demo import municipalities as demo_municipalities
from portal.demo import synthetic
from portal.extensions import db
from portal.municipalities.cli import municipality_or_fail
from portal.municipalities.models import Municipality

group = AppGroup("demo", help="Demo data.")


def load_demo(echo=click.echo):
    with acting_as("demo"):
        set_note(db.session, "Datos de demostración")
        demo_municipalities.load()
        db.session.flush()
        for name, loader in registry.demo_loaders():
            echo(f"  {name}...")
            loader()
            db.session.flush()
        db.session.commit()


@group.command("load")
def load():
    """Load the demo municipalities and their data (idempotent)."""
    load_demo()
    click.echo("Demo loaded.")


@group.command("load-if-empty")
def load_if_empty():
    """Load the demo only when the database has no municipality yet (used by make run)."""
    if db.session.execute(select(Municipality.id).limit(1)).first() is None:
        load_demo()
        click.echo("Demo loaded.")
    else:
        click.echo("Database already has data; demo not loaded (run 'demo load' to top it up).")


@group.command("generate")
@click.option("--municipalities", type=click.IntRange(1), required=True, help="How many municipalities to create.")
@click.option("--complaints", type=click.IntRange(0), default=0, show_default=True, help="Complaints in all.")
@click.option("--ballots", type=click.IntRange(0), default=1000, show_default=True,
              help="Ballots in the first municipality's participatory budget.")
@click.option("--projects", type=click.IntRange(1), default=20, show_default=True,
              help="Projects on that ballot.")
@click.option("--responses", type=click.IntRange(0), default=20, show_default=True,
              help="Survey responses per municipality.")
@click.option("--seed", type=bounds.BoundedInt(), default=13, show_default=True)
@click.option("--chunk", type=click.IntRange(100), default=5000, show_default=True,
              help="Rows written per batch (memory stays bounded by it).")
def generate(municipalities, complaints, ballots, projects, responses, seed, chunk):
    """Create synthetic municipalities with realistic data at scale, marked as synthetic."""
    plan = synthetic.Plan(municipalities=municipalities, complaints=complaints, ballots=ballots,
                          projects=projects, responses=responses, seed=seed, chunk=chunk)
    counts = synthetic.generate(plan, echo=click.echo)
    seconds = counts.pop("_seconds")
    rows = sum(counts.values())
    for table, count in sorted(counts.items()):
        click.echo(f"  {table:32} {count:>10,}")
    click.echo(f"{rows:,} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f} rows/s).")


@group.command("staff")
@click.option("--municipality", "slug", default="intipuca", show_default=True)
@click.option("--role", "roles", multiple=True, default=("publisher",), show_default=True,
              help="A role (editor, publisher, moderator, admin, verifier); repeat for several.")
def staff(slug, roles):
    """A demo staff account of SLUG: prints its e-mail and a new password (each run makes a new one).

    Refused when CABILDO_ENV=production."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("Demo accounts are not made in production.")
    municipality = municipality_or_fail(slug)
    email = f"{'-'.join(roles)}.{slug}@demo.example.org"
    password = secrets.token_urlsafe(12)
    with acting_as("platform_admin"):
        try:
            user = accounts.find_by_email(email) or accounts.create_user(
                email, password, display_name=f"Demo {', '.join(roles)}", confirmed=True)
            user.set_password(password)
            for role in roles:
                accounts.grant(user, municipality, role)
        except accounts.AccountError as error:
            raise click.ClickException(f"{error.field}: {error}") from None
        db.session.commit()
    click.echo(f"{', '.join(roles)} of {municipality.name} (/m/{slug}/admin/)")
    click.echo(f"e-mail:   {email}")
    click.echo(f"password: {password}")
