"""The complaints domain: residents' complaints and service requests, tracked to the end,
the staff inbox, statistics that feed the diagnostic, and the Open311 GeoReport v2 API."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.extensions import csrf
    from portal.participation.complaints import api, cli, history_labels, manifest, open311, staff_views, views

    register(manifest.DOMAIN)

    app.register_blueprint(views.bp)
    app.register_blueprint(staff_views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(open311.bp)  # Open311 clients authenticate with an api_key, not a session
    app.register_blueprint(open311.bp)
    app.cli.add_command(cli.group)
    app.jinja_env.globals["DATATYPE_LABELS"] = history_labels.DATATYPES
