"""Use cases of loans and supplier payment plans. Functions take the municipality first
and only flush; views and the CLI commit.

**Which figure wins.** Published loans and supplier plans derive facts for every year
the indicators read, actual and projected (:func:`derived_facts`, plugged into
:func:`portal.finance.services.series`): ``saldo_deuda`` (the balance at 31 December),
``intereses`` (interest paid in the year), ``intereses_ejercicio_anterior``,
``servicio_deuda`` (principal paid, every phase; only in a year with no line under rubro
71), ``pasivo_circulante`` and ``deuda_corto_plazo`` (from supplier plans). A fact
entered by hand for that year (or a scenario fact for that projected year) always wins:
the derived value only fills a gap, so nothing is counted twice.
"""
from dataclasses import dataclass, replace
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit.services import append, number_text
from portal.core.publication import PUBLISHED
from portal.extensions import db
from portal.finance import classifier as classifiers
from portal.finance import debt, ratios, services
from portal.finance.debt_importing import LOANS, DebtPlan
from portal.finance.debt_models import Loan, SupplierInstalment

DEBT_SERVICE_RUBRO = "71"


def loans(municipality, published_only: bool = True) -> list[Loan]:
    stmt = select(Loan).where(Loan.municipality_id == municipality.id).order_by(Loan.start_year, Loan.name)
    if published_only:
        stmt = stmt.where(Loan.status == PUBLISHED)
    return list(db.session.execute(stmt).scalars())


def instalments(municipality, published_only: bool = True) -> list[SupplierInstalment]:
    stmt = (select(SupplierInstalment).where(SupplierInstalment.municipality_id == municipality.id)
            .order_by(SupplierInstalment.supplier, SupplierInstalment.due_year, SupplierInstalment.due_month))
    if published_only:
        stmt = stmt.where(SupplierInstalment.status == PUBLISHED)
    return list(db.session.execute(stmt).scalars())


def pure(row: Loan) -> debt.Loan:
    return debt.Loan(row.principal, row.rate, row.years, row.start_year, row.start_month, row.method,
                     row.periods_per_year, row.grace_periods)


def apply(municipality, plan: DebtPlan, publish: bool = False) -> list:
    """Write a read file: loans upserted by name; a supplier's plan replaced by the file's
    instalments for that supplier. Flushes only."""
    out = []
    if not publish:
        published = changes_published(municipality, plan)
        if published:
            raise services.FinanceError(_l("Ya están publicados (%(names)s): para cambiarlos, publique al importar.",
                                           names=", ".join(published)))
    if plan.kind == LOANS:
        existing = {row.name: row for row in loans(municipality, published_only=False)}
        for name, lender, loan in plan.rows:
            row = existing.get(name) or Loan(municipality_id=municipality.id, name=name)
            row.lender, row.principal, row.rate, row.years = lender, loan.principal, loan.rate, loan.years
            row.start_year, row.start_month, row.method = loan.start_year, loan.start_month, loan.method
            row.periods_per_year, row.grace_periods = loan.periods_per_year, loan.grace_periods
            db.session.add(row)
            out.append(row)
    else:
        suppliers = {item[0] for item in plan.rows}
        for row in instalments(municipality, published_only=False):
            if row.supplier in suppliers:
                db.session.delete(row)
        db.session.flush()
        for supplier, (year, month), amount, paid, paid_year in plan.rows:
            row = SupplierInstalment(municipality_id=municipality.id, supplier=supplier, due_year=year,
                                     due_month=month, amount=amount, paid=paid, paid_year=paid_year)
            db.session.add(row)
            out.append(row)
    db.session.flush()
    if publish:
        for row in out:
            publish_row(municipality, row)
    return out


def changes_published(municipality, plan: DebtPlan) -> list[str]:
    """The loans or suppliers of the file that are already published."""
    names = {item[0] for item in plan.rows}
    rows = loans(municipality) if plan.kind == LOANS else instalments(municipality)
    return sorted({getattr(row, "name", None) or row.supplier for row in rows} & names)


def publish_row(municipality, row) -> None:
    if row.status != PUBLISHED:
        row.publish()
        db.session.flush()
        if isinstance(row, Loan):
            append(db.session, municipality_id=municipality.id, action="publish_contents", section="finance",
                   object_type="Loan", object_id=row.id, summary=row.name,
                   changes={"principal": [None, number_text(row.principal)], "rate": [None, number_text(row.rate)],
                            "years": [None, str(row.years)], "method": [None, row.method]})


# --- facts ------------------------------------------------------------------------

def supplier_facts(rows, year: int) -> dict:
    """At 31 December of ``year``: ``pasivo_circulante`` = what is still owed of the
    instalments due in or before the year (paid counts when paid in or before it);
    ``deuda_corto_plazo`` = the instalments falling due in the next year, unpaid by then."""
    overdue = upcoming = Decimal(0)
    for row in rows:
        paid = row.paid if row.paid_year is not None and row.paid_year <= year else Decimal(0)
        owed = row.amount - paid
        if row.due_year <= year:
            overdue += owed
        elif row.due_year == year + 1:
            upcoming += owed
    return {"pasivo_circulante": overdue, "deuda_corto_plazo": upcoming}


def derived_facts(municipality, years, published_only: bool = True, extra: list | None = None) -> dict:
    """{year: {fact: value}} from the loans (plus ``extra`` pure loans, for a simulation)
    and the supplier plans, for the ``years`` asked (see the module docstring)."""
    pure_loans = [pure(row) for row in loans(municipality, published_only)] + list(extra or [])
    dues = instalments(municipality, published_only)
    out = {}
    if not pure_loans and not dues:
        return out
    years = sorted(years)
    span = sorted(set(years) | {y - 1 for y in years})
    totals = debt.total_by_year(pure_loans, span) if pure_loans else {}
    first_due = min((r.due_year for r in dues), default=None)
    last_due = max((r.due_year for r in dues), default=None)
    first_loan = min((loan.start_year for loan in pure_loans), default=None)
    for year in years:
        facts = {}
        if first_loan is not None and year >= first_loan:
            now, before = totals[year], totals[year - 1]
            facts.update({"saldo_deuda": now.balance, "intereses": now.interest,
                          "intereses_ejercicio_anterior": before.interest, "servicio_deuda": now.principal})
        if first_due is not None and first_due - 1 <= year <= last_due:
            facts.update(supplier_facts(dues, year))
        if facts:
            out[year] = facts
    return out


def _fill(data: ratios.YearData, derived: dict) -> ratios.YearData:
    facts = dict(data.facts)
    has_71 = any(classifiers.rubro_of(line.code) == DEBT_SERVICE_RUBRO for line in data.lines)
    for name, value in derived.items():
        if name == "servicio_deuda" and (has_71 or any(k.startswith("servicio_deuda") for k in facts)):
            continue
        facts.setdefault(name, value)
    return replace(data, facts=facts)


def fact_source(municipality, data: dict, published_only: bool) -> dict:
    """The hook :func:`portal.finance.services.series` calls: fill derived facts in."""
    if not data:
        return data
    derived = derived_facts(municipality, data, published_only)
    return {year: _fill(item, derived[year]) if year in derived else item for year, item in data.items()}


services.FACT_SOURCES.append(fact_source)


# --- limits and simulation ---------------------------------------------------------

@dataclass(frozen=True)
class LimitYear:
    year: int
    projected: bool
    balance: Decimal | None
    service: Decimal | None
    checks: list

    @property
    def ok(self):
        states = [c.ok for c in self.checks if c.ok is not None]
        return all(states) if states else None


def limits_for(municipality):
    return debt.LEGAL_LIMITS.get((municipality.country or "").lower(), ())


def limits_table(municipality, scenario=None, extra: debt.Loan | None = None) -> list[LimitYear]:
    """The country's limits for every year the published data (and the scenario's
    projected years) hold, with ``extra`` (a loan someone considers) added on top.

    Debt ratio = debt balance at year end / operating revenue of the previous year
    (accrued), as indicator 16. Operating savings = the ``ahorro_operacional`` fact, else
    current revenue − current expenses (accrued); debt service = principal (rubro 71 or
    the loans) + interest."""
    the_series = services.series(municipality, scenario)
    cls = services.classifier_for(municipality)
    limits = limits_for(municipality)
    added = debt.by_year(extra, the_series.years) if extra is not None else {}
    out = []
    for year in the_series.years:
        now = ratios.variables(cls, the_series.data[year])
        before = ratios.variables(cls, the_series.data.get(year - 1))
        more = added.get(year)
        balance = _plus(now.get("saldo_deuda"), more.balance if more else None)
        savings = now.get("ahorro_operacional")
        if savings is None and now.get("ingresos_corrientes_devengado") is not None:
            savings = now["ingresos_corrientes_devengado"] - now.get("gastos_corrientes_devengado", Decimal(0))
        service = _plus(_plus(now.get("servicio_deuda_devengado"), now.get("intereses")),
                        more.service if more else None)
        checks = debt.check_limits(limits, year, balance=balance,
                                   operating_revenue=before.get("ingresos_operacionales_devengado"),
                                   operating_savings=savings, service=service)
        out.append(LimitYear(year, year in the_series.projected, balance, service, checks))
    return out


def _plus(a, b):
    if a is None and b is None:
        return None
    return (a or Decimal(0)) + (b or Decimal(0))


def debt_page(municipality, scenario_name: str | None = None, extra: debt.Loan | None = None) -> dict:
    """Everything the debt page and the API show: each published loan with its years,
    the years added up, supplier plans, and the limits per year (with ``extra`` on top)."""
    rows = loans(municipality)
    scenario = services.get_scenario(municipality, name=scenario_name) if scenario_name else None
    items = []
    for row in rows:
        loan = pure(row)
        schedule = debt.schedule(loan)
        items.append({"row": row, "years": list(debt.by_year(loan).values()), "maturity": schedule[-1],
                      "instalments": len(schedule)})
    span = sorted({y.year for item in items for y in item["years"]})
    totals = list(debt.total_by_year([pure(r) for r in rows], span).values()) if span else []
    return {"loans": items, "totals": totals, "suppliers": instalments(municipality), "scenario": scenario,
            "scenarios": services.scenarios(municipality), "limits": limits_table(municipality, scenario, extra),
            "extra": extra, "extra_years": list(debt.by_year(extra).values()) if extra is not None else [],
            "legal": limits_for(municipality)}
