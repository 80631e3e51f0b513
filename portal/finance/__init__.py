"""The finance domain: budgets by the economic classification, financial-health
indicators with thresholds, scenarios and projections."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.finance import (api, cli, debt_api, debt_cli, debt_views, history_labels,  # noqa: F401 (debt_*:
                                manifest, variables, views)  # loans and supplier plans, their routes and command)
    from portal.finance import costs_views, revenue_api, revenue_views  # noqa: F401 - their routes join the blueprints below
    from portal.finance import execution, execution_api, execution_cli, execution_labels, execution_views  # noqa: F401

    register(manifest.DOMAIN)

    app.register_blueprint(views.bp)
    app.jinja_env.filters["variable_label"] = variables.variable_label
    app.jinja_env.filters["formula_words"] = variables.formula_words
    history_labels.register_all()
    app.jinja_env.globals["PROJECTION_METHOD_LABELS"] = history_labels.METHOD_LABELS
    app.register_blueprint(api.bp)
    app.register_blueprint(debt_api.bp)
    app.cli.add_command(cli.group)
    app.register_blueprint(execution_views.bp)
    app.register_blueprint(execution_api.bp)
    app.jinja_env.globals["finance_early_warning"] = execution.report
    execution_labels.register_all()
    init_revenue(app)


def init_revenue(app):
    """Revenue potential and the cost of services: the change record's words, commands."""
    from portal.finance import cli, costs_cli, revenue_cli, revenue_history

    revenue_history.register_all()
    revenue_cli.register(cli.group)
    costs_cli.register(cli.group)
