"""Intipucá's public finances from its Plan de Rescate Financiero Municipal (PRFM 2014-2018).

2012 is the plan's baseline, stated as aggregates and facts (the plan gives no lines
for it); 2013 is given by rubro, one executed amount each, stored here as accrued and
as collected/paid. Where the plan states only a sum (pasivo circulante + deuda de corto
plazo + intereses; ahorro operacional + intereses del ejercicio anterior) the sum is
stored in the first fact and the others are zero. The projection rules use the plan's
stated rates (5 % impuestos, 3 % other own revenue, 1.84 % national transfers) and
illustrative per-line expense rates; the one-off "Reforma a la ordenanza de tasas"
and the 2014 arrears recovery come from the plan.
"""
from decimal import Decimal as D

from portal.finance import projections, services
from portal.municipalities.services import get_by_slug

FACTS_2011 = {"ingresos_operacionales_devengado": "998282.64"}
FACTS_2012 = {
    "ingresos_propios_devengado": "183958.81", "ingresos_totales_devengado": "1064147.34",
    "tasas_percibido": "164206.30", "impuestos_percibido": "10744.10", "ingresos_propios_percibido": "183958.81",
    "ingresos_corrientes_percibido": "403965.98", "gastos_corrientes_devengado": "559389.67",
    "egresos_totales_devengado": "1147992.55", "remuneraciones_devengado": "230021.95",
    "gastos_corrientes_presupuestado": "627717.78", "inversion_devengado": "411881.65",
    "inversion_infraestructura_devengado": "392912.50", "servicio_deuda_devengado": "176470.20",
    "pasivo_circulante": "12439.38", "deuda_corto_plazo": "0", "intereses": "0",
    "ahorro_operacional": "495822.26", "intereses_ejercicio_anterior": "0", "saldo_deuda": "441931.81",
    "ingresos_totales_presupuestado": "1411742.93", "egresos_totales_presupuestado": "1411742.93",
    "mora_impuestos": "5748.06", "mora_tasas": "50834.36",
}
LINES_2013 = [
    ("11", "Impuestos", "10744.10", ""), ("12", "Tasas y derechos", "164054.84", ""),
    ("14", "Venta de bienes y servicios", "151.46", ""), ("15", "Ingresos financieros y otros", "9008.42", ""),
    ("16", "Transferencias corrientes (FODES 25 %)", "224054.76", ""), ("21", "Venta de activos fijos", "160.00", ""),
    ("22", "Transferencias de capital (FODES 75 %)", "672164.28", ""),
    ("51", "Remuneraciones", "268238.99", ""), ("54", "Adquisiciones de bienes y servicios", "249756.34", ""),
    ("55", "Gastos financieros y otros", "59381.45", ""), ("56", "Transferencias corrientes", "7971.06", ""),
    ("61", "Inversiones en activos fijos", "495693.74", "infraestructura"),
    ("71", "Amortización de endeudamiento público", "139200.11", ""),
]
SCENARIO = "PRFM 2014-2018"
R = projections.Rule
RULES = [
    R("11", "percentage", 2014, 2018, rate=D("0.05"), name="Impuestos"),
    R("12", "percentage", 2014, 2018, rate=D("0.03"), name="Tasas y derechos"),
    R("14", "percentage", 2014, 2018, rate=D("0.03"), name="Venta de bienes y servicios"),
    R("15", "percentage", 2014, 2018, rate=D("0.03"), name="Ingresos financieros y otros"),
    R("16", "percentage", 2014, 2018, rate=D("0.0184"), name="Transferencias corrientes (FODES 25 %)"),
    R("22", "percentage", 2014, 2018, rate=D("0.0184"), name="Transferencias de capital (FODES 75 %)"),
    R("11.MORA", "direct", 2014, 2014, amount=D("5748.06") * D("0.05"), name="Recuperación de mora de impuestos"),
    R("12.MORA", "direct", 2014, 2014, amount=D("50834.36") * D("0.10"), name="Recuperación de mora de tasas"),
    R("12.RO", "oneoff", 2015, None, amount=D("130784.38"), name="Reforma a la ordenanza de tasas"),
    R("51", "percentage", 2014, 2018, rate=D("0.02"), name="Remuneraciones"),
    R("54", "percentage", 2014, 2018, rate=D("-0.02"), name="Adquisiciones de bienes y servicios"),
    R("55", "percentage", 2014, 2015, rate=D("-0.05"), name="Gastos financieros y otros"),
    R("55", "percentage", 2016, 2018, rate=D("-0.50"), name="Gastos financieros y otros"),
    R("61", "percentage", 2014, 2018, rate=D("0.0184"), name="Inversiones en activos fijos"),
    R("71", "direct", 2016, 2018, amount=D("0"), name="Amortización de endeudamiento público"),
]


def load():
    municipality = get_by_slug("intipuca")
    if municipality is None or services.get_scenario(municipality, name=SCENARIO, published_only=False,
                                                     full=False) is not None:
        return  # already loaded
    for year, facts in ((2011, FACTS_2011), (2012, FACTS_2012)):
        row = services.ensure_year(municipality, year)
        row.note = "Plan de Rescate Financiero Municipal 2014-2018: línea base"
        for name, value in facts.items():
            services.set_fact(municipality, row, name, D(value))
    row = services.ensure_year(municipality, 2013)
    row.note = "Plan de Rescate Financiero Municipal 2014-2018: año base de las proyecciones"
    for code, name, amount, tags in LINES_2013:
        services.set_line(municipality, row, code, name, {"accrued": D(amount), "cash": D(amount)}, tags.split())
    services.db.session.flush()
    for row in services.budget_years(municipality, published_only=False):
        if row.year in (2011, 2012, 2013):
            services.publish_year(municipality, row)
    services.run_projection(municipality, SCENARIO, 2013, RULES, publish=True,
                            description="Proyección del Plan de Rescate Financiero Municipal de Intipucá")
