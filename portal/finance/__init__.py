"""The finance domain: budgets by the economic classification, financial-health
indicators with thresholds, scenarios and projections."""


def init_app(app):
    """Register blueprints, CLI, section, sources and demo loader."""
    from flask_babel import lazy_gettext as _l

    from portal.core.sections import Section, register_section
    from portal.demo import register_loader
    from portal.finance import api, cli, demo, home, services, sources, views

    from portal.finance import history_labels, variables

    app.register_blueprint(views.bp)
    app.jinja_env.filters["variable_label"] = variables.variable_label
    app.jinja_env.filters["formula_words"] = variables.formula_words
    history_labels.register_all()
    app.jinja_env.globals["PROJECTION_METHOD_LABELS"] = history_labels.METHOD_LABELS
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
    register_section(Section(
        key="finance", title=_l("Finanzas"), endpoint="finance.index", order=20,
        has_data=services.has_published,
        empty_text=_l("Este municipio todavía no publica su presupuesto."),
        description=_l("Presupuesto, ejecución e indicadores de salud financiera."), figure=home.figure,
        manage="finance.manage", work=home.work))
    sources.register_all()
    register_loader(15, "finance", demo.load)  # before the diagnostic and roadmap demos read its sources
    from portal.finance import (execution, execution_api, execution_cli, execution_demo,  # noqa: F401
                                 execution_labels, execution_views)

    app.register_blueprint(execution_views.bp)
    app.register_blueprint(execution_api.bp)
    app.jinja_env.globals["finance_early_warning"] = execution.report
    execution_labels.register_all()
    register_loader(16, "finance-execution", execution_demo.load)  # after the budgets and scenario it reads
