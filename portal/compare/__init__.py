"""Fair comparisons between municipalities: peer groups by capacity, expected values,
trends, freshness, and national indices imported beside the portal's own figures."""


def _has_data(municipality) -> bool:
    from portal.compare.services import has_values

    return has_values(municipality)


def _summary(municipality):
    from portal.compare.views import home_summary

    return home_summary(municipality)


def init_app(app):
    """Register blueprints, CLI, section and demo loader."""
    from portal.compare import history_labels
    from flask_babel import lazy_gettext as _l

    from portal.compare import cli, demo, jobs, models, views  # noqa: F401 - models register their tables
    from portal.core.sections import Section, register_section
    from portal.demo import register_loader

    app.register_blueprint(views.bp)
    app.register_blueprint(views.tenant)
    app.cli.add_command(cli.group)
    jobs.install()
    register_section(Section(
        key="compare", title=_l("Comparación con pares"), endpoint="compare_m.municipality",
        order=90, has_data=_has_data, empty_text=_l("Todavía no hay datos publicados para comparar."),
        description=_l("Cómo se compara con municipios de capacidad parecida, con el valor esperado y la tendencia."),
        summary=_summary))
    register_loader(95, "compare", demo.load)  # after every domain's demo data
    history_labels.register_all()
