"""What complaints offer the rest of the portal (see :mod:`portal.core.registry`)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.core.registry import CHANNELS_ES, HIGHER, C, Comparison, Dataset, DemoLoader, Domain, Metric, N_, Topic
from portal.core.sections import Section
from portal.participation.complaints import demo, exports, history_labels, home, services, sources

REPORT_STATES_ES = (("received", "recibido"), ("in_progress", "en_proceso"), ("fixed", "resuelto"),
                    ("not_ours", "no_corresponde"), ("wont_fix", "no_se_resolvera"), ("duplicate", "duplicado"))
CONFIRMATIONS_ES = (("yes", "si"), ("no", "no"), ("partly", "en_parte"))

DATASETS = (
    Dataset(
        "reclamos", N_("Reclamos y solicitudes"), "Complaints and service requests",
        N_("Reclamos anónimos: servicio, distrito, estado, fechas y tiempos de resolución; sin nombres, correos, "
           "teléfonos, coordenadas, direcciones ni textos libres."),
        "complaints", "GOVE", "GOVE", ("reclamos", "servicios", "311"),
        (C("id", "id", "integer"), C("created_at", "fecha", "date"), C("category_code", "codigo_servicio"),
         C("category", "servicio"), C("district", "distrito"), C("neighbourhood", "barrio"),
         C("status", "estado", spanish=REPORT_STATES_ES),
         C("closed_at", "fecha_cierre", "date"), C("days_to_resolve", "dias_resolucion", "number"),
         C("service_days", "dias_servicio", "integer"), C("overdue", "vencido", "boolean"),
         C("supports", "apoyos", "integer"), C("reopen_count", "reaperturas", "integer"),
         C("confirmation", "confirmacion", spanish=CONFIRMATIONS_ES), C("channel", "canal", spanish=CHANNELS_ES)),
        exports.reports, "complaints.index", periodicity="R/P1D", skips=True),
)

METRICS = (
    Metric("complaints.resolved_on_time", "Reclamos resueltos dentro del plazo", "complaints", "ratio", HIGHER,
           tuple(Decimal(v) for v in ("0.9", "0.75", "0.5")), 90, headline=True,
           title=_l("Reclamos resueltos dentro del plazo"), family_title=_l("Reclamos")),
)

DOMAIN = Domain(
    key="complaints",
    record_labels=(history_labels.register_all,),
    cached_endpoints=(("complaints.index", None),),  # the complaints home: the published categories and a GET form (no CSRF token)
    order=60,
    sections=(Section(
        key="complaints", title=_l("Reclamos y solicitudes"), endpoint="complaints.index", order=70,
        has_data=services.has_categories,
        empty_text=_l("Este municipio todavía no recibe reclamos en línea."),
        description=_l("Reporte un problema de los servicios municipales y siga su atención hasta el final."),
        actions=home.actions, figure=home.figure, manage="complaints_staff.inbox", work=home.work),),
    sources=sources.SOURCES,
    datasets=DATASETS,
    topics=(Topic("complaints", ("complaints",)),),
    record_sections=(("complaints", _l("Reclamos")),),
    demo=DemoLoader(70, demo.load),
    comparison=Comparison(order=30, metrics=METRICS, collect=exports.comparison_values, sections=("complaints",)),
)
