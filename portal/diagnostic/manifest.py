"""What the diagnostic offers the rest of the portal (see :mod:`portal.core.registry`)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.core.registry import HIGHER, C, Comparison, Dataset, DemoLoader, Domain, Metric, N_, Topic
from portal.core.sections import Section
from portal.diagnostic import demo, exports, history_labels, home, provided, services

LEVELS_ES = (("composite", "compuesto"), ("dimension", "dimension"), ("area", "area"), ("subarea", "subarea"),
             ("indicator", "indicador"))
SCORE_STATES_ES = (("scored", "puntuado"), ("na", "no_aplica"), ("nr", "no_reportado"))

DATASETS = (
    Dataset(
        "diagnostico", N_("Puntajes del diagnóstico de gestión"), "Management diagnostic scores",
        N_("Puntajes de cada evaluación publicada: compuestos, dimensiones, áreas, subáreas e indicadores, con su banda."),
        "diagnostic", "GOVE", "GOVE", ("diagnóstico", "gestión municipal", "desempeño"),
        (C("assessment_date", "fecha_evaluacion", "date"), C("verified", "verificada", "boolean"),
         C("catalog_version", "version_catalogo"),
         C("level", "nivel", "string", "composite, dimension, area, subarea or indicator", spanish=LEVELS_ES),
         C("code", "codigo"), C("name", "nombre"), C("parent", "padre"), C("weight", "peso", "number"),
         C("score", "puntaje", "number", "0 to 100, exact"), C("band", "banda"), C("state", "estado", spanish=SCORE_STATES_ES),
         C("not_reported", "no_reportados")),
        exports.scores, "diagnostic.overview", periodicity="R/P1Y"),
)

METRICS = (
    Metric("diagnostic.global", "Resultado global del diagnóstico de gestión", "diagnostic", "score", HIGHER,
           tuple(Decimal(v) for v in (80, 60, 40)), 730, headline=True,
           title=_l("Diagnóstico de gestión: media de las áreas"), family_title=_l("Diagnóstico")),
)

DOMAIN = Domain(
    key="diagnostic",
    record_labels=(history_labels.register_all,),
    order=20,
    sections=(Section(
        key="diagnostic", title=_l("Diagnóstico de gestión"), endpoint="diagnostic.overview", order=10,
        has_data=services.has_published, empty_text=_l("Todavía no se publicó ningún diagnóstico de gestión."),
        description=_l("Resultado Global, dimensiones y áreas de gestión, con su evolución entre diagnósticos."),
        manage="diagnostic_staff.index", work=home.work),),
    sources=provided.SOURCES,
    datasets=DATASETS,
    topics=(Topic("diagnostic", ("diagnostic",)),),
    record_sections=(("diagnostic", _l("Diagnóstico")),),
    cached_endpoints=(("diagnostic.overview", None), ("diagnostic.area", None), ("diagnostic.subarea", None),
                      ("diagnostic.indicator", None)),
    demo=DemoLoader(20, demo.load),
    comparison=Comparison(order=10, metrics=METRICS, collect=exports.comparison_values, sections=("diagnostic",)),
)
