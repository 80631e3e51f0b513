"""The finance domain: budgets by the economic classification, financial-health
indicators with thresholds, scenarios and projections."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.finance import (  # noqa: F401 - debt_*, costs_*, revenue_*, execution_*: routes and commands joining these
        api, cli, costs_cli, costs_views, debt_api, debt_cli, debt_views, execution, execution_api, execution_cli,
        execution_views, file_words, history_labels, manifest, revenue_api, revenue_cli, revenue_views, variables, views)

    register(manifest.DOMAIN)

    app.register_blueprint(views.bp)
    app.jinja_env.filters["variable_label"] = variables.variable_label
    app.jinja_env.filters["formula_words"] = variables.formula_words
    app.jinja_env.filters["catalog_text"] = variables.catalog_text
    app.jinja_env.filters["reason_words"] = file_words.reason_words
    app.jinja_env.globals["PROJECTION_METHOD_LABELS"] = history_labels.METHOD_LABELS
    app.register_blueprint(api.bp)
    app.register_blueprint(debt_api.bp)
    app.cli.add_command(cli.group)
    app.register_blueprint(execution_views.bp)
    app.register_blueprint(execution_api.bp)
    app.jinja_env.globals["finance_early_warning"] = execution.report
    revenue_cli.register(cli.group)
    costs_cli.register(cli.group)
