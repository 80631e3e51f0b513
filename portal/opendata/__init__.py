"""Open data: datasets (API, CSV, XLSX, Data Packages), the DCAT catalog and data.json,
Atom feeds out of the published-change record, news feeds in."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.core.registry import register
    from portal.opendata import calendar_views, cli, data_views, manifest, schemaorg, views

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.tenant)
    app.register_blueprint(views.admin)
    app.register_blueprint(views.api)
    app.register_blueprint(data_views.catalog_bp)
    app.register_blueprint(data_views.pages)
    app.register_blueprint(data_views.tenant_catalog)
    app.register_blueprint(data_views.api)
    app.register_blueprint(calendar_views.bp)
    app.cli.add_command(cli.group)
    app.jinja_env.globals["jsonld_home"] = lambda municipality: schemaorg.script(schemaorg.home(municipality))
