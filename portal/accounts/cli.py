import click
from flask import current_app
from flask.cli import AppGroup

from portal.accounts import services
from portal.audit.services import acting_as
from portal.extensions import db
from portal.municipalities.cli import municipality_or_fail

group = AppGroup("users", help="Manage people and their roles.")


@group.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--municipality", "slug", help="Make them admin of this municipality; "
              "without it they become a platform admin.")
def create_admin(email, password, slug):
    """Create a platform admin, or the first admin of a municipality."""
    municipality = municipality_or_fail(slug) if slug else None
    with acting_as("platform_admin"):
        try:
            user = services.find_by_email(email) or services.create_user(
                email, password, confirmed=True, platform_admin=slug is None)
            if municipality is not None:
                services.grant(user, municipality, "admin")
            else:
                user.is_platform_admin = True
        except services.AccountError as error:
            raise click.ClickException(f"{error.field}: {error}") from None
        db.session.commit()
    click.echo(f"{user.email} is now {'admin of ' + slug if slug else 'a platform admin'}.")


@group.command("grant")
@click.argument("email")
@click.argument("slug")
@click.argument("role")
def grant(email, slug, role):
    """Give EMAIL the ROLE in municipality SLUG."""
    municipality = municipality_or_fail(slug)
    user = services.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account '{email}'.")
    with acting_as("platform_admin"):
        try:
            services.grant(user, municipality, role)
        except services.AccountError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
    click.echo(f"{email} is {role} of {slug}.")


@group.command("revoke")
@click.argument("email")
@click.argument("slug")
@click.argument("role")
def revoke(email, slug, role):
    """Take the ROLE in municipality SLUG away from EMAIL (never the last admin)."""
    municipality = municipality_or_fail(slug)
    user = services.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account '{email}'.")
    membership = next((m for m in user.memberships
                       if m.municipality_id == municipality.id and m.role == role), None)
    if membership is None:
        raise click.ClickException(f"{email} is not {role} of {slug}.")
    try:
        with current_app.test_request_context():  # messages are translated (Spanish by default)
            services.revoke(municipality, membership.id)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{email} is no longer {role} of {slug}.")


@group.command("list")
@click.argument("slug")
def list_(slug):
    """List the people holding roles in municipality SLUG."""
    municipality = municipality_or_fail(slug)
    for user, memberships in services.members(municipality):
        click.echo(f"{user.email}\t{','.join(m.role for m in memberships)}")
