"""The roadmap domain: action plans, activities, follow-up, goals and reviews."""


def init_app(app):
    """Register blueprints, CLI, section, sources and demo loader."""
    from portal.roadmap import history_labels
    from flask_babel import lazy_gettext as _l

    from portal.core.demo_loaders import register_loader
    from portal.core.sections import Section, register_section
    from portal.roadmap import api, cli, demo, home, models, services, views  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.group)
    register_section(Section(
        key="roadmap", title=_l("Hoja de ruta"), endpoint="roadmap.index", order=40, has_data=services.has_data,
        empty_text=_l("Este municipio todavía no publica su plan de acción."),
        description=_l("Lo que el municipio se comprometió a hacer, lo que hizo y con qué evidencia."),
        figure=home.figure, manage="roadmap.import_", work=home.work))
    register_loader(60, "roadmap", demo.load)
    history_labels.register_all()
