"""The surveys domain: satisfaction surveys whose results feed the diagnostic."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.participation.surveys import admin, api, cli, history_labels, manifest, views

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.api)
    app.cli.add_command(cli.group)
    app.jinja_env.globals["QUESTION_KIND_LABELS"] = history_labels.KIND_LABELS
