"""The open datasets every municipality publishes: names, columns (English and Spanish),
types, themes and the source of their rows. This registry drives the downloads, the
Data Packages, the read API's dataset endpoints, the DCAT catalog, ``data.json`` and the
"Datos abiertos" pages, so they can never disagree.

Column names are stable contracts: ``name`` (English) and ``es`` (Spanish) never change
once published; new columns are only added at the end.
"""
from dataclasses import dataclass, field

from portal.opendata import sources


def N_(message: str) -> str:
    """Marks a Spanish title for the translation catalogs; the registry keeps it as written
    (pages and feeds show ``_(dataset.title)``)."""
    return message


@dataclass(frozen=True)
class Column:
    name: str  # English, snake_case
    es: str  # Spanish, snake_case
    type: str  # Table Schema type: string, integer, number, boolean, date, year
    description: str = ""
    column_type: str = ""  # Fiscal Data Package columnType
    enum: tuple = ()
    spanish: tuple = ()  # (code, Spanish word) of a coded column: the Spanish files say the word

    def value_in(self, value, lang: str):
        """``value`` as the file of language ``lang`` writes it: a code of a coded column
        becomes its Spanish word in the Spanish files (``revenue`` -> ``ingreso``); the
        English files, the JSON API and anything else keep the value."""
        if lang == "es" and self.spanish and isinstance(value, str):
            return dict(self.spanish).get(value, value)
        return value

    def enum_in(self, lang: str) -> list:
        return [self.value_in(v, lang) for v in self.enum if v]


@dataclass(frozen=True)
class Dataset:
    key: str  # URL name (Spanish), stable
    title: str  # Spanish (msgid)
    title_en: str
    description: str
    topic: str  # Atom topic of portal.opendata.services.TOPICS
    theme: str  # EU data theme (DCAT-AP): ECON, GOVE, SOCI
    super_theme: str  # Latin American profile super theme: ECON, GOVE, SOCI
    keywords: tuple
    columns: tuple
    rows: object = field(repr=False)  # callable(municipality) -> iterator of dicts
    page: str = ""  # endpoint of the page that shows the data
    fiscal: bool = False
    periodicity: str = "R/P1M"  # ISO 8601 repeating duration (accrualPeriodicity)
    skips: bool = False  # rows(municipality, offset=n) skips n rows in the database
    file_row: object = field(default=None, repr=False)  # callable(row) -> row as CSV/XLSX write it


    def column_names(self, lang: str = "es") -> list[str]:
        return [c.name if lang == "en" else c.es for c in self.columns]


def C(name, es, type="string", description="", column_type="", enum=(), spanish=()):
    return Column(name, es, type, description, column_type, tuple(enum), tuple(spanish))


DIRECTIONS_ES = (("revenue", "ingreso"), ("expenditure", "gasto"))
PHASES_ES = (("approved", "aprobado"), ("adjusted", "modificado"), ("executed", "ejecutado"))
# Coded values in the Spanish files (snake_case words; the English files keep the codes).
UNITS_ES = (("ratio", "razon"), ("money", "monto"))
COMPARISONS_ES = (("higher", "mayor"), ("lower", "menor"))
INDICATOR_STATES_ES = (("meets", "cumple"), ("fails", "no_cumple"), ("no_threshold", "sin_umbral"),
                       ("not_computable", "no_calculable"))
LEVELS_ES = (("composite", "compuesto"), ("dimension", "dimension"), ("area", "area"), ("subarea", "subarea"),
             ("indicator", "indicador"))
SCORE_STATES_ES = (("scored", "puntuado"), ("na", "no_aplica"), ("nr", "no_reportado"))
ACTIVITY_STATES_ES = (("not_started", "no_iniciada"), ("in_progress", "en_curso"), ("delayed", "atrasada"),
                      ("done", "realizada"))
TIMELINESS_ES = (("on_time", "a_tiempo"), ("late", "atrasada"), ("upcoming", "por_venir"), ("done", "realizada"))
CHANNELS_ES = (("online", "en_linea"), ("paper", "papel"), ("example", "ejemplo"), ("web", "web"),
               ("kiosk", "quiosco"))
QUESTION_KINDS_ES = (("scale", "escala"), ("rating", "calificacion"), ("single", "opcion_unica"),
                     ("multiple", "opcion_multiple"), ("short_text", "texto_corto"), ("long_text", "texto_largo"),
                     ("matrix", "matriz"))
REPORT_STATES_ES = (("received", "recibido"), ("in_progress", "en_proceso"), ("fixed", "resuelto"),
                    ("not_ours", "no_corresponde"), ("wont_fix", "no_se_resolvera"), ("duplicate", "duplicado"))
CONFIRMATIONS_ES = (("yes", "si"), ("no", "no"), ("partly", "en_parte"))


DATASETS = (
    Dataset(
        "presupuesto", N_("Presupuesto por partida"), "Budget lines",
        N_("Cada partida del presupuesto publicado, en formato largo: una fila por año, dirección (ingreso o gasto), "
           "fase (aprobado, modificado, ejecutado) y partida, con el nombre local de la fase."),
        "finance", "ECON", "ECON", ("presupuesto", "finanzas municipales", "ingresos", "gastos", "budget"),
        (C("year", "anio", "year", "Fiscal year", "date:fiscal-year"),
         C("direction", "direccion", "string", "revenue or expenditure (ingreso o gasto in the Spanish files)", "direction",
           ("revenue", "expenditure", ""), DIRECTIONS_ES),
         C("phase", "fase", "string", "approved, adjusted or executed (aprobado, modificado, ejecutado in the Spanish files)",
           "phase", ("approved", "adjusted", "executed"), PHASES_ES),
         C("local_phase", "fase_local", "string", "presupuestado, modificado, devengado, percibido or pagado"),
         C("phase_code", "codigo_fase", "string", "approved, modified, accrued or cash (the portal's phase)",
           "", ("approved", "modified", "accrued", "cash")),
         C("code", "codigo", "string", "Budget line code", "economic-classification:generic:level2:code"),
         C("name", "nombre", "string", "Budget line name", "economic-classification:generic:level2:label"),
         C("rubro", "rubro", "string", "Classifier group (rubro) of the line",
           "economic-classification:generic:level1:code"),
         C("amount", "monto", "number", "Amount in the currency, two decimals", "value"),
         C("currency", "moneda", "string", "ISO 4217 currency code")),
        sources.budget_lines, "finance.index", fiscal=True, periodicity="R/P1Y"),
    Dataset(
        "indicadores-financieros", N_("Indicadores financieros"), "Financial indicators",
        N_("Cada indicador financiero para cada año con cifras: valor, umbral, dirección y estado."),
        "finance", "ECON", "ECON", ("indicadores", "salud financiera", "finanzas municipales"),
        (C("year", "anio", "year"), C("code", "codigo"), C("name", "nombre"),
         C("value", "valor", "number", "Value (ratio or amount): exact in the JSON API; in the files rounded to "
                                          "the places it is shown with (3 for a ratio shown as a percentage, "
                                          "2 otherwise)"), C("unit", "unidad", spanish=UNITS_ES),
         C("threshold", "umbral", "number"), C("direction", "direccion", "string", "Comparison with the threshold: >= or <=; higher or lower "
                                                   "(mayor, menor in the Spanish files)", spanish=COMPARISONS_ES),
         C("status", "estado", spanish=INDICATOR_STATES_ES), C("reason", "motivo"), C("formula", "formula")),
        sources.financial_indicators, "finance.dashboard", periodicity="R/P1Y", file_row=sources.indicator_file_row),
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
        sources.diagnostic_scores, "diagnostic.overview", periodicity="R/P1Y"),
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
        sources.roadmap_activities, "roadmap.index"),
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
        sources.budgeting_results, "budgeting.index"),
    Dataset(
        "papeletas", N_("Papeletas anónimas del presupuesto participativo"), "Participatory budgeting ballots",
        N_("Papeletas anónimas de los procesos con resultados publicados (también en formato pabulib por proceso)."),
        "budgeting", "GOVE", "GOVE", ("presupuesto participativo", "papeletas", "pabulib"),
        (C("process_id", "proceso_id", "integer"), C("ballot", "papeleta", "integer"),
         C("choices", "elecciones", "string", "Project ids as pabulib's vote column (with points where scored)"),
         C("channel", "canal", spanish=CHANNELS_ES), C("district", "distrito")),
        sources.budgeting_ballots, "budgeting.index"),
    Dataset(
        "encuestas", N_("Respuestas de encuestas"), "Survey responses",
        N_("Respuestas anónimas de las encuestas con resultados públicos, una fila por respuesta y pregunta; textos "
           "libres solo moderados y redactados."),
        "surveys", "SOCI", "SOCI", ("encuestas", "satisfacción", "servicios"),
        (C("survey_id", "encuesta_id", "integer"), C("response", "respuesta", "integer"), C("date", "fecha", "date"),
         C("district", "distrito"), C("channel", "canal", spanish=CHANNELS_ES),
         C("example", "ejemplo", "boolean"), C("question", "pregunta"), C("kind", "tipo", spanish=QUESTION_KINDS_ES), C("item", "item"), C("value", "valor")),
        sources.survey_responses, "surveys.index"),
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
        sources.complaints, "complaints.index", periodicity="R/P1D", skips=True),
)

BY_KEY = {d.key: d for d in DATASETS}


def get(key: str) -> Dataset | None:
    return BY_KEY.get(key)
