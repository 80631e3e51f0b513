"""What revenue potential and the cost of services add to finance's declaration
(:mod:`portal.finance.manifest`): two open datasets, their cached pages, their demo."""
from portal.core.registry import N_, C, Dataset
from portal.finance import revenue_demo, revenue_exports

GROUPS_ES = (("potencial", "potencial"), ("reforma", "reforma"), ("medida", "medida"))
DATASETS = (
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
)
CACHED_ENDPOINTS = (("finance.revenue", None), ("finance.costs", None))


def with_demo(load):
    """Finance's demo loader followed by Intipucá's revenue potential and cost study."""
    def demo():
        load()
        revenue_demo.load()
        revenue_demo.load_costs()
    return demo
