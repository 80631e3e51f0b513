"""The surveys domain: satisfaction surveys whose results feed the diagnostic."""
from flask_babel import lazy_gettext as _l


def init_app(app):
    """Register blueprints, CLI, section, sources and demo loader."""
    from portal.core.caching import cache_endpoint

    cache_endpoint("surveys.index")  # the list of surveys: published surveys, open or closed by the day
    from portal.participation.surveys import history_labels
    from portal.core.sections import Section, register_section
    from portal.demo import register_loader
    from portal.diagnostic.sources import Source, register_source
    from portal.participation.surveys import admin, api, cli, demo, home, results, services, views

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.api)
    app.cli.add_command(cli.group)
    register_section(Section(
        key="surveys", title=_l("Encuestas"), endpoint="surveys.index", order=60,
        has_data=services.has_published, empty_text=_l("Todavía no hay encuestas publicadas."),
        description=_l("Encuestas de satisfacción con los servicios municipales y sus resultados."),
        actions=home.actions, manage="survey_admin.index", work=home.work))
    register_source(Source(
        key="surveys.services_satisfaction", label=_l("Satisfacción con los servicios municipales"),
        domain="surveys", unit="ratio", value=results.services_satisfaction,
        description=_l("Proporción (0 a 1) de las calificaciones de la matriz de servicios que son "
                       "«satisfecho» o «muy satisfecho» (4 o 5), en la última encuesta publicada y cerrada "
                       "en la fecha o antes; n = calificaciones («no uso» no cuenta).")))
    register_source(Source(
        key="surveys.services_mean", label=_l("Media de satisfacción con los servicios (1 a 5)"),
        domain="surveys", unit="score", value=results.services_mean,
        description=_l("Media (1 a 5) de todas las calificaciones de esa misma matriz de servicios.")))
    register_source(Source(
        key="surveys.service_mean", label=_l("Satisfacción con un servicio"), domain="surveys", unit="score",
        value=results.service_mean,
        description=_l("Media (1 a 5) de un servicio de la matriz (parámetro: el nombre del servicio) "
                       "en la última encuesta cerrada que lo califica.")))
    register_source(Source(
        key="surveys.question_mean", label=_l("Media de una pregunta de encuesta"), domain="surveys",
        unit="score", value=results.question_mean,
        description=_l("Media de una pregunta numérica (parámetro: «id de la encuesta:código»): "
                       "escala 1 a 5, calificación 0 a 10 o matriz 1 a 5.")))
    register_loader(60, "surveys", demo.load)
    history_labels.register_all()
    app.jinja_env.globals["QUESTION_KIND_LABELS"] = history_labels.KIND_LABELS
