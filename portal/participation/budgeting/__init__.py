"""Participatory budgeting: residents propose and vote; a rule fixed in advance picks
the winners, explains every decision, and the winners become tracked public works."""


def init_app(app):
    """Register blueprints, CLI, section, sources and demo loader."""
    from portal.core.caching import cache_endpoint

    cache_endpoint("budgeting.index")  # the list of processes: published processes and their phase (by the day)
    from portal.participation.budgeting import history_labels
    from flask_babel import lazy_gettext as _l

    from portal.core.sections import Section, register_section
    from portal.demo import register_loader
    from portal.participation.budgeting import admin, api, cli, demo, home, services, views, worker  # noqa: F401

    from portal.participation.budgeting.labels import rule_explanation, rule_label

    app.jinja_env.globals.update(rule_label=rule_label, rule_explanation=rule_explanation)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
    if worker.enabled(app):  # the counting thread starts with this server process's first request
        app.before_request(lambda: worker.ensure(app) and None)
    register_section(Section(
        key="budgeting", title=_l("Presupuesto participativo"), endpoint="budgeting.index", order=55,
        has_data=services.has_processes,
        empty_text=_l("Todavía no hay procesos de presupuesto participativo publicados."),
        description=_l("Propuestas, votación y obras elegidas por los vecinos."),
        actions=home.actions, manage="budgeting.admin", work=home.work))
    register_loader(80, "budgeting", demo.load)
    history_labels.register_all()
