"""Backups: the database and uploaded files in one archive, and their restore."""


def init_app(app):
    from portal.backup import cli

    app.cli.add_command(cli.group)
