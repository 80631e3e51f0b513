"""Demo: Intipucá's participatory budget 2025 (closed: proposals, EXAMPLE ballots,
results and works in progress) and 2026 (open for voting, with a small census).

Demo identity for trying the vote (also in docs/budgeting.md): DUI 01234567-8, born
1990-01-01. The ballots of the 2025 process are generated example data, labelled so.
"""
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.core.clock import utcnow
from portal.extensions import db
from portal.municipalities.services import get_by_slug
from portal.participation.budgeting import services
from portal.participation.budgeting.models import Ballot, BudgetProcess, BudgetProject
from portal.roadmap import services as roadmap

PAST = "Presupuesto participativo 2025"
OPEN = "Presupuesto participativo 2026"
DEMO_DUI, DEMO_BIRTH = "01234567-8", date(1990, 1, 1)
# title, cost, district, place, status, reason
PAST_PROJECTS = [
    ("Alumbrado LED en la calle principal", "18000", "Intipucá Centro", "Calle principal", "accepted", ""),
    ("Techado de la cancha del barrio El Calvario", "24000", "Intipucá Centro", "Cancha del barrio El Calvario",
     "accepted", ""),
    ("Clínica móvil para cantones", "15000", "El Carao", "Cantones", "changed",
     "El costo se ajustó a cotizaciones del Ministerio de Salud (antes 21,000)."),
    ("Parque infantil en la playa El Icacal", "12000", "El Cuco", "Playa El Icacal", "accepted", ""),
    ("Computadoras para la escuela del cantón", "9000", "El Carao", "Centro escolar", "accepted", ""),
    ("Muro de contención en el río", "40000", "Intipucá Centro", "Quebrada del río", "accepted", ""),
    ("Pavimentar el camino a la playa", "90000", "El Cuco", "Camino vecinal a la playa", "rejected",
     "No viable: supera el presupuesto total del proceso."),
]
OPEN_PROJECTS = [
    ("Biblioteca comunitaria", "14000", "Intipucá Centro", "Casa de la cultura"),
    ("Reforestación de la ribera", "6000", "La Leona", "Ribera del río"),
    ("Cisterna para la escuela de El Carao", "11000", "El Carao", "Centro escolar"),
    ("Señalización turística", "5000", "El Cuco", "Acceso a la playa El Icacal"),
    ("Ampliación del mercado", "30000", "Intipucá Centro", "Mercado municipal"),
]


def _process(municipality, title):
    return db.session.execute(select(BudgetProcess).where(
        BudgetProcess.municipality_id == municipality.id, BudgetProcess.title == title)).scalar_one_or_none()


def _add_projects(municipality, process, rows):
    for i, row in enumerate(rows, start=1):
        title, cost, district, place = row[:4]
        status, reason = (row[4], row[5]) if len(row) > 4 else ("accepted", "")
        process.projects.append(BudgetProject(
            municipality_id=municipality.id, ref=str(i), title=title, cost=Decimal(cost),
            district=district, place=place, review_status=status, review_reason=reason,
            original_cost=Decimal("21000") if status == "changed" else None,
            description=f"{title}. Propuesta de vecinos de {district}.", status="published"))
    db.session.flush()


def load():
    municipality = get_by_slug("intipuca")
    if municipality is None:
        return
    today = date.today()
    if _process(municipality, PAST) is None:
        past = BudgetProcess(
            municipality_id=municipality.id, title=PAST, year=2025, budget=Decimal("60000"),
            purpose="Obras pequeñas elegidas por los vecinos con el 10 % de la inversión municipal. "
                    "Las papeletas de este proceso de demostración son datos de ejemplo generados.",
            proposals_open=date(2025, 2, 1), proposals_close=date(2025, 3, 15),
            review_close=date(2025, 4, 15), voting_open=date(2025, 5, 1), voting_close=date(2025, 5, 15),
            results_date=date(2025, 5, 20), execution_start=date(2025, 7, 1), ballot_type="approval",
            min_choices=1, max_choices=3, rule="mes-add1", example_data=True,
            rulebook_frozen_at=utcnow(), voting_closed_at=utcnow())
        db.session.add(past)
        db.session.flush()
        _add_projects(municipality, past, PAST_PROJECTS)
        rng = random.Random(2025)
        refs = [p.ref for p in services.ballot_projects(past)]
        weights = [30, 22, 18, 14, 9, 12]
        rows = []
        for _ in range(412):
            picks = []
            while len(picks) < rng.randint(1, 3):
                ref = rng.choices(refs, weights)[0]
                if ref not in picks:
                    picks.append(ref)
            rows.append({"municipality_id": municipality.id, "process_id": past.id,
                         "choices": ",".join(picks), "channel": "example", "district": "", "version": 1})
        db.session.execute(Ballot.__table__.insert(), rows)
        past.publish()
        db.session.flush()
        greedy = services.run_tally(municipality, past, "greedy")
        greedy.publish()
        result = services.run_tally(municipality, past)
        services.publish_results(municipality, past, result)
        _progress(municipality, past)
    if _process(municipality, OPEN) is None:
        current = BudgetProcess(
            municipality_id=municipality.id, title=OPEN, year=2026, budget=Decimal("40000"),
            purpose="Vote por hasta 3 proyectos para su municipio.",
            proposals_open=today - timedelta(days=90), proposals_close=today - timedelta(days=60),
            review_close=today - timedelta(days=30), voting_open=today - timedelta(days=3),
            voting_close=today + timedelta(days=27), results_date=today + timedelta(days=30),
            execution_start=today + timedelta(days=60), ballot_type="approval", min_choices=1,
            max_choices=3, knapsack=True, rule="mes-add1", allow_change=True, min_age=16)
        db.session.add(current)
        db.session.flush()
        _add_projects(municipality, current, OPEN_PROJECTS)
        services.open_voting(municipality, current, today)
        current.publish()
        if services.census_size(municipality) == 0:
            # The first district created (Intipucá Centro): by id, since the collection's order
            # depends on whether it was loaded from the database (by name) or just built.
            first = min(municipality.districts, key=lambda district: district.id, default=None)
            centre = first.name if first else ""
            csv = "documento,fecha_nacimiento,distrito\n" + f"{DEMO_DUI},{DEMO_BIRTH.isoformat()},{centre}\n" + \
                "".join(f"0{n:07d}-{n % 10},19{60 + n % 40}-0{1 + n % 9}-1{n % 9},{centre}\n" for n in range(1, 40))
            services.import_census(municipality, csv.encode(), "padron.csv")
    db.session.flush()


def _progress(municipality, process):
    """Works in progress: the first two winners advance on the roadmap."""
    refs = [p.work_ref for p in process.projects if p.work_ref]
    activities = roadmap.activities_from(municipality, refs)
    for activity, (state, pct) in zip(activities, [("done", 100), ("in_progress", 60), ("in_progress", 25)]):
        roadmap.update_followup(municipality, activity, state=state, done=state == "done", progress_pct=Decimal(pct),
                        note="Avance de obra (ejemplo)")
