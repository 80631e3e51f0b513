"""What participatory budgeting offers the rest of the portal (see :mod:`portal.core.registry`)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.core.registry import (CHANNELS_ES, HIGHER, C, Calendar, Comparison, Dataset, DemoLoader, Domain, Metric,
                                  N_, Topic)
from portal.core.sections import Section
from portal.participation.budgeting import demo, exports, history_labels, home, services

DATASETS = (
    Dataset(
        "presupuesto-participativo", N_("Resultados del presupuesto participativo"), "Participatory budgeting results",
        N_("Cada conteo publicado de cada proceso: votos, puntaje, costo y si el proyecto resultó elegido, con el "
           "motivo."),
        "budgeting", "GOVE", "GOVE", ("presupuesto participativo", "votación", "proyectos"),
        (C("process_id", "proceso_id", "integer"), C("process", "proceso"), C("year", "anio", "integer"),
         C("rule", "regla"), C("official", "oficial", "boolean", "the process's own rule"),
         C("project", "proyecto"), C("title", "titulo"), C("cost", "costo", "number"), C("district", "distrito"),
         C("votes", "votos", "integer"), C("score", "puntaje", "integer"), C("selected", "elegido", "boolean"),
         C("reason_code", "codigo_motivo")),
        exports.results, "budgeting.index"),
    Dataset(
        "papeletas", N_("Papeletas anónimas del presupuesto participativo"), "Participatory budgeting ballots",
        N_("Papeletas anónimas de los procesos con resultados publicados (también en formato pabulib por proceso)."),
        "budgeting", "GOVE", "GOVE", ("presupuesto participativo", "papeletas", "pabulib"),
        (C("process_id", "proceso_id", "integer"), C("ballot", "papeleta", "integer"),
         C("choices", "elecciones", "string", "Project ids as pabulib's vote column (with points where scored)"),
         C("channel", "canal", spanish=CHANNELS_ES), C("district", "distrito")),
        exports.ballots, "budgeting.index"),
)

METRICS = (
    Metric("participation.turnout", "Participación en el presupuesto participativo (votantes por habitante)",
           "participation", "ratio", HIGHER, tuple(Decimal(v) for v in ("0.15", "0.08", "0.03")), 365,
           title=_l("Participación en el presupuesto participativo (votantes por habitante)"), family_title=_l("Participación")),
)

DOMAIN = Domain(
    key="budgeting",
    record_labels=(history_labels.register_all,),
    cached_endpoints=(("budgeting.index", None),),  # the list of processes: published processes and their phase (by the day)
    order=40,
    sections=(Section(
        key="budgeting", title=_l("Presupuesto participativo"), endpoint="budgeting.index", order=55,
        has_data=services.has_processes,
        empty_text=_l("Todavía no hay procesos de presupuesto participativo publicados."),
        description=_l("Propuestas, votación y obras elegidas por los vecinos."),
        actions=home.actions, manage="budgeting.admin", work=home.work),),
    datasets=DATASETS,
    topics=(Topic("budgeting", ("budgeting",)),),
    record_sections=(("budgeting", _l("Presupuesto participativo")),),
    demo=DemoLoader(80, demo.load),
    calendar=Calendar(10, exports.calendar_events, exports.highlights),
    comparison=Comparison(order=50, metrics=METRICS, collect=exports.comparison_values, sections=("budgeting",)),
)
