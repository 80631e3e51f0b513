"""The diagnostic domain: catalogs, assessments, scores, their roll-up and publication."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.diagnostic import api, cli, manifest, staff, views

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
