import urllib.request

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.audit import checkpoints
from portal.audit.models import ChangeRecord
from portal.audit.services import verify_chain
from portal.extensions import db
from portal.municipalities.cli import municipality_or_fail

group = AppGroup("audit", help="The published-change record.")


def _chains(slug):
    """``[(label, chain key)]`` of SLUG, or of every chain."""
    if slug:
        municipality = municipality_or_fail(slug)
        return [(slug, str(municipality.id))]
    from portal.municipalities.models import Municipality

    slugs = {str(m_id): m_slug for m_id, m_slug in db.session.execute(select(Municipality.id, Municipality.slug))}
    chains = db.session.execute(select(ChangeRecord.chain).distinct()).scalars()
    return [(slugs.get(key, key), key) for key in sorted(chains)]


def _read(source: str) -> str:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as response:  # the operator's own choice of URL
            return response.read(20 * 1024 * 1024).decode("utf-8")
    with open(source, encoding="utf-8") as handle:
        return handle.read()


@group.command("verify")
@click.argument("slug", required=False)
@click.option("--checkpoints", "source", metavar="FILE_OR_URL",
              help="Checkpoints saved earlier (the JSON of /api/v1/checkpoints): every signed head must still be there.")
@click.option("--public-key", help="The public key to trust (base64), instead of the one in the checkpoint file.")
def verify(slug, source, public_key):
    """Walk the hash chain of SLUG (or of every municipality) and name the first bad entry;
    with --checkpoints, also name every signed entry that is missing or was rewritten."""
    keys = _chains(slug)
    failed = False
    for label, key in keys:
        verdict = verify_chain(db.session, key)
        if verdict.ok:
            click.echo(f"{label}: ok, {verdict.checked} entries, head {verdict.head}")
        else:
            failed = True
            click.echo(f"{label}: TAMPERED at entry id {verdict.bad_id} (seq {verdict.bad_seq}): "
                       f"{verdict.reason}; {verdict.checked} entries before it are intact", err=True)
    if source:
        try:
            public, rows = checkpoints.parse_document(_read(source))
        except (OSError, checkpoints.CheckpointFileError) as error:
            raise click.ClickException(f"cannot read checkpoints from {source}: {error}") from None
        current = checkpoints.public_key()
        if public_key:
            public = public_key
        elif current and current != public:
            click.echo("warning: the checkpoint file was signed with another key than this portal's "
                       "(pass --public-key to choose the one to trust)", err=True)
        labels = {key: label for label, key in _chains(None)}
        wanted = [key for _, key in keys] if slug else None
        findings = checkpoints.check(public, rows, wanted)
        checked = len([s for s, _ in rows if wanted is None or s.chain in wanted])
        for finding in findings:
            failed = True
            click.echo(f"{labels.get(finding.chain, finding.chain)}: CHECKPOINT {finding.problem.upper()} "
                       f"at seq {finding.seq}: {finding.detail}", err=True)
        if not findings:
            click.echo(f"checkpoints: ok, {checked} signed heads still in place")
    if failed:
        raise SystemExit(1)


@group.command("checkpoint")
@click.argument("slug", required=False)
def checkpoint(slug):
    """Sign the current head of SLUG's chain (or of every chain) with the checkpoint key
    (AUDIT_CHECKPOINT_KEY; made on first use). Run it on a schedule, e.g. hourly."""
    keys = [key for _, key in _chains(slug)]
    labels = {key: label for label, key in _chains(None)}
    made = checkpoints.sign_heads(keys)
    db.session.commit()
    for c in made:
        click.echo(f"{labels.get(c.chain, c.chain)}: signed seq {c.seq} head {c.head} at {c.signed_at}")
    if not made:
        click.echo("nothing new to sign")
    click.echo(f"public key: {checkpoints.public_key()}")


@group.command("public-key")
def public_key_command():
    """Print the checkpoint public key (base64), making the key pair if there is none."""
    from portal.audit import signing

    click.echo(signing.public_key_text(signing.load_or_create_key(checkpoints.key_path())))
