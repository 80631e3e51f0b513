"""People: users, memberships (user, municipality, role) and permissions."""


def init_app(app):
    from portal.accounts import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.group)
