"""The roadmap domain: action plans, activities, follow-up, goals and reviews."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.roadmap import api, cli, manifest, models, views  # noqa: F401 (models: tables)

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
