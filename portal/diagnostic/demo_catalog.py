"""The demo catalog: a complete methodology in the spirit of migestion (data only: pure).

Each area: (name, weight, sub-areas); each sub-area: (name, weight, indicators); each
indicator: (code, name, dimensions, weight). Dimension letters: E Eficiencia,
F Efectividad, T Transparencia, S Sostenibilidad, V Visión Estratégica;
``E:2`` tags with weight 2 (weights chosen to reproduce the published dimension scores).
The Gestión Financiera sub-area weights (4, 3, 3, 2, 1, 1) and gf11's weight 2 are
chosen so that the published January 2012 figures are reproduced.
"""

DIMENSION_LETTERS = {"E": "Eficiencia", "F": "Efectividad", "T": "Transparencia", "S": "Sostenibilidad",
                     "V": "Visión Estratégica"}

AREAS = [
    ("Inversión Pública", 1, [
        ("Planificación de la Inversión", 1, [
            ("ip01", "Existencia de un plan de inversión multianual vinculado al plan de desarrollo", "F", 1),
            ("ip02", "Priorización de proyectos con criterios técnicos y de demanda ciudadana", "V F", 1),
            ("ip03", "Banco de proyectos municipal actualizado", "E:2", 1),
            ("ip04", "Vinculación del plan de inversión con el presupuesto anual", "S:2", 1),
        ]),
        ("Formulación y Evaluación de Proyectos", 1, [
            ("ip05", "Proyectos con perfil técnico y estudio de prefactibilidad", "F", 1),
            ("ip06", "Evaluación socioeconómica de los proyectos de inversión", "S", 1),
            ("ip07", "Estimación de costos de operación y mantenimiento de las obras", "S:2", 1),
        ]),
        ("Ejecución de Obras", 1, [
            ("ip08", "Porcentaje del presupuesto de inversión ejecutado", "E", 1),
            ("ip09", "Obras concluidas en el plazo previsto", "F", 1),
            ("ip10", "Supervisión técnica de obras con bitácora", "E", 1),
            ("ip11", "Liquidación y recepción formal de obras", "T", 1),
        ]),
        ("Seguimiento y Control de la Inversión", 1, [
            ("ip12", "Sistema de seguimiento físico y financiero de proyectos", "E", 1),
            ("ip13", "Informes periódicos de avance al Concejo Municipal", "T", 1),
            ("ip14", "Evaluación ex post de proyectos terminados", "V", 1),
        ]),
        ("Participación Ciudadana en la Inversión", 1, [
            ("ip15", "Consulta ciudadana en la priorización de la inversión", "T", 1),
            ("ip16", "Contraloría social de obras", "T F", 1),
            ("ip17", "Rendición de cuentas sobre la inversión ejecutada", "T:2", 1),
        ]),
    ]),
    ("Gestión Financiera", 1, [
        ("Organización", 4, [
            ("gf01", "Estructura organizativa de la gestión financiera municipal", "E", 1),
            ("gf03", "Manual de organización y funciones del área financiera", "V", 1),
            ("gf04", "Personal financiero con perfil adecuado y capacitación", "S", 1),
        ]),
        ("Contabilidad y Registro de la Información", 3, [
            ("gf02", "Sistematización de la información financiera municipal", "E", 1),
            ("gf05", "Aplicación de los momentos presupuestarios de gastos como herramienta de gestión financiera",
             "E", 1),
            ("gf06", "Recepción de bienes o servicios y su vinculación al registro del devengado de egresos y la "
             "generación de la obligación de pago", "F", 1),
            ("gf08", "Calidad de registro y control de anticipos y pagos", "T", 1),
            ("gf09", "Porcentaje del presupuesto de gastos ejecutado por actividades no incluidas en el presupuesto",
             "S", 1),
            ("gf11", "Oportunidad del registro de los movimientos contables y disponibilidad de estados financieros",
             "T", 2),
            ("gf12", "Nivel de capacidad de cumplimiento de las obligaciones presupuestarias adquiridas", "S", 1),
            ("gf13", "Planificación de los pagos por bienes o servicios como parte de la gestión municipal", "V", 1),
            ("gf14", "Oportunidad de pago a proveedores", "F", 1),
        ]),
        ("Credibilidad del Presupuesto", 3, [
            ("gf07", "Desviación entre el gasto total ejecutado y el presupuesto aprobado", "F", 1),
            ("gf10", "Desviación entre los ingresos percibidos y los presupuestados", "S", 1),
            ("gf15", "Saldo y seguimiento de los atrasos en el pago de gastos", "E", 1),
        ]),
        ("Registro de Ingresos", 2, [
            ("gf16", "Registro diario y oportuno de los ingresos percibidos", "E", 1),
            ("gf17", "Conciliación bancaria mensual de las cuentas de ingresos", "T", 1),
        ]),
        ("Universalidad y Transparencia", 1, [
            ("gf18", "Publicación del presupuesto aprobado y sus modificaciones", "T", 1),
            ("gf19", "Información presupuestaria completa (ingresos, gastos y financiamiento)", "T", 1),
            ("gf20", "Acceso ciudadano a la información fiscal del municipio", "T", 1),
        ]),
        ("Escrutinio y Auditoría Externos", 1, [
            ("gf21", "Auditoría externa de la Corte de Cuentas sobre los estados financieros", "T", 1),
            ("gf22", "Seguimiento a las recomendaciones de auditoría", "F", 1),
        ]),
    ]),
    ("Gestión del Recaudo", 1, [
        ("Catastro y Registro de Contribuyentes", 1, [
            ("gr01", "Catastro de inmuebles y empresas actualizado", "F", 1),
            ("gr02", "Registro de contribuyentes sistematizado", "E:2", 1),
            ("gr03", "Cobertura del catastro respecto de los inmuebles del municipio", "S", 1),
        ]),
        ("Facturación y Cobro", 1, [
            ("gr04", "Emisión oportuna de estados de cuenta a los contribuyentes", "E", 1),
            ("gr05", "Canales de pago disponibles para el contribuyente", "F", 1),
            ("gr06", "Eficacia en la recaudación de tasas e impuestos", "F:2", 1),
        ]),
        ("Gestión de la Mora", 1, [
            ("gr07", "Registro y antigüedad de la mora tributaria", "T", 1),
            ("gr08", "Programa de recuperación de mora", "S:2", 1),
            ("gr09", "Porcentaje de mora recuperada en el año", "E", 1),
            ("gr10", "Notificación oportuna de la mora a los contribuyentes", "E:2", 1),
            ("gr11", "Convenios de pago con contribuyentes en mora", "E:2 F:2", 1),
        ]),
        ("Fiscalización Tributaria", 1, [
            ("gr12", "Plan anual de fiscalización de contribuyentes", "V", 1),
            ("gr13", "Inspecciones de campo realizadas", "F", 1),
        ]),
        ("Normativa Tributaria Municipal", 1, [
            ("gr14", "Ordenanza de tasas actualizada según costos de los servicios", "S:2", 1),
            ("gr15", "Publicación de las tarifas y tributos vigentes", "T", 1),
        ]),
    ]),
    ("Atención al Ciudadano", 1, [
        ("Ventanilla y Canales de Atención", 1, [
            ("ac01", "Ventanilla única de atención al ciudadano", "E", 1),
            ("ac02", "Horario de atención adecuado a las necesidades de la población", "F", 1),
            ("ac03", "Canales de atención no presenciales (teléfono, web, redes)", "V", 1),
        ]),
        ("Trámites y Tiempos de Respuesta", 1, [
            ("ac04", "Catálogo de trámites con requisitos y tiempos publicados", "T", 1),
            ("ac05", "Tiempo de respuesta de los trámites más frecuentes", "E", 1),
            ("ac06", "Simplificación de trámites en los últimos dos años", "V", 1),
        ]),
        ("Satisfacción Ciudadana", 1, [
            ("ac07", "Satisfacción de la población con los servicios municipales", "F", 1),
            ("ac08", "Medición periódica de la satisfacción ciudadana", "S", 1),
        ]),
        ("Quejas y Reclamos", 1, [
            ("ac09", "Sistema de registro de quejas y reclamos", "T", 1),
            ("ac10", "Reclamos resueltos dentro del plazo de servicio", "F", 1),
            ("ac11", "Respuesta al ciudadano sobre el resultado de su reclamo", "T", 1),
        ]),
    ]),
    ("Compras y Gestión de Activos", 1, [
        ("Planificación de Compras", 1, [
            ("ca01", "Plan anual de compras aprobado y publicado", "V", 1),
            ("ca02", "Vinculación del plan de compras con el presupuesto", "S", 1),
            ("ca03", "Unidad de adquisiciones (UACI) con personal capacitado", "E", 1),
        ]),
        ("Procesos de Adquisición", 1, [
            ("ca04", "Procesos de compra con competencia de ofertas", "E", 1),
            ("ca05", "Publicación de convocatorias y adjudicaciones", "T:2", 1),
            ("ca06", "Expedientes de compra completos", "T", 1),
            ("ca07", "Tiempo promedio de los procesos de compra", "E F", 1),
            ("ca08", "Registro de proveedores y evaluación de su desempeño", "F", 1),
        ]),
        ("Gestión de Contratos", 1, [
            ("ca09", "Administración y seguimiento de contratos", "F", 1),
            ("ca10", "Garantías de cumplimiento exigidas y custodiadas", "S:2", 1),
        ]),
        ("Inventario y Control de Activos", 1, [
            ("ca11", "Inventario de bienes muebles e inmuebles actualizado", "E:2", 1),
            ("ca12", "Registro de la propiedad de los inmuebles municipales", "F", 1),
            ("ca13", "Control del uso de vehículos y combustible", "F", 1),
        ]),
        ("Mantenimiento de Activos", 1, [
            ("ca14", "Plan de mantenimiento preventivo de instalaciones y equipos", "V", 1),
            ("ca15", "Presupuesto asignado al mantenimiento de activos", "S:2", 1),
        ]),
    ]),
]

# Indicators fed by other parts of the portal, with their published rules.
DERIVED = {
    "ac07": ("surveys.services_satisfaction", "", "linear", "0.3", "0.9",
             "Proporción de personas encuestadas satisfechas (0 a 1): 0,30 o menos puntúa 0; 0,90 o más puntúa 100."),
    "ac10": ("complaints.resolved_on_time", "", "linear", "0.4", "0.95",
             "Proporción de reclamos resueltos a tiempo (0 a 1): 0,40 o menos puntúa 0; 0,95 o más puntúa 100."),
}

# A checklist indicator (Mexico's guide style): score = weighted share of items met.
CHECKLISTS = {
    "gf18": ["Presupuesto aprobado publicado en el sitio web", "Modificaciones presupuestarias publicadas",
             "Informe de ejecución trimestral publicado", "Versión ciudadana del presupuesto"],
}
