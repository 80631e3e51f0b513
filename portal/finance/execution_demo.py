"""Intipucá's monthly execution for the demo: 2012 and 2013 (the seasonality) and twelve
months of 2014, its current year in the plan.

Illustrative: the plan gives no monthly figures. Each rubro's annual amount is spread
over the months by a profile (investment back-loaded, the rest even); December takes
what the rounding left, so 2013's months add up to the plan's 2013 figures to the cent.
2012 is 2013 at 97 %; 2014 follows the plan's growth rates, with investment executed at
97 % of the projection and fees (rubro 12) collected at 92 % of what was accrued: the
collection efficiency, met in 2013, fails at the 2014 close, the demo's one warning.
"""
from decimal import ROUND_HALF_UP, Decimal as D

from portal.finance import demo, monthly_import, semaforo
from portal.municipalities import services as municipalities

CENT = D("0.01")
EVEN = (1,) * 12
INVESTMENT = {2012: (2, 3, 5, 7, 8, 9, 9, 10, 11, 11, 12, 13), 2013: (3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 15),
              2014: (3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 15)}
GROWTH_2014 = {"11": D("1.05"), "12": D("1.03"), "14": D("1.03"), "15": D("1.03"), "16": D("1.0184"),
               "22": D("1.0184"), "51": D("1.02"), "54": D("0.98"), "55": D("0.95"),
               "61": D("1.0184") * D("0.97")}
FEES_COLLECTED_2014 = D("0.92")
YEARS = (2012, 2013, 2014)


def spread(total: D, weights) -> list[D]:
    """``total`` over twelve months by ``weights``, half-up to the cent; December takes the rest."""
    parts = [(total * w / sum(weights)).quantize(CENT, ROUND_HALF_UP) for w in weights[:11]]
    return parts + [total - sum(parts, D(0))]


def rows() -> list[tuple]:
    """(year, month, code, accrued, cash) for the three demo years."""
    out = []
    for code, _name, amount, _tags in demo.LINES_2013:
        base = D(amount)
        for year in YEARS:
            total = {2012: base * D("0.97"), 2013: base, 2014: base * GROWTH_2014.get(code, D(1))}[year]
            total = total.quantize(CENT, ROUND_HALF_UP)
            weights = INVESTMENT[year] if code == "61" else EVEN
            for month, accrued in enumerate(spread(total, weights), start=1):
                cash = accrued
                if year == 2014 and code == "12":
                    cash = (accrued * FEES_COLLECTED_2014).quantize(CENT, ROUND_HALF_UP)
                out.append((year, month, code, accrued, cash))
    return out


def load():
    municipality = municipalities.get_by_slug("intipuca")
    if municipality is None or monthly_import.get_year(municipality, 2014) is not None:
        return  # already loaded
    plan = monthly_import.MonthlyPlan(rows=rows(), preview={year: {} for year in YEARS})
    monthly_import.apply(municipality, plan, publish=True, tell=False)  # no e-mail from the demo
    semaforo.store(municipality)  # its light in the fiscal semáforo
