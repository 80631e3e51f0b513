"""People: users, memberships (user, municipality, role) and permissions."""


def init_app(app):
    from portal.accounts import admin_views, cli, views
    from portal.accounts.permissions import role_label

    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.members)
    app.register_blueprint(admin_views.platform)
    app.cli.add_command(cli.group)
    app.jinja_env.globals["role_label"] = role_label
