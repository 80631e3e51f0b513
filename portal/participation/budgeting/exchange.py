"""pabulib files in and out of the portal: a historical or paper election imported as a
closed process, and a counted process exported with ``selected`` so anyone can
recompute it. Services take the municipality first and only flush.

District elections: a pabulib file is one unit (its META ``district`` names a district;
without it the file is city-wide). Several files of the same election import into one
process: each district file becomes a district budget with its projects and ballots,
the city-wide file (at most one) the city-wide pot. Export writes one file per pot
(``district``), with that pot's budget, projects and ballots.
"""
import json
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from portal.core.clock import utcnow
from portal.extensions import db
from portal.participation.budgeting import counting, pabulib
from portal.participation.budgeting.ballots import ballots
from portal.participation.budgeting.errors import BudgetingError
from portal.participation.budgeting.models import Ballot, BudgetProcess, BudgetProject, DistrictBudget

RULES_IN = {"greedy": "greedy", "equalshares": "mes", "equalshares/add1": "mes-add1",
            "equalshares/add1-comparison": "mes-add1-comparison",
            "equalshares/add1-greedy": "mes-add1-greedy"}
RULES_OUT = {ours: theirs for theirs, ours in RULES_IN.items()}


def _int(text):
    try:
        return int(text) if text not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _read(texts: list[str]) -> list[tuple]:
    """Parse and check every file; with several, name the file in each error and check
    they make one election (one vote type, one file per district, distinct project ids)."""
    parsed = []
    for number, text in enumerate(texts, start=1):
        try:
            pb = pabulib.parse(text)
            parsed.append((pb, pabulib.to_election(pb), pb.meta.get("district", "").strip()))
        except pabulib.PabulibError as error:
            if len(texts) == 1:
                raise
            raise error.in_file(number) from None
    if len(parsed) > 1:
        seen_districts, seen_ids = set(), set()
        for number, (pb, elect, district) in enumerate(parsed, start=1):
            if elect.vote_type != parsed[0][1].vote_type:
                raise pabulib.PabulibError("mixed_vote_type", file=number, found=elect.vote_type,
                                           first=parsed[0][1].vote_type)
            if district in seen_districts:
                raise pabulib.PabulibError("duplicate_district", file=number, district=district)
            seen_districts.add(district)
            repeated = next((p.id for p in elect.projects if p.id in seen_ids), None)
            if repeated is not None:
                raise pabulib.PabulibError("repeated_project", file=number, project=repeated)
            seen_ids.update(p.id for p in elect.projects)
    return parsed


def import_pabulib(municipality, texts, *, publish=False, title: str | None = None) -> BudgetProcess:
    """One or several pabulib files (the units of one election) as a closed process,
    with their ballots (anonymized: voter ids and personal columns are dropped)."""
    parsed = _read([texts] if isinstance(texts, str) else list(texts))
    main_pb, main, _district = next((item for item in parsed if not item[2]), parsed[0])
    meta = main_pb.meta
    kind = {"ordinal": "ranking"}.get(main.vote_type, main.vote_type)
    process = BudgetProcess(
        municipality_id=municipality.id, is_historical=True,
        title=title or meta.get("description") or "Proceso importado",
        purpose=meta.get("comment", ""), budget=sum((e.budget for _pb, e, _d in parsed), Decimal(0)),
        ballot_type=kind, min_choices=int(meta.get("min_length") or 0),
        max_choices=_int(meta.get("max_length")), points=_int(meta.get("max_sum_points")),
        rank_k=_int(meta.get("max_length")), rule=RULES_IN.get(meta.get("rule", ""), "greedy"),
        year=_int(meta.get("instance", "")[:4]), rulebook_frozen_at=utcnow(),
        voting_closed_at=utcnow(), meta_json=json.dumps(meta, ensure_ascii=False),
        source_note="pabulib")
    db.session.add(process)
    db.session.flush()
    rows = []
    for pb, elect, district in parsed:
        if district:
            process.district_budgets.append(DistrictBudget(
                municipality_id=municipality.id, district=district, amount=elect.budget))
        for row, p in zip(pb.projects, elect.projects):
            process.projects.append(BudgetProject(
                municipality_id=municipality.id, ref=p.id, title=p.name or p.id, cost=p.cost,
                district=district or row.get("district", ""),
                description=row.get("description", ""), review_status="accepted", status="published"))
        for b in elect.ballots:
            if elect.vote_type == "cumulative":
                choices = ",".join(f"{r}:{p}" for r, p in zip(b.projects, b.points))
            else:
                choices = ",".join(b.projects)
            rows.append({"municipality_id": municipality.id, "process_id": process.id,
                         "choices": choices, "channel": "imported", "district": district, "version": 1})
    db.session.flush()
    if rows:
        db.session.execute(Ballot.__table__.insert(), rows)
    if publish:
        process.publish()
    db.session.flush()
    return process


def export_pabulib(municipality, process, result, district: str | None = None) -> str:
    """One pot of the process (``district``; "" or None: the city-wide one, or the whole
    process without district budgets) as a .pb file, with ``selected`` from ``result``
    (anonymized ballots). Raises BudgetingError for a district without a budget."""
    pot = counting.find_pot(process, district)
    if pot is None:
        raise BudgetingError(_l("Ese distrito no tiene presupuesto en este proceso."))
    elect, _turnout = counting.pot_election(process, pot, ballots(municipality, process))
    lines = {line.project_id: line for line in result.lines} if result else {}
    meta = json.loads(process.meta_json) if process.meta_json else {}
    meta.update({"description": process.title + (f" — {pot.district}" if pot.district else ""),
                 "country": meta.get("country", ""), "unit": municipality.name,
                 "num_projects": str(len(elect.projects)), "num_votes": str(len(elect.ballots)),
                 "budget": format(Decimal(pot.budget), "f"), "vote_type": elect.vote_type,
                 "rule": RULES_OUT.get(result.rule if result else process.rule, process.rule),
                 "currency": municipality.currency})
    for key in ("district", "subunit"):
        meta.pop(key, None)
        if pot.district:
            meta[key] = pot.district
    pb = pabulib.PBFile(
        meta=meta, project_columns=["project_id", "cost", "votes", "score", "name", "district", "selected"],
        vote_columns=["voter_id", "vote"] + (["points"] if elect.vote_type == "cumulative" else []))
    for p in pot.projects:
        line = lines.get(p.id)
        pb.projects.append({"project_id": p.ref, "cost": format(Decimal(p.cost).normalize(), "f"),
                            "votes": str(line.votes) if line else "", "score": str(line.score) if line else "",
                            "name": p.title, "district": p.district,
                            "selected": "1" if line and line.selected else "0"})
    for i, b in enumerate(elect.ballots, start=1):
        row = {"voter_id": str(i), "vote": ",".join(b.projects)}
        if b.points is not None:
            row["points"] = ",".join(str(x) for x in b.points)
        pb.votes.append(row)
    return pabulib.write(pb)
