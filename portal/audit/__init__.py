"""The published-change record: append-only, hash-chained, public."""


def init_app(app):
    from portal.audit import cli, jobs, views  # noqa: F401 - jobs declares the hourly checkpoint

    app.register_blueprint(views.bp)
    app.register_blueprint(views.api)
    app.register_blueprint(views.platform_api)
    app.cli.add_command(cli.group)
