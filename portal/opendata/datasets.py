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


    def column_names(self, lang: str = "es") -> list[str]:
        return [c.name if lang == "en" else c.es for c in self.columns]


def C(name, es, type="string", description="", column_type="", enum=()):
    return Column(name, es, type, description, column_type, tuple(enum))


DATASETS = (
    Dataset(
        "presupuesto", N_("Presupuesto por partida"), "Budget lines",
        "Cada partida del presupuesto publicado, en formato largo: una fila por año, dirección (ingreso o gasto), "
        "fase (aprobado, modificado, ejecutado) y partida, con el nombre local de la fase.",
        "finance", "ECON", "ECON", ("presupuesto", "finanzas municipales", "ingresos", "gastos", "budget"),
        (C("year", "anio", "year", "Fiscal year", "date:fiscal-year"),
         C("direction", "direccion", "string", "revenue or expenditure", "direction", ("revenue", "expenditure", "")),
         C("phase", "fase", "string", "approved, adjusted or executed", "phase", ("approved", "adjusted", "executed")),
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
        "Cada indicador financiero para cada año con cifras: valor, umbral, dirección y estado.",
        "finance", "ECON", "ECON", ("indicadores", "salud financiera", "finanzas municipales"),
        (C("year", "anio", "year"), C("code", "codigo"), C("name", "nombre"),
         C("value", "valor", "number", "Exact value (ratio or amount)"), C("unit", "unidad"),
         C("threshold", "umbral", "number"), C("direction", "direccion", "string", "Comparison with the threshold: >= or <="),
         C("status", "estado"), C("reason", "motivo"), C("formula", "formula")),
        sources.financial_indicators, "finance.dashboard", periodicity="R/P1Y"),
    Dataset(
        "diagnostico", N_("Puntajes del diagnóstico de gestión"), "Management diagnostic scores",
        "Puntajes de cada evaluación publicada: compuestos, dimensiones, áreas, subáreas e indicadores, con su banda.",
        "diagnostic", "GOVE", "GOVE", ("diagnóstico", "gestión municipal", "desempeño"),
        (C("assessment_date", "fecha_evaluacion", "date"), C("verified", "verificada", "boolean"),
         C("catalog_version", "version_catalogo"),
         C("level", "nivel", "string", "composite, dimension, area, subarea or indicator"),
         C("code", "codigo"), C("name", "nombre"), C("parent", "padre"), C("weight", "peso", "number"),
         C("score", "puntaje", "number", "0 to 100, exact"), C("band", "banda"), C("state", "estado"),
         C("not_reported", "no_reportados")),
        sources.diagnostic_scores, "diagnostic.overview", periodicity="R/P1Y"),
    Dataset(
        "hoja-de-ruta", N_("Actividades de la hoja de ruta"), "Roadmap activities",
        "Cada actividad de cada plan publicado: período, responsable, costo, fuente de financiamiento, avance y "
        "puntualidad.",
        "roadmap", "GOVE", "GOVE", ("hoja de ruta", "plan de acción", "actividades", "seguimiento"),
        (C("plan_id", "plan_id", "integer"), C("plan", "plan"), C("activity_id", "actividad_id", "integer"),
         C("number", "numero"), C("parent_id", "padre_id", "integer"), C("horizon", "horizonte"),
         C("action", "accion"), C("area", "area"), C("title", "titulo"), C("start", "inicio", "date"),
         C("end", "fin", "date"), C("period", "periodo"), C("responsible", "responsable"),
         C("cost", "costo", "number"), C("currency", "moneda"), C("funding_source", "fuente_financiamiento"),
         C("status", "estado"), C("done", "realizada", "boolean"), C("progress", "avance", "number", "Percentage 0-100"),
         C("timeliness", "puntualidad"), C("actual_cost", "costo_real", "number")),
        sources.roadmap_activities, "roadmap.index"),
    Dataset(
        "presupuesto-participativo", N_("Resultados del presupuesto participativo"), "Participatory budgeting results",
        "Cada conteo publicado de cada proceso: votos, puntaje, costo y si el proyecto resultó elegido, con el "
        "motivo.",
        "budgeting", "GOVE", "GOVE", ("presupuesto participativo", "votación", "proyectos"),
        (C("process_id", "proceso_id", "integer"), C("process", "proceso"), C("year", "anio", "integer"),
         C("rule", "regla"), C("official", "oficial", "boolean", "the process's own rule"),
         C("project", "proyecto"), C("title", "titulo"), C("cost", "costo", "number"), C("district", "distrito"),
         C("votes", "votos", "integer"), C("score", "puntaje", "integer"), C("selected", "elegido", "boolean"),
         C("reason_code", "codigo_motivo")),
        sources.budgeting_results, "budgeting.index"),
    Dataset(
        "papeletas", N_("Papeletas anónimas del presupuesto participativo"), "Participatory budgeting ballots",
        "Papeletas anónimas de los procesos con resultados publicados (también en formato pabulib por proceso).",
        "budgeting", "GOVE", "GOVE", ("presupuesto participativo", "papeletas", "pabulib"),
        (C("process_id", "proceso_id", "integer"), C("ballot", "papeleta", "integer"),
         C("choices", "elecciones", "string", "Project ids as pabulib's vote column (with points where scored)"),
         C("channel", "canal"), C("district", "distrito")),
        sources.budgeting_ballots, "budgeting.index"),
    Dataset(
        "encuestas", N_("Respuestas de encuestas"), "Survey responses",
        "Respuestas anónimas de las encuestas con resultados públicos, una fila por respuesta y pregunta; textos "
        "libres solo moderados y redactados.",
        "surveys", "SOCI", "SOCI", ("encuestas", "satisfacción", "servicios"),
        (C("survey_id", "encuesta_id", "integer"), C("response", "respuesta", "integer"), C("date", "fecha", "date"),
         C("district", "distrito"), C("channel", "canal"), C("example", "ejemplo", "boolean"),
         C("question", "pregunta"), C("kind", "tipo"), C("item", "item"), C("value", "valor")),
        sources.survey_responses, "surveys.index"),
    Dataset(
        "reclamos", N_("Reclamos y solicitudes"), "Complaints and service requests",
        "Reclamos anónimos: servicio, distrito, estado, fechas y tiempos de resolución; sin nombres, correos, "
        "teléfonos, coordenadas, direcciones ni textos libres.",
        "complaints", "GOVE", "GOVE", ("reclamos", "servicios", "311"),
        (C("id", "id", "integer"), C("created_at", "fecha", "date"), C("category_code", "codigo_servicio"),
         C("category", "servicio"), C("district", "distrito"), C("neighbourhood", "barrio"), C("status", "estado"),
         C("closed_at", "fecha_cierre", "date"), C("days_to_resolve", "dias_resolucion", "number"),
         C("service_days", "dias_servicio", "integer"), C("overdue", "vencido", "boolean"),
         C("supports", "apoyos", "integer"), C("reopen_count", "reaperturas", "integer"),
         C("confirmation", "confirmacion"), C("channel", "canal")),
        sources.complaints, "complaints.index", periodicity="R/P1D", skips=True),
)

BY_KEY = {d.key: d for d in DATASETS}


def get(key: str) -> Dataset | None:
    return BY_KEY.get(key)
