import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.audit.services import acting_as, set_note
from portal.demo import loaders
from portal.demo import municipalities as demo_municipalities
from portal.extensions import db

group = AppGroup("demo", help="Demo data.")


def load_demo(echo=click.echo):
    with acting_as("demo"):
        set_note(db.session, "Demo data")
        demo_municipalities.load()
        db.session.flush()
        for name, loader in loaders():
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
    from portal.municipalities.models import Municipality

    if db.session.execute(select(Municipality.id).limit(1)).first() is None:
        load_demo()
        click.echo("Demo loaded.")
    else:
        click.echo("Database already has data; demo not loaded (run 'demo load' to top it up).")
