"""Open data: Atom feeds out of the published-change record, news feeds in."""


def init_app(app):
    from portal.opendata import cli, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.tenant)
    app.register_blueprint(views.admin)
    app.register_blueprint(views.api)
    app.cli.add_command(cli.group)
