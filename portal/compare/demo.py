"""Demo: labelled example municipalities in El Salvador with plausible capacity inputs
and two years of budget aggregates, the real Intipucá's inputs, an example national
index, and a first refresh of the comparison table.

The example budgets are dated the two years before the current one, so they stay fresh.
Everything but Intipucá's own published data is fictitious and labelled as an example
("(ejemplo)" in the name, ``is_example``); figures are rounded, plausible values for
small Salvadoran municipalities, not measurements.
"""
from datetime import date
from decimal import Decimal as D

from portal.compare import external, services
from portal.municipalities import services as municipalities

SOURCE = "Perfiles de ejemplo (datos ficticios)"
# slug, name, department, population, code, urban share, poverty,
# (years before this one, own revenue, total income, budget approved, budget accrued, payroll, investment) x 2
EXAMPLES = [
    ("ejemplo-sv-cerro", "Cerro Azul (ejemplo)", "Morazán", 3900, "EJ01", "0.22", "0.58",
     [(-2, 52000, 980000, 1010000, 930000, 310000, 420000), (-1, 61000, 1010000, 1040000, 990000, 318000, 470000)]),
    ("ejemplo-sv-laguna", "La Laguna (ejemplo)", "Chalatenango", 4600, "EJ02", "0.30", "0.49",
     [(-2, 88000, 1150000, 1200000, 1080000, 460000, 380000), (-1, 84000, 1130000, 1210000, 1010000, 480000, 330000)]),
    ("ejemplo-sv-sanjuan", "San Juan del Río (ejemplo)", "Usulután", 12800, "EJ03", "0.41", "0.37",
     [(-2, 410000, 2600000, 2750000, 2480000, 1050000, 900000), (-1, 455000, 2700000, 2800000, 2650000, 1080000, 1010000)]),
    ("ejemplo-sv-puerto", "Puerto Viejo (ejemplo)", "La Libertad", 24500, "EJ04", "0.68", "0.24",
     [(-2, 1650000, 5200000, 5600000, 5050000, 2050000, 1550000), (-1, 1820000, 5500000, 5800000, 5350000, 2120000, 1700000)]),
    ("ejemplo-sv-valle", "Valle Verde (ejemplo)", "Santa Ana", 61000, "EJ05", "0.77", "0.19",
     [(-2, 6100000, 14800000, 15500000, 14100000, 6800000, 3900000), (-1, 6350000, 15400000, 16100000, 14600000, 7300000, 3700000)]),
    ("ejemplo-sv-ciudad", "Ciudad Nueva (ejemplo)", "San Salvador", 132000, "EJ06", "0.93", "0.12",
     [(-2, 21500000, 41000000, 43000000, 39500000, 17800000, 10200000), (-1, 23100000, 43500000, 45000000, 42100000, 18900000, 11300000)]),
]
# Intipucá's own inputs (population from the municipality; these two are labelled estimates).
INTIPUCA = dict(urban_share=D("0.35"), poverty_rate=D("0.32"),
                source="Estimaciones de ejemplo para la demostración (no son cifras oficiales)")
OTHER_EXAMPLES = {"ejemplo-bo": ("0.45", "0.40"), "exemplo-br": ("0.71", "0.28"), "ejemplo-pe": ("0.62", "0.31")}
INDEX_CSV = """codigo_municipio,indicador,periodo,valor,banda,escala_min,escala_max,compara_con
1411,Índice de gestión municipal (ejemplo),2023,0.38,Bajo,0,1,diagnostic.global
EJ01,Índice de gestión municipal (ejemplo),2023,0.52,Medio,0,1,diagnostic.global
EJ03,Índice de gestión municipal (ejemplo),2023,0.61,Medio,0,1,
EJ04,Índice de gestión municipal (ejemplo),2023,0.66,Medio alto,0,1,
EJ06,Índice de gestión municipal (ejemplo),2023,0.81,Alto,0,1,
"""


def _finance(municipality, years):
    from portal.finance import services as fin

    if fin.budget_years(municipality, published_only=False):
        return
    for offset, own, income, approved, accrued, payroll, investment in years:
        row = fin.ensure_year(municipality, date.today().year + offset)
        row.note = "Datos ficticios de ejemplo"
        facts = {"ingresos_propios_devengado": own, "ingresos_totales_devengado": income,
                 "ingresos_totales_presupuestado": approved, "egresos_totales_presupuestado": approved,
                 "egresos_totales_devengado": accrued, "gastos_corrientes_devengado": payroll * 2,
                 "remuneraciones_devengado": payroll, "inversion_devengado": investment,
                 "ingresos_totales_percibido": income,
                 "ingresos_corrientes_percibido": own + (income - own) * 45 // 100}
        for name, value in facts.items():
            fin.set_fact(municipality, row, name, D(value))
    fin.db.session.flush()
    for row in fin.budget_years(municipality, published_only=False):
        fin.publish_year(municipality, row)


# slug: [(years before this one, score for every indicator, verified), ...]: example
# self-assessments; Cerro Azul's latest was not checked by a verifier (it shows the badge).
ASSESSMENTS = {
    "ejemplo-sv-cerro": [(-2, 41, True), (-1, 63, False)],
    "ejemplo-sv-laguna": [(-2, 47, True), (-1, 52, True)],
    "ejemplo-sv-sanjuan": [(-1, 58, True)],
    "ejemplo-sv-puerto": [(-2, 66, True), (-1, 64, True)],
    "ejemplo-sv-ciudad": [(-1, 78, True)],
}


def _diagnostic(municipality, assessments):
    from portal.diagnostic import services as diag

    if diag.assessments(municipality):
        return
    intipuca = municipalities.get_by_slug("intipuca")
    catalog = diag.adopted_catalog(intipuca) if intipuca is not None else None
    if catalog is None or catalog.municipality_id is not None:
        return
    diag.adopt(municipality, catalog)
    for offset, value, verified in assessments:
        assessment = diag.create_assessment(municipality, catalog, date(date.today().year + offset, 6, 30),
                                            "Autoevaluación de ejemplo (datos ficticios)")
        for score in diag.staff_result(municipality, assessment).scores.values():
            score.state, score.value = diag.SCORED, D(value)
        diag.submit(municipality, assessment)
        if verified:
            diag.verify(municipality, assessment)
        diag.publish(municipality, assessment)


def load():
    for slug, name, department, population, code, urban, poverty, years in EXAMPLES:
        municipality = municipalities.get_by_slug(slug)
        if municipality is None:
            municipality = municipalities.create(
                slug, name, "SV", department=department, population=population, currency="USD",
                locale="es_SV", timezone="America/El_Salvador", is_example=True, code=code)
        if services.profile_of(municipality) is None:
            services.declare_inputs(municipality, urban_share=D(urban), poverty_rate=D(poverty), source=SOURCE)
        _finance(municipality, years)
        if slug in ASSESSMENTS:
            _diagnostic(municipality, ASSESSMENTS[slug])
    intipuca = municipalities.get_by_slug("intipuca")
    if intipuca is not None and services.profile_of(intipuca) is None:
        services.declare_inputs(intipuca, **INTIPUCA)
    for slug, (urban, poverty) in OTHER_EXAMPLES.items():
        municipality = municipalities.get_by_slug(slug)
        if municipality is not None and services.profile_of(municipality) is None:
            services.declare_inputs(municipality, urban_share=D(urban), poverty_rate=D(poverty), source=SOURCE)
    if not external.comparisons():
        external.import_file(INDEX_CSV.encode(), "indice-ejemplo.csv", source="Índice Nacional de Gestión (ejemplo)",
                             published_on=date(2024, 3, 1), country="SV")
    services.refresh()
