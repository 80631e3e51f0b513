"""Backups: the database and uploaded files in one archive, and their restore."""


def init_app(app):
    """Declare the domain (its manifest) and register its CLI."""
    from portal.backup import cli, manifest
    from portal.core.registry import register

    register(manifest.DOMAIN)
    app.cli.add_command(cli.group)
