"""Participatory budgeting: residents propose and vote; a rule fixed in advance picks
the winners, explains every decision, and the winners become tracked public works."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.participation.budgeting import admin, api, cli, manifest, views, worker  # noqa: F401
    from portal.participation.budgeting.labels import rule_explanation, rule_label

    register(manifest.DOMAIN)

    app.jinja_env.globals.update(rule_label=rule_label, rule_explanation=rule_explanation)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
