"""Intipucá's revenue potential from its Plan de Rescate Financiero Municipal ("Ingresos
Potenciales", figures of 2012), read through the importer from
``data/ingresos_potenciales_intipuca_2012.csv``: it reproduces the plan's table to the
cent (111,511.55 from services and taxes, 85,064.64 from fee reforms and collection
measures, 196,576.19 in all)."""
from pathlib import Path

from portal.finance import revenue_import, revenue_services

FILE = Path(__file__).parent / "data" / "ingresos_potenciales_intipuca_2012.csv"
YEAR = 2012


def load():
    from portal.municipalities.services import get_by_slug

    municipality = get_by_slug("intipuca")
    if municipality is None or revenue_services.get_study(municipality, YEAR, published_only=False) is not None:
        return  # already loaded
    plan = revenue_import.read(municipality, FILE.read_bytes(), FILE.name, YEAR)
    revenue_services.replace(municipality, YEAR, plan.rows, publish=True,
                             note="Plan de Rescate Financiero Municipal 2014-2018: ingresos potenciales")
