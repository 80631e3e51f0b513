"""The finance domain: budgets by the economic classification, financial-health
indicators with thresholds, scenarios and projections."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.finance import api, cli, history_labels, manifest, variables, views

    register(manifest.DOMAIN)

    app.register_blueprint(views.bp)
    app.jinja_env.filters["variable_label"] = variables.variable_label
    app.jinja_env.filters["formula_words"] = variables.formula_words
    history_labels.register_all()
    app.jinja_env.globals["PROJECTION_METHOD_LABELS"] = history_labels.METHOD_LABELS
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
    from portal.finance import execution, execution_api, execution_cli, execution_labels, execution_views  # noqa: F401

    app.register_blueprint(execution_views.bp)
    app.register_blueprint(execution_api.bp)
    app.jinja_env.globals["finance_early_warning"] = execution.report
    execution_labels.register_all()
