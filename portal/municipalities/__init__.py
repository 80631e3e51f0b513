"""The tenants: municipalities and their districts."""


def init_app(app):
    from portal.municipalities import history_labels
    from portal.core.caching import cache_endpoint
    from portal.municipalities import cli, staff, views

    cache_endpoint("municipalities.index")  # the platform home: the municipalities and nothing else

    app.jinja_env.globals["manage_link"] = staff.manage_link
    app.register_blueprint(views.bp)
    app.register_blueprint(views.tenant)
    app.cli.add_command(cli.group)
    history_labels.register_all()
