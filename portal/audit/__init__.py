"""The published-change record: append-only, hash-chained, public."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.audit import cli, manifest, views
    from portal.core.registry import register

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.api)
    app.register_blueprint(views.platform_api)
    app.cli.add_command(cli.group)
