"""The complaints domain: residents' complaints and service requests, tracked to the end,
the staff inbox, statistics that feed the diagnostic, and the Open311 GeoReport v2 API."""


def init_app(app):
    """Register blueprints, CLI, section, sources and demo loader."""
    from portal.core.caching import cache_endpoint

    cache_endpoint("complaints.index")  # the complaints home: the published categories and a GET form (no CSRF token)
    from portal.participation.complaints import history_labels
    from flask_babel import lazy_gettext as _l

    from portal.core.sections import Section, register_section
    from portal.demo import register_loader
    from portal.extensions import csrf
    from portal.participation.complaints import api, cli, demo, home, open311, services, sources, staff_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(staff_views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(open311.bp)  # Open311 clients authenticate with an api_key, not a session
    app.register_blueprint(open311.bp)
    app.cli.add_command(cli.group)
    register_section(Section(
        key="complaints", title=_l("Reclamos y solicitudes"), endpoint="complaints.index", order=70,
        has_data=services.has_categories,
        empty_text=_l("Este municipio todavía no recibe reclamos en línea."),
        description=_l("Reporte un problema de los servicios municipales y siga su atención hasta el final."),
        actions=home.actions, figure=home.figure, manage="complaints_staff.inbox", work=home.work))
    sources.register()
    register_loader(70, "complaints", demo.load)
    history_labels.register_all()
    app.jinja_env.globals["DATATYPE_LABELS"] = history_labels.DATATYPES
