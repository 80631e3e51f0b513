"""The diagnostic domain: catalogs, assessments, scores, their roll-up and publication."""


def _has_data(municipality) -> bool:
    from portal.diagnostic.services import has_published

    return has_published(municipality)


def init_app(app):
    """Register blueprints, CLI, section, sources and demo loader."""
    from portal.diagnostic import history_labels
    from flask_babel import lazy_gettext as _l

    from portal.core.demo_loaders import register_loader
    from portal.core.sections import Section, register_section
    from portal.diagnostic import api, cli, demo, home, provided, staff, views

    app.register_blueprint(views.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
    register_section(Section(
        key="diagnostic", title=_l("Diagnóstico de gestión"), endpoint="diagnostic.overview", order=10,
        has_data=_has_data, empty_text=_l("Todavía no se publicó ningún diagnóstico de gestión."),
        description=_l("Resultado Global, dimensiones y áreas de gestión, con su evolución entre diagnósticos."),
        manage="diagnostic_staff.index", work=home.work))
    provided.register()
    register_loader(20, "diagnostic", demo.load)
    history_labels.register_all()
