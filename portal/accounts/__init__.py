"""People: users, memberships (user, municipality, role) and permissions."""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprints and CLI."""
    from portal.accounts import admin_views, cli, imports_views, jobs_views, manifest, views
    from portal.accounts.forms import role_label
    from portal.core.registry import register

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.members)
    app.register_blueprint(admin_views.platform)
    app.register_blueprint(jobs_views.bp)  # the failed background jobs, for platform staff
    app.register_blueprint(imports_views.bp)  # progress of imports run as jobs
    app.register_blueprint(imports_views.tenant)
    app.cli.add_command(cli.group)
    app.jinja_env.globals["role_label"] = role_label
