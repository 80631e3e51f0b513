"""People: users, memberships (user, municipality, role) and permissions."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.accounts import admin_views, cli, manifest, views
    from portal.accounts.forms import role_label
    from portal.core.registry import register

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.members)
    app.register_blueprint(admin_views.platform)
    app.cli.add_command(cli.group)
    app.jinja_env.globals["role_label"] = role_label
