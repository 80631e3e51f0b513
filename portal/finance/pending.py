"""Changes to published figures wait for a publisher.

An import (:mod:`portal.finance.importing`) that would change a published budget year or
a published scenario is not applied when an editor confirms it: it is kept whole as a
:class:`~portal.finance.models.StagedImport`. A publisher publishes it (:func:`publish`:
the file is read and validated again, applied and published in the caller's one
transaction, and the change record shows every figure that moved) or anyone who may
import discards it (:func:`discard`). The public pages, API and downloads keep showing
the published figures until then. Imports into drafts apply at once, as before.
"""
from sqlalchemy import select

from portal.extensions import db
from portal.finance import importing, monthly_import, services
from portal.finance.models import StagedImport


def published_target(municipality, plan: importing.Plan, scenario_name: str | None) -> str:
    """What published data ``plan`` would change: its published years (``"2013, 2014"``)
    or the published scenario's name; "" when it changes only drafts or new years."""
    if plan.kind in (importing.SCENARIO, importing.RULES) or (scenario_name and plan.kind == importing.FACTS):
        scenario = services.get_scenario(municipality, name=scenario_name, full=False)
        return scenario.name if scenario is not None else ""
    years = sorted({item[0] for item in plan.rows})
    return ", ".join(str(year) for year in years if services.get_year(municipality, year) is not None)


def stage(municipality, data: bytes, options: dict, plan: importing.Plan, target: str, user=None) -> StagedImport:
    """Keep the file for a publisher; flushes only."""
    staged = StagedImport(municipality_id=municipality.id, kind=options["kind"], filename=options.get("filename") or "",
                          data=data, target=target, rows=len(plan.rows),
                          options={k: options.get(k) for k in ("scenario", "base_year", "decimal_comma")},
                          created_by_id=getattr(user, "id", None))
    db.session.add(staged)
    db.session.flush()
    return staged


def waiting(municipality) -> list[StagedImport]:
    return list(db.session.scalars(select(StagedImport).where(StagedImport.municipality_id == municipality.id)
                                   .order_by(StagedImport.created_at, StagedImport.id)))


def get(municipality, staged_id: int) -> StagedImport | None:
    return db.session.scalar(select(StagedImport).where(StagedImport.municipality_id == municipality.id,
                                                        StagedImport.id == staged_id))


def publish(municipality, staged: StagedImport) -> importing.Plan:
    """Read the kept file again, apply it and publish what it changed; flushes only.
    Raises TableError or FinanceError (nothing written) if the file no longer applies."""
    options = staged.options or {}
    if staged.kind == monthly_import.KIND:  # monthly execution (portal.finance.monthly_import)
        plan = monthly_import.read(municipality, staged.data, staged.filename, bool(options.get("decimal_comma")))
        monthly_import.apply(municipality, plan, publish=True)
        db.session.delete(staged)
        db.session.flush()
        return plan
    plan = importing.read(municipality, staged.data, staged.filename, staged.kind, bool(options.get("decimal_comma")))
    importing.apply(municipality, plan, scenario_name=options.get("scenario"), publish=True,
                    base_year=options.get("base_year"))
    db.session.delete(staged)
    db.session.flush()
    return plan


def discard(municipality, staged: StagedImport) -> None:
    db.session.delete(staged)
    db.session.flush()
