"""Fair comparisons between municipalities: peer groups by capacity, expected values,
trends, freshness, and national indices imported beside the portal's own figures."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.compare import cli, jobs, manifest, models, semaforo_views, views  # noqa: F401 - models register their tables
    from portal.core.registry import register

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)  # with the semáforo's routes (semaforo_views)
    app.register_blueprint(semaforo_views.api)
    app.register_blueprint(views.tenant)
    app.cli.add_command(cli.group)
    jobs.install()
