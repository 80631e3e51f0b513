"""What surveys offer the rest of the portal (see :mod:`portal.core.registry`)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.core.registry import (CHANNELS_ES, HIGHER, C, Calendar, Comparison, Dataset, DemoLoader, Domain, Metric,
                                  N_, Source, Topic)
from portal.core.sections import Section
from portal.participation.surveys import demo, exports, history_labels, home, results, services

QUESTION_KINDS_ES = (("scale", "escala"), ("rating", "calificacion"), ("single", "opcion_unica"),
                     ("multiple", "opcion_multiple"), ("short_text", "texto_corto"), ("long_text", "texto_largo"),
                     ("matrix", "matriz"))

SOURCES = (
    Source(
        key="surveys.services_satisfaction", label=_l("Satisfacción con los servicios municipales"),
        domain="surveys", unit="ratio", value=results.services_satisfaction,
        description=_l("Proporción (0 a 1) de las calificaciones de la matriz de servicios que son "
                       "«satisfecho» o «muy satisfecho» (4 o 5), en la última encuesta publicada y cerrada "
                       "en la fecha o antes; n = calificaciones («no uso» no cuenta).")),
    Source(
        key="surveys.services_mean", label=_l("Media de satisfacción con los servicios (1 a 5)"),
        domain="surveys", unit="score", value=results.services_mean,
        description=_l("Media (1 a 5) de todas las calificaciones de esa misma matriz de servicios.")),
    Source(
        key="surveys.service_mean", label=_l("Satisfacción con un servicio"), domain="surveys", unit="score",
        value=results.service_mean,
        description=_l("Media (1 a 5) de un servicio de la matriz (parámetro: el nombre del servicio) "
                       "en la última encuesta cerrada que lo califica.")),
    Source(
        key="surveys.question_mean", label=_l("Media de una pregunta de encuesta"), domain="surveys",
        unit="score", value=results.question_mean,
        description=_l("Media de una pregunta numérica (parámetro: «id de la encuesta:código»): "
                       "escala 1 a 5, calificación 0 a 10 o matriz 1 a 5.")),
)

DATASETS = (
    Dataset(
        "encuestas", N_("Respuestas de encuestas"), "Survey responses",
        N_("Respuestas anónimas de las encuestas con resultados públicos, una fila por respuesta y pregunta; textos "
           "libres solo moderados y redactados."),
        "surveys", "SOCI", "SOCI", ("encuestas", "satisfacción", "servicios"),
        (C("survey_id", "encuesta_id", "integer"), C("response", "respuesta", "integer"), C("date", "fecha", "date"),
         C("district", "distrito"), C("channel", "canal", spanish=CHANNELS_ES),
         C("example", "ejemplo", "boolean"), C("question", "pregunta"), C("kind", "tipo", spanish=QUESTION_KINDS_ES), C("item", "item"), C("value", "valor")),
        exports.responses, "surveys.index"),
)

METRICS = (
    Metric("surveys.services_satisfaction", "Satisfacción con los servicios municipales", "surveys", "ratio",
           HIGHER, tuple(Decimal(v) for v in ("0.8", "0.6", "0.4")), 365, headline=True,
           title=_l("Satisfacción con los servicios municipales"), family_title=_l("Encuestas")),
)

DOMAIN = Domain(
    key="surveys",
    record_labels=(history_labels.register_all,),
    cached_endpoints=(("surveys.index", None),),  # the list of surveys: published surveys, open or closed by the day
    order=50,
    sections=(Section(
        key="surveys", title=_l("Encuestas"), endpoint="surveys.index", order=60,
        has_data=services.has_published, empty_text=_l("Todavía no hay encuestas publicadas."),
        description=_l("Encuestas de satisfacción con los servicios municipales y sus resultados."),
        actions=home.actions, manage="survey_admin.index", work=home.work),),
    sources=SOURCES,
    datasets=DATASETS,
    topics=(Topic("surveys", ("surveys",)),),
    record_sections=(("surveys", _l("Encuestas")),),
    demo=DemoLoader(60, demo.load),
    calendar=Calendar(20, exports.calendar_events, exports.highlights),
    comparison=Comparison(order=40, metrics=METRICS, collect=exports.comparison_values, sections=("surveys",)),
)
