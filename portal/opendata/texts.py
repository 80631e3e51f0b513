"""The English texts of the machine-read files, in the language of the page that shows them.

The Data Packages, the CSV dictionaries and the OpenAPI document (``/api/v1/openapi.json``)
describe columns and endpoints in English and stay exactly as they are: tools and
harvesters read them. A dataset's page and the API reference (``/api/v1/docs``) show the
same texts in the reader's language: each English text maps here to a Spanish message id,
translated by the catalogs like every other message (the English catalog gives the
English text back). Keys are the English texts with whitespace folded, so a changed
docstring or column description no longer finds its message and the tests fail until
this table follows (``tests/opendata/test_page_texts.py``).

In a message, a ````literal```` is an identifier (a parameter, a JSON property, a value
in a file): the page shows it as code, never translated.
"""
import re

from markupsafe import Markup, escape

from portal.core.registry import N_  # marks a Spanish message id for the catalogs

# Table Schema types of the dataset columns, as words.
TYPES = {
    "string": N_("texto"),
    "integer": N_("número entero"),
    "number": N_("número"),
    "boolean": N_("sí o no"),
    "date": N_("fecha"),
    "year": N_("año"),
}

# Column descriptions of portal.opendata.datasets (the 4th argument of each C(...)).
COLUMNS = {
    "Year of the figures":
        N_("Año de las cifras"),
    "potencial (a service or tax), reforma (a fee reform) or medida (a collection measure)":
        N_("potencial (un servicio o impuesto), reforma (una reforma de tarifa) o medida (una medida de cobro)"),
    "A fraction (0.1 is 10 %)":
        N_("Una fracción (0.1 es el 10 por ciento)"),
    "A fraction of the potencial rows' collected total":
        N_("Una fracción de lo percibido por las filas «potencial»"),
    "accrued - collected":
        N_("devengado − percibido"),
    "payers x monthly_payment x 12":
        N_("contribuyentes × pago mensual × 12"),
    "arrears_balance x recovery_rate":
        N_("saldo en mora × tasa de recuperación"),
    "reforma: payers x monthly_payment x 12; medida: rate x collected":
        N_("reforma: contribuyentes × pago mensual × 12; medida: tasa × percibido"),
    "The row's amount a year":
        N_("El importe anual de la fila"),
    "Year of the study":
        N_("Año del estudio"),
    "Allocated by the study's key":
        N_("Repartidos según la clave del estudio"),
    "cost - collected":
        N_("costo − percibido"),
    "cost - accrued":
        N_("costo − devengado"),
    "A year":
        N_("Al año"),
    "Monthly fee per household that covers the cost":
        N_("Tarifa mensual por hogar que cubre el costo"),
    "collected / cost":
        N_("percibido / costo"),
    "Fiscal year":
        N_("Año fiscal"),
    "revenue or expenditure (ingreso o gasto in the Spanish files)":
        N_("Ingreso o gasto"),
    "approved, adjusted or executed (aprobado, modificado, ejecutado in the Spanish files)":
        N_("Presupuesto aprobado, modificado o ejecutado"),
    "presupuestado, modificado, devengado, percibido or pagado":
        N_("Nombre local de la fase: presupuestado, modificado, devengado, percibido o pagado"),
    "approved, modified, accrued or cash (the portal's phase)":
        N_("La fase del portal: aprobado, modificado, devengado o percibido"),
    "Budget line code":
        N_("Código de la partida"),
    "Budget line name":
        N_("Nombre de la partida"),
    "Classifier group (rubro) of the line":
        N_("Grupo del clasificador (rubro) de la partida"),
    "Amount in the currency, two decimals":
        N_("Monto en la moneda, con dos decimales"),
    "Month, 1-12":
        N_("Mes, de 1 a 12"),
    "Accrued in the month, two decimals":
        N_("Devengado en el mes, con dos decimales"),
    "Collected (income) or paid (expense) in the month, two decimals":
        N_("Percibido (ingresos) o pagado (egresos) en el mes, con dos decimales"),
    "ISO 4217 currency code":
        N_("Código de moneda ISO 4217"),
    ("Value (ratio or amount): exact in the JSON API; in the files rounded to the places it is shown "
     "with (3 for a ratio shown as a percentage, 2 otherwise)"):
        N_("Valor (razón o monto): exacto en la API JSON; en los archivos, redondeado a los decimales con "
           "que se muestra (3 para una razón mostrada como porcentaje, 2 en los demás casos)"),
    "Comparison with the threshold: >= or <=; higher or lower (mayor, menor in the Spanish files)":
        N_("Comparación con el umbral: >= o <=; mayor o menor (``higher`` o ``lower`` en los archivos en "
           "inglés)"),
    "composite, dimension, area, subarea or indicator":
        N_("Compuesto, dimensión, área, subárea o indicador"),
    "0 to 100, exact":
        N_("De 0 a 100, exacto"),
    "Percentage 0-100":
        N_("Porcentaje de 0 a 100"),
    "the process's own rule":
        N_("La regla propia del proceso"),
    "Project ids as pabulib's vote column (with points where scored)":
        N_("Identificadores de los proyectos, como en la columna ``vote`` de pabulib (con puntos donde se "
           "puntúa)"),
    # finance: loans and supplier plans (portal.finance.manifest)
    "Loan name": N_("Nombre del préstamo"),
    "Lender": N_("Acreedor"),
    "Year": N_("Año"),
    "Disbursed in the year, two decimals": N_("Desembolsado en el año, con dos decimales"),
    "Interest paid in the year, two decimals": N_("Intereses pagados en el año, con dos decimales"),
    "Principal repaid in the year, two decimals": N_("Amortización pagada en el año, con dos decimales"),
    "Debt service (interest + principal), two decimals": N_("Servicio de la deuda (intereses + amortización), con dos decimales"),
    "Balance at 31 December, two decimals": N_("Saldo al 31 de diciembre, con dos decimales"),
    "Annual interest rate, a fraction (0.06 is 6 %)": N_("Tasa de interés anual, como fracción (0.06 es 6 %)"),
    "french (fixed instalment) or constant (constant amortization)": N_("``french`` (cuota fija) o ``constant`` (amortización constante)"),
    "Supplier": N_("Proveedor"),
    "Year due": N_("Año de vencimiento"),
    "Month due (1-12)": N_("Mes de vencimiento (1-12)"),
    "Agreed instalment, two decimals": N_("Cuota acordada, con dos decimales"),
    "Paid of the instalment, two decimals": N_("Lo pagado de la cuota, con dos decimales"),
    "Year it was paid (empty if unpaid)": N_("Año en que se pagó (vacío si no se pagó)"),
}

# Descriptions of the OpenAPI document: view docstrings (folded, without ``:query`` lines),
# parameter descriptions and the document's own description.
API = {
    "The municipality's published participatory-budgeting processes: phases, dates and budget.":
        N_("Los procesos de presupuesto participativo publicados del municipio: fases, fechas y presupuesto."),
    "One change of the municipality's change record: what changed, when, by which role, and its hash chain position.":
        N_("Un cambio del registro de cambios del municipio: qué cambió, cuándo, con qué rol y su lugar en la cadena de hashes."),
    "The municipality's published action plans, each with its number of activities.":
        N_("Los planes de acción publicados del municipio, cada uno con su número de actividades."),
    "One published action plan: its activities with dates, cost, progress and timeliness, and the plan's totals.":
        N_("Un plan de acción publicado: sus actividades con fechas, costo, avance y puntualidad, y los totales del plan."),
    "A published year's revenue potential: each row with its computed amounts, subtotals per group and the total.":
        N_("Los ingresos potenciales de un año publicado: cada fila con sus importes calculados, los subtotales por grupo y el total."),
    "A published year's cost study: each service's costs, its subsidy and the fee that would cover its cost.":
        N_("El estudio de costos de un año publicado: los costos de cada servicio, su subsidio y la tarifa que cubriría su costo."),
    "the year of the figures (e.g. 2012; the latest published by default)":
        N_("el año de las cifras (por ejemplo 2012; por omisión, el último publicado)"),
    "The read API's entry point: where its OpenAPI document is.":
        N_("El punto de entrada de la API de lectura: dónde está su documento OpenAPI."),
    "Signed checkpoints of every change-record chain (the platform's too): the file a monitor saves.":
        N_("Puntos de control firmados de cada cadena del registro de cambios (también la de la plataforma): "
           "el archivo que guarda quien la vigila."),
    "Every municipality's open datasets, a page at a time.":
        N_("Los conjuntos de datos abiertos de todos los municipios, una página a la vez."),
    "items per page (1-1000, default 100)":
        N_("elementos por página (de 1 a 1000; 100 por omisión)"),
    "items to skip":
        N_("elementos que se saltan"),
    "ISO 3166 code, e.g. SV":
        N_("código ISO 3166, por ejemplo ``SV``"),
    "finance, diagnostic, roadmap, budgeting, surveys or complaints":
        N_("``finance``, ``diagnostic``, ``roadmap``, ``budgeting``, ``surveys`` o ``complaints``"),
    "This reference, as a page: every path, its parameters and the fields of its answer.":
        N_("Esta referencia, como página: cada ruta, sus parámetros y los campos de su respuesta."),
    "Every municipality on the portal.":
        N_("Todos los municipios del portal."),
    "the previous answer's ``next`` (keyset paging; preferred)":
        N_("el ``next`` de la respuesta anterior (paginación por clave; la preferida)"),
    "page number (1-based)":
        N_("número de página (desde 1)"),
    "items per page (at most 500)":
        N_("elementos por página (500 como máximo)"),
    "0 for a CSV without the UTF-8 byte-order mark (for programs that do not skip it)":
        N_("``0`` para un CSV sin la marca de orden de bytes de UTF-8 (para los programas que no la saltan)"),
    "csv for a CSV download":
        N_("``csv`` para descargar un CSV"),
    "``csv`` for a CSV download":
        N_("``csv`` para descargar un CSV"),
    "The published result of a process under one rule.":
        N_("El resultado publicado de un proceso según una regla."),
    "the counting rule (greedy, mes, ...); the process's own by default":
        N_("la regla de conteo (``greedy``, ``mes``, ...); por omisión, la del proceso"),
    "Signed checkpoints of the municipality's change record, newest first, with the public key.":
        N_("Puntos de control firmados del registro de cambios del municipio, los más recientes primero, con "
           "la clave pública."),
    "The services residents can report on, with their service level in days.":
        N_("Los servicios sobre los que los vecinos pueden reclamar, con su plazo de atención en días."),
    ("Statistics of the reports received in the 12 months before a date, overall and per service. "
     "Ratios are exact decimal strings between 0 and 1; days are fractional days."):
        N_("Estadísticas de los reclamos recibidos en los 12 meses anteriores a una fecha, en total y por "
           "servicio. Las proporciones son decimales exactos escritos como texto, entre 0 y 1; los días "
           "admiten fracciones."),
    "the date (YYYY-MM-DD), today by default":
        N_("la fecha (AAAA-MM-DD); hoy por omisión"),
    "csv for the per-service rows as CSV":
        N_("``csv`` para las filas por servicio en CSV"),
    "The municipality's open datasets, with their columns, licence, dates and download links.":
        N_("Los conjuntos de datos abiertos del municipio, con sus columnas, licencia, fechas y enlaces de "
           "descarga."),
    ("One dataset's rows as JSON, a page at a time; decimals are exact strings, dates ISO. Any column "
     "(English name) filters by equality, e.g. ``?year=2024&direction=expenditure``."):
        N_("Las filas de un conjunto de datos en JSON, una página a la vez; los decimales son textos exactos "
           "y las fechas, ISO. Cualquier columna (nombre en inglés) filtra por igualdad, por ejemplo "
           "``?year=2024&direction=expenditure``."),
    "rows per page (1-1000, default 100)":
        N_("filas por página (de 1 a 1000; 100 por omisión)"),
    "rows to skip (default 0)":
        N_("filas que se saltan (0 por omisión)"),
    "The dataset as CSV with English column names.":
        N_("El conjunto de datos en CSV, con los nombres de columna en inglés."),
    "The dataset as an XLSX workbook with English column names.":
        N_("El conjunto de datos como libro XLSX, con los nombres de columna en inglés."),
    "The dataset as CSV: UTF-8, dot decimals, ISO dates, Spanish column names.":
        N_("El conjunto de datos en CSV: UTF-8, punto decimal, fechas ISO, nombres de columna en español."),
    "en for English column names":
        N_("``en`` para los nombres de columna en inglés"),
    "The dataset as an XLSX workbook, Spanish column names.":
        N_("El conjunto de datos como libro XLSX, con los nombres de columna en español."),
    ("The dataset's Frictionless Data Package (Table Schema of both CSVs; Fiscal Data Package for the "
     "budget)."):
        N_("El Frictionless Data Package del conjunto de datos (Table Schema de ambos CSV; Fiscal Data "
           "Package para el presupuesto)."),
    "The published diagnostic: areas, sub-areas and indicators with their scores.":
        N_("El diagnóstico publicado: áreas, subáreas e indicadores con sus puntajes."),
    "an assessment's id or date (YYYY-MM-DD); the latest by default":
        N_("el id o la fecha (AAAA-MM-DD) de una evaluación; por omisión, la más reciente"),
    "The budget of a published year: its lines, facts and totals by phase.":
        N_("El presupuesto de un año publicado: sus partidas, datos y totales por fase."),
    "the year (e.g. 2024; the latest published by default)":
        N_("el año (por ejemplo 2024; por omisión, el último publicado)"),
    "The financial indicators of a year, measured or projected in a scenario.":
        N_("Los indicadores financieros de un año, medidos o proyectados en un escenario."),
    "the year (e.g. 2024; the latest by default)":
        N_("el año (por ejemplo 2024; por omisión, el último)"),
    "a published scenario's name, for projected years":
        N_("el nombre de un escenario publicado, para los años proyectados"),
    "The published projection scenarios, with their base year and projected years.":
        N_("Los escenarios de proyección publicados, con su año base y sus años proyectados."),
    "Projected budget lines of a published scenario: one amount per line and year.":
        N_("Las partidas proyectadas de un escenario publicado: un monto por partida y año."),
    "only this projected year (e.g. 2016)":
        N_("solo este año proyectado (por ejemplo 2016)"),
    "Every municipality's fiscal traffic light, from its monthly execution, with its reasons.":
        N_("La luz de cada municipio en el semáforo fiscal, según su ejecución mensual, con sus motivos."),
    "``red``, ``amber``, ``green`` or ``no_data``":
        N_("``red``, ``amber``, ``green`` o ``no_data``"),
    ("Monthly execution to date against the budget and past years, the projected close with its range, and "
     "the early warnings."):
        N_("La ejecución mensual a la fecha frente al presupuesto y a años anteriores, el cierre proyectado con "
           "su rango y las alertas tempranas."),
    "the last month counted, 1-12 (the latest reported by default)":
        N_("el último mes que se cuenta, de 1 a 12 (por omisión, el último publicado)"),
    "Published surveys of the municipality, with their state and whether results are public.":
        N_("Las encuestas publicadas del municipio, con su estado y si sus resultados son públicos."),
    ("A survey's results: per question n, counts, shares, and the mean with its 95 % interval (decimal "
     "strings; null with fewer than two answers or when they are all equal); per service for a matrix; "
     "moderated texts. 404 until results are public. Below ``min_count`` responses (setting "
     "``SURVEY_MIN_COUNT``, 5) ``withheld`` is true and ``questions`` is empty."):
        N_("Los resultados de una encuesta: por pregunta, ``n``, conteos, proporciones y la media con su "
           "intervalo del 95 % (decimales como texto; ``null`` con menos de dos respuestas o cuando todas "
           "son iguales); por servicio en una matriz; textos moderados. Responde 404 mientras los resultados "
           "no sean públicos. Con menos de ``min_count`` respuestas (ajuste ``SURVEY_MIN_COUNT``, 5) "
           "``withheld`` es ``true`` y ``questions`` está vacío."),
    "The OpenAPI 3 document of this API, generated from its routes.":
        N_("El documento OpenAPI 3 de esta API, generado a partir de sus rutas."),
    "Open311 GeoReport v2 discovery: the endpoint, its specification and formats.":
        N_("Descubrimiento de Open311 GeoReport v2: el punto de acceso, su especificación y sus formatos."),
    ("Open311 GeoReport v2: service requests, newest first; without dates the last 90 days, a longer "
     "span is clamped to 90 days from its start; at most 1,000 a page."):
        N_("Open311 GeoReport v2: solicitudes de servicio, las más recientes primero; sin fechas, los "
           "últimos 90 días; un lapso más largo se recorta a 90 días desde su inicio; como máximo 1000 por "
           "página."),
    "required when the portal serves several municipalities: the municipality's slug, e.g. intipuca":
        N_("obligatorio cuando el portal atiende a varios municipios: el identificador del municipio en las "
           "direcciones, por ejemplo ``intipuca``"),
    "ids separated by commas (overrides every other filter)":
        N_("ids separados por comas (anula todos los demás filtros)"),
    "service codes separated by commas":
        N_("códigos de servicio separados por comas"),
    "open, closed, or both separated by a comma":
        N_("``open``, ``closed`` o ambos separados por una coma"),
    "W3C date-time, e.g. 2026-01-31T00:00:00Z":
        N_("fecha y hora W3C, por ejemplo ``2026-01-31T00:00:00Z``"),
    "W3C date-time":
        N_("fecha y hora W3C"),
    "page number (1-based; an extension)":
        N_("número de página (desde 1; una extensión)"),
    "requests per page, 1-1000 (an extension)":
        N_("solicitudes por página, de 1 a 1000 (una extensión)"),
    "true for FixMyStreet's extended attributes":
        N_("``true`` para los atributos extendidos de FixMyStreet"),
    "Open311 GeoReport v2: one service request.":
        N_("Open311 GeoReport v2: una solicitud de servicio."),
    "FixMyStreet's extension: public updates (status changes, public notes, confirmations) in a window.":
        N_("Extensión de FixMyStreet: las actualizaciones públicas (cambios de estado, notas públicas, "
           "confirmaciones) en un lapso."),
    "W3C date-time (the last 90 days without dates)":
        N_("fecha y hora W3C (sin fechas, los últimos 90 días)"),
    "Open311 GeoReport v2: the municipality's services (complaint categories).":
        N_("Open311 GeoReport v2: los servicios del municipio (categorías de reclamos)."),
    "Open311 GeoReport v2: the extra questions (attributes) of one service.":
        N_("Open311 GeoReport v2: las preguntas adicionales (atributos) de un servicio."),
    "Open311 GeoReport v2: the service request id of a tracking token.":
        N_("Open311 GeoReport v2: el id de la solicitud de servicio de un código de seguimiento."),
    ("Everything the portal publishes, as JSON. Decimals are exact strings. Open datasets "
     "(/api/v1/municipalities/{slug}/datasets/...) page with ?limit= and ?offset= and give "
     "next/previous links, filter by any column, and download as CSV, XLSX and a Data Package; other "
     "lists page with ?page= and ?per_page=, and many also answer ?format=csv. Complaints are also "
     "served by the Open311 GeoReport v2 endpoints under /open311/v2/ (JSON or XML by the path's "
     "extension; POST requests with an API key are described in docs/complaints.md)."):
        N_("Todo lo que publica el portal, en JSON. Los decimales son textos exactos. Los conjuntos de datos "
           "abiertos (``/api/v1/municipalities/{slug}/datasets/...``) se paginan con ``?limit=`` y "
           "``?offset=`` y dan enlaces ``next``/``previous``, se filtran por cualquier columna y se "
           "descargan en CSV, XLSX y como Data Package; las demás listas se paginan con ``?page=`` y "
           "``?per_page=``, y muchas también responden a ``?format=csv``. Los reclamos también se sirven por "
           "los puntos de acceso de Open311 GeoReport v2 bajo ``/open311/v2/`` (JSON o XML según la "
           "extensión de la ruta; las solicitudes POST con clave de API se describen en "
           "``docs/complaints.md``)."),
    ("Published loans with their amortization by year, the debt added up by year, supplier payment plans and "
     "the country's legal limits checked for every year (actual and, with a scenario, projected)."):
        N_("Los préstamos publicados con su amortización por año, la deuda sumada por año, los planes de pago a "
           "proveedores y los límites legales del país revisados para cada año (real y, con un escenario, "
           "proyectado)."),
}

# The description of each column filter of a dataset's rows (``openapi._filters``).
FILTER = re.compile(r"^filter: rows whose (\w+) equals this \(datasets: ([^()]*)\)$")
FILTER_MESSAGE = N_("filtro: las filas cuyo ``%(name)s`` es igual a este valor (conjuntos de datos: %(datasets)s)")
LITERAL = re.compile(r"``(.+?)``")


def fold(text: str) -> str:
    return " ".join(text.split())


def message(text: str) -> tuple[str, dict] | None:
    """The Spanish message id of an English text of the files or the OpenAPI document,
    with the values it takes; ``None`` for a text this table does not know (and for "")."""
    text = fold(text or "")
    found = COLUMNS.get(text) or API.get(text)
    if found:
        return found, {}
    match = FILTER.match(text)
    if match:
        keys = ", ".join(f"``{key}``" for key in match.group(2).split(", "))
        return FILTER_MESSAGE, {"name": match.group(1), "datasets": keys}
    return None


def literals(text: str) -> Markup:
    """``text`` escaped, each ````literal```` as code marked not to be translated."""
    return Markup(LITERAL.sub(r'<code translate="no">\1</code>', str(escape(text))))


def shown(text: str, gettext) -> Markup:
    """``text`` as a page shows it: its message through ``gettext`` (the request's
    language), literals as code. A text without a message is shown as written, marked
    as English."""
    found = message(text)
    if found is None:
        return Markup('<span lang="en">%s</span>') % text if text else Markup("")
    msgid, values = found
    return literals(gettext(msgid, **values))


def type_name(kind: str) -> str:
    """The Spanish message id of a Table Schema type (the type itself if unknown)."""
    return TYPES.get(kind, kind)
