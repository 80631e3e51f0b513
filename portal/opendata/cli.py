import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.opendata import services

group = AppGroup("feeds", help="News feeds that municipalities follow.")


@group.command("fetch")
@click.option("--timeout", type=click.FloatRange(1, 60), default=None,
              help="Seconds to wait for each feed (default: the FEEDS_TIMEOUT setting, 10).")
def fetch(timeout):
    """Read every municipality's news feeds now (the job worker does it every 30 minutes);
    new items are stored once."""
    results = services.fetch_all(timeout=timeout)
    db.session.commit()
    for feed, new in results:
        detail = f"{new} new" if feed.last_status == "ok" else feed.last_status
        if feed.last_error:
            detail += f" ({feed.last_error})"
        click.echo(f"{feed.url}: {detail}")
    click.echo(f"{len(results)} feeds read.")
