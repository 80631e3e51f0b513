import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.audit.models import ChangeRecord
from portal.audit.services import verify_chain
from portal.extensions import db
from portal.municipalities.services import get_by_slug

group = AppGroup("audit", help="The published-change record.")


@group.command("verify")
@click.argument("slug", required=False)
def verify(slug):
    """Walk the hash chain of SLUG (or of every municipality) and name the first bad entry."""
    if slug:
        municipality = get_by_slug(slug)
        if municipality is None:
            raise click.ClickException(f"No municipality '{slug}'.")
        keys = [(slug, str(municipality.id))]
    else:
        from portal.municipalities.models import Municipality

        slugs = {str(m_id): m_slug for m_id, m_slug in db.session.execute(select(Municipality.id, Municipality.slug))}
        chains = db.session.execute(select(ChangeRecord.chain).distinct()).scalars()
        keys = [(slugs.get(key, key), key) for key in sorted(chains)]
    failed = False
    for label, key in keys:
        verdict = verify_chain(db.session, key)
        if verdict.ok:
            click.echo(f"{label}: ok, {verdict.checked} entries, head {verdict.head}")
        else:
            failed = True
            click.echo(f"{label}: TAMPERED at entry id {verdict.bad_id} (seq {verdict.bad_seq}): "
                       f"{verdict.reason}; {verdict.checked} entries before it are intact", err=True)
    if failed:
        raise SystemExit(1)
