"""The tenants: municipalities and their districts."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.municipalities import cli, manifest, staff, views

    register(manifest.DOMAIN)
    app.jinja_env.globals["manage_link"] = staff.manage_link
    app.register_blueprint(views.bp)
    app.register_blueprint(views.tenant)
    app.cli.add_command(cli.group)
