"""What finance offers the rest of the portal (see :mod:`portal.core.registry`)."""
import dataclasses
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.core.registry import (HIGHER, LOWER, C, Comparison, Dataset, DemoLoader, Domain, Metric, N_,
                                  Topic)
from portal.core.sections import Section
from portal.finance import (debt_demo, debt_exports, debt_history, demo, execution, execution_demo,
                            execution_labels, exports, file_words, history_labels, home, revenue_demo, revenue_exports,
                            revenue_history, services, sources)

DIRECTIONS_ES = (("revenue", "ingreso"), ("expenditure", "gasto"))
PHASES_ES = (("approved", "aprobado"), ("adjusted", "modificado"), ("executed", "ejecutado"))
# Coded values in the Spanish files (snake_case words; the English files keep the codes).
UNITS_ES = (("ratio", "razon"), ("money", "monto"))
COMPARISONS_ES = (("higher", "mayor"), ("lower", "menor"))
INDICATOR_STATES_ES = (("meets", "cumple"), ("fails", "no_cumple"), ("no_threshold", "sin_umbral"),
                       ("not_computable", "no_calculable"))
GROUPS_ES = (("potencial", "potencial"), ("reforma", "reforma"), ("medida", "medida"))
METHODS_ES = (("french", "cuota_fija"), ("constant", "amortizacion_constante"))


def _reason_es(reason: str) -> str:
    """Why an indicator has no value, in Spanish words ("Falta el dato: Saldo de la deuda"),
    whatever the language of the page that asked for the Spanish file."""
    with force_locale("es"):
        return file_words.reason_words(reason)


def _d(*values):
    return tuple(Decimal(v) for v in values)


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
        exports.budget_lines, "finance.index", fiscal=True, periodicity="R/P1Y", package=exports.fiscal_package),
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
         C("status", "estado", spanish=INDICATOR_STATES_ES),
         C("reason", "motivo", spanish=_reason_es),
         C("formula", "formula")),
        exports.financial_indicators, "finance.dashboard", periodicity="R/P1Y", file_row=exports.indicator_file_row),
    Dataset(
        "ejecucion-mensual", N_("Ejecución mensual del presupuesto"), "Monthly budget execution",
        N_("Lo devengado y lo percibido o pagado cada mes, por código del presupuesto (importes del mes, no "
           "acumulados)."),
        "finance", "ECON", "ECON", ("ejecución", "presupuesto", "finanzas municipales", "mensual"),
        (C("year", "anio", "year", "Fiscal year", "date:fiscal-year"),
         C("month", "mes", "integer", "Month, 1-12"),
         C("code", "codigo", "string", "Budget line code", "economic-classification:generic:level2:code"),
         C("rubro", "rubro", "string", "Classifier group (rubro) of the line",
           "economic-classification:generic:level1:code"),
         C("accrued", "devengado", "number", "Accrued in the month, two decimals"),
         C("cash", "percibido_pagado", "number", "Collected (income) or paid (expense) in the month, two decimals"),
         C("currency", "moneda", "string", "ISO 4217 currency code")),
        execution.dataset_rows, "finance_execution.execution", fiscal=True, periodicity="R/P1M",
        package=exports.fiscal_package),
    # revenue potential and the cost of services (portal.finance.revenue*, costs*)
    Dataset(
        "ingresos-potenciales", N_("Ingresos potenciales"), "Revenue potential",
        N_("Lo que el municipio deja de cobrar por cada servicio e impuesto y lo que aportarían reformas de "
           "tarifas y medidas de cobro: una fila por año y concepto, con sus datos y los importes calculados "
           "(redondeados al centavo al final de cada fila)."),
        "finance", "ECON", "ECON", ("ingresos potenciales", "tasas", "mora", "finanzas municipales"),
        (C("year", "anio", "year", "Year of the figures", "date:fiscal-year"),
         C("group", "grupo", "string", "potencial (a service or tax), reforma (a fee reform) or medida "
                                       "(a collection measure)", "", ("potencial", "reforma", "medida"), GROUPS_ES),
         C("code", "codigo", "string", "Budget line code"), C("name", "nombre"),
         C("collected", "percibido", "number"), C("accrued", "devengado", "number"),
         C("payers", "contribuyentes", "integer"), C("monthly_payment", "pago_mensual", "number"),
         C("arrears_balance", "saldo_mora", "number"), C("recovery_rate", "tasa_recuperacion", "number",
                                                          "A fraction (0.1 is 10 %)"),
         C("rate", "tasa", "number", "A fraction of the potencial rows' collected total"),
         C("foregone", "dejado_de_cobrar", "number", "accrued - collected"),
         C("additional", "adicional", "number", "payers x monthly_payment x 12"),
         C("arrears_recovery", "recuperacion_mora", "number", "arrears_balance x recovery_rate"),
         C("measure", "medida", "number", "reforma: payers x monthly_payment x 12; medida: rate x collected"),
         C("total", "total", "number", "The row's amount a year")),
        revenue_exports.revenue_rows, "finance.revenue", periodicity="R/P1Y"),
    Dataset(
        "costos-servicios", N_("Costo de los servicios"), "Cost of services",
        N_("Lo que cuesta cada servicio (costos directos por tipo y su parte de los indirectos), lo que se cobra "
           "por él, el subsidio por hogar y al mes, y la tarifa que cubriría su costo."),
        "finance", "ECON", "ECON", ("costos", "servicios municipales", "subsidio", "tarifas"),
        (C("year", "anio", "year", "Year of the study", "date:fiscal-year"), C("code", "codigo"),
         C("name", "nombre"), C("households", "hogares", "integer"),
         C("staff", "personal", "number"), C("supplies", "insumos", "number"), C("fuel", "combustible", "number"),
         C("disposal", "disposicion_final", "number"), C("other", "otros", "number"),
         C("direct", "directos", "number"), C("indirect", "indirectos", "number", "Allocated by the study's key"),
         C("cost", "costo", "number"), C("accrued", "devengado", "number"), C("collected", "percibido", "number"),
         C("subsidy", "subsidio", "number", "cost - collected"),
         C("subsidy_accrued", "subsidio_devengado", "number", "cost - accrued"),
         C("per_household", "subsidio_por_hogar", "number", "A year"),
         C("per_household_month", "subsidio_por_hogar_mes", "number"),
         C("covering_fee", "tarifa_que_cubre", "number", "Monthly fee per household that covers the cost"),
         C("cost_recovery", "recuperacion_costo", "number", "collected / cost")),
        revenue_exports.cost_rows, "finance.costs", periodicity="R/P1Y"),
    # loans and supplier payment plans (portal.finance.debt*)
    Dataset(
        "deuda", N_("Deuda por préstamo y año"), "Debt by loan and year",
        N_("Cada préstamo publicado, año por año desde su desembolso hasta su vencimiento: lo desembolsado, "
           "los intereses, la amortización y el servicio pagados en el año y el saldo al 31 de diciembre."),
        "finance", "ECON", "ECON", ("deuda", "préstamos", "finanzas municipales", "debt"),
        (C("loan", "prestamo", "string", "Loan name"), C("lender", "acreedor", "string", "Lender"),
         C("year", "anio", "year", "Year"),
         C("disbursed", "desembolsado", "number", "Disbursed in the year, two decimals"),
         C("interest", "intereses", "number", "Interest paid in the year, two decimals"),
         C("principal", "amortizacion", "number", "Principal repaid in the year, two decimals"),
         C("service", "servicio", "number", "Debt service (interest + principal), two decimals"),
         C("balance", "saldo", "number", "Balance at 31 December, two decimals"),
         C("rate", "tasa", "number", "Annual interest rate, a fraction (0.06 is 6 %)"),
         C("method", "metodo", "string", "french (fixed instalment) or constant (constant amortization)",
           "", ("french", "constant"), METHODS_ES),
         C("currency", "moneda", "string", "ISO 4217 currency code")),
        debt_exports.loan_years, "finance.debt_page", fiscal=True, periodicity="R/P1Y",
        package=exports.fiscal_package),
    Dataset(
        "planes-de-pago-proveedores", N_("Planes de pago a proveedores"), "Supplier payment plans",
        N_("Cada cuota acordada de una deuda con un proveedor: su vencimiento, su monto, lo pagado y el año del pago."),
        "finance", "ECON", "ECON", ("proveedores", "deuda de corto plazo", "finanzas municipales"),
        (C("supplier", "proveedor", "string", "Supplier"), C("due_year", "anio_vencimiento", "year", "Year due"),
         C("due_month", "mes_vencimiento", "integer", "Month due (1-12)"),
         C("amount", "monto", "number", "Agreed instalment, two decimals"),
         C("paid", "pagado", "number", "Paid of the instalment, two decimals"),
         C("paid_year", "anio_pago", "integer", "Year it was paid (empty if unpaid)"),
         C("currency", "moneda", "string", "ISO 4217 currency code")),
        debt_exports.supplier_instalments, "finance.debt_page", periodicity="R/P1M"),
)

METRICS = (
    Metric("finance.autonomia_financiera", "Autonomía financiera", "finance", "ratio", HIGHER,
           _d("0.35", "0.25", "0.15"), 365, headline=True, finance_code="autonomia_financiera",
           title=_l("Autonomía financiera"), family_title=_l("Finanzas"), default=True),  # most publish it
    Metric("finance.gasto_personal", "Índice de gasto en personal", "finance", "ratio", LOWER,
           _d("0.35", "0.45", "0.5"), 365, finance_code="gasto_personal",
           title=_l("Índice de gasto en personal"), family_title=_l("Finanzas")),
    Metric("finance.participacion_inversion", "Participación de la inversión", "finance", "ratio", HIGHER,
           _d("0.4", "0.3", "0.2"), 365, finance_code="participacion_inversion",
           title=_l("Participación de la inversión"), family_title=_l("Finanzas")),
    Metric("finance.ejecucion_ingresos", "Ejecución del presupuesto de ingresos", "finance", "ratio", HIGHER,
           _d("0.95", "0.85", "0.7"), 365, headline=True, finance_code="ejecucion_ingresos",
           title=_l("Ejecución del presupuesto de ingresos"), family_title=_l("Finanzas")),
    Metric("finance.ejecucion_egresos", "Ejecución del presupuesto de gastos", "finance", "ratio", HIGHER,
           _d("0.95", "0.85", "0.7"), 365, finance_code="ejecucion_egresos",
           title=_l("Ejecución del presupuesto de gastos"), family_title=_l("Finanzas")),
)


def _load_demo():
    """Intipucá's finances, in the order they read each other: the budgets and scenario; the
    months of execution (which read them); revenue potential and the cost study; the loan
    (whose facts complete the budget)."""
    demo.load()
    execution_demo.load()
    revenue_demo.load()
    revenue_demo.load_costs()
    debt_demo.load()


DOMAIN = Domain(
    key="finance",
    record_labels=(history_labels.register_all, revenue_history.register_all, execution_labels.register_all,
                   debt_history.register_all),
    order=10,
    sections=(Section(
        key="finance", title=_l("Finanzas"), endpoint="finance.index", order=20,
        has_data=services.has_published,
        empty_text=_l("Este municipio todavía no publica su presupuesto."),
        description=_l("Presupuesto, ejecución e indicadores de salud financiera."), figure=home.figure,
        manage="finance.manage", work=home.work),),
    sources=sources.sources(),
    datasets=DATASETS,
    topics=(Topic("finance", ("finance",)),),
    record_sections=(("finance", _l("Finanzas")),),
    cached_endpoints=(("finance.index", None), ("finance.scenarios", None), ("finance.scenario", None),
                      ("finance.dashboard", None), ("finance.indicator", None),
                      ("finance_execution.execution", None), ("finance_execution.method", None),
                      ("finance.revenue", None), ("finance.costs", None)),
    # before the diagnostic and roadmap demos read its sources
    demo=DemoLoader(15, _load_demo),
    comparison=Comparison(order=20, metrics=METRICS, collect=exports.comparison_values, capacity=exports.capacity,
                          sections=("finance",)),
)


# ---- the fiscal semáforo (portal.finance.semaforo): shown by the comparisons -------------

from portal.finance import semaforo  # noqa: E402 - this section's own


def _semaforo_declaration(domain: Domain) -> Domain:
    """Finance's comparison with the platform-wide fiscal semáforo."""
    return dataclasses.replace(domain, comparison=dataclasses.replace(domain.comparison,
                                                                      semaforo=semaforo.DECLARATION))


DOMAIN = _semaforo_declaration(DOMAIN)
