"""Intipucá's revenue potential from its Plan de Rescate Financiero Municipal ("Ingresos
Potenciales", figures of 2012), read through the importer from
``data/ingresos_potenciales_intipuca_2012.csv``: it reproduces the plan's table to the
cent (111,511.55 from services and taxes, 85,064.64 from fee reforms and collection
measures, 196,576.19 in all)."""
from decimal import Decimal
from pathlib import Path

from portal.finance import costs_import, costs_services, revenue_import, revenue_services
from portal.municipalities import services as municipalities

FILE = Path(__file__).parent / "data" / "ingresos_potenciales_intipuca_2012.csv"
YEAR = 2012


def load():
    municipality = municipalities.get_by_slug("intipuca")
    if municipality is None or revenue_services.get_study(municipality, YEAR, published_only=False) is not None:
        return  # already loaded
    plan = revenue_import.read(municipality, FILE.read_bytes(), FILE.name, YEAR)
    revenue_services.replace(municipality, YEAR, plan.rows, publish=True,
                             note="Plan de Rescate Financiero Municipal 2014-2018: ingresos potenciales")


COSTS = Path(__file__).parent / "data" / "costos_servicios_intipuca_2012.csv"
INDIRECT = Decimal("15000.00")


def load_costs():
    """An illustrative cost study (the plan publishes no cost study): the fees accrued and
    collected in 2012 are the plan's; the costs, households and the indirect pool are
    examples, said so in the study's note."""
    municipality = municipalities.get_by_slug("intipuca")
    if municipality is None or costs_services.get_study(municipality, YEAR, published_only=False) is not None:
        return
    plan = costs_import.read(municipality, COSTS.read_bytes(), COSTS.name, YEAR, INDIRECT, "direct")
    costs_services.replace(municipality, YEAR, plan, publish=True,
                           note="Costos de ejemplo (el plan no publica su estudio de costos); devengado y percibido "
                                "de 2012 según el plan.")
