"""The rows of the revenue-potential and cost-of-services open datasets (published
tables only), keyed by the English column names declared in
:mod:`portal.finance.manifest`: the same figures as the pages and the API."""
from portal.finance import costs_services, revenue_reports, revenue_services
from portal.finance.projections import cents

REVENUE_COLUMNS = ("year", "group", "code", "name", "collected", "accrued", "payers", "monthly_payment",
                   "arrears_balance", "recovery_rate", "rate", "foregone", "additional", "arrears_recovery",
                   "measure", "total")
COST_COLUMNS = ("year", "code", "name", "households", "staff", "supplies", "fuel", "disposal", "other",
                "direct", "indirect", "cost", "accrued", "collected", "subsidy", "subsidy_accrued",
                "per_household", "per_household_month", "covering_fee", "cost_recovery")


def revenue_rows(municipality):
    """Every row of every published year, with its computed amounts."""
    for study in revenue_services.studies(municipality):
        for computed in revenue_services.table(study).rows:
            yield revenue_reports.item(study.year, computed)


def cost_rows(municipality):
    """Every service of every published cost study, with its cost, subsidy and covering fee."""
    for study in costs_services.studies(municipality):
        for r in costs_services.computed(study).services:
            s = r.service
            yield {"year": study.year, "code": s.code, "name": s.name, "households": s.households,
                   **{k: cents(getattr(s, k)) for k in ("staff", "supplies", "fuel", "disposal", "other", "accrued",
                                                        "collected")},  # as written, to the cent on every database
                   **{k: getattr(r, k) for k in ("direct", "indirect", "cost", "subsidy", "subsidy_accrued",
                                                 "per_household", "per_household_month", "covering_fee",
                                                 "cost_recovery")}}
