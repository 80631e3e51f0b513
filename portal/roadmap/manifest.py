"""What the roadmap offers the rest of the portal (see :mod:`portal.core.registry`)."""
from flask_babel import lazy_gettext as _l

from portal.core.registry import C, Calendar, Dataset, DemoLoader, Domain, N_, Topic
from portal.core.sections import Section
from portal.roadmap import demo, exports, history_labels, home, services

ACTIVITY_STATES_ES = (("not_started", "no_iniciada"), ("in_progress", "en_curso"), ("delayed", "atrasada"),
                      ("done", "realizada"))
TIMELINESS_ES = (("on_time", "a_tiempo"), ("late", "atrasada"), ("upcoming", "por_venir"), ("done", "realizada"))

DATASETS = (
    Dataset(
        "hoja-de-ruta", N_("Actividades de la hoja de ruta"), "Roadmap activities",
        N_("Cada actividad de cada plan publicado: período, responsable, costo, fuente de financiamiento, avance y "
           "puntualidad."),
        "roadmap", "GOVE", "GOVE", ("hoja de ruta", "plan de acción", "actividades", "seguimiento"),
        (C("plan_id", "plan_id", "integer"), C("plan", "plan"), C("activity_id", "actividad_id", "integer"),
         C("number", "numero"), C("parent_id", "padre_id", "integer"), C("horizon", "horizonte"),
         C("action", "accion"), C("area", "area"), C("title", "titulo"), C("start", "inicio", "date"),
         C("end", "fin", "date"), C("period", "periodo"), C("responsible", "responsable"),
         C("cost", "costo", "number"), C("currency", "moneda"), C("funding_source", "fuente_financiamiento"),
         C("status", "estado", spanish=ACTIVITY_STATES_ES), C("done", "realizada", "boolean"), C("progress", "avance", "number", "Percentage 0-100"),
         C("timeliness", "puntualidad", spanish=TIMELINESS_ES), C("actual_cost", "costo_real", "number")),
        exports.activities, "roadmap.index"),
)

DOMAIN = Domain(
    key="roadmap",
    record_labels=(history_labels.register_all,),
    order=30,
    sections=(Section(
        key="roadmap", title=_l("Hoja de ruta"), endpoint="roadmap.index", order=40, has_data=services.has_data,
        empty_text=_l("Este municipio todavía no publica su plan de acción."),
        description=_l("Lo que el municipio se comprometió a hacer, lo que hizo y con qué evidencia."),
        figure=home.figure, manage="roadmap.import_", work=home.work),),
    datasets=DATASETS,
    topics=(Topic("roadmap", ("roadmap",)),),
    record_sections=(("roadmap", _l("Hoja de ruta")),),
    cached_endpoints=(("roadmap.index", None), ("roadmap.plan", None), ("roadmap.activity", None),
                      ("roadmap.matrix", None)),
    demo=DemoLoader(60, demo.load),
    calendar=Calendar(30, exports.calendar_events),
)
