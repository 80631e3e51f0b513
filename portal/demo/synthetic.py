"""Synthetic data at national scale: ``flask demo generate --municipalities N``.

Every generated municipality is marked as synthetic: it is an example
(``is_example``, so its pages carry the "example with fictitious data" notice), its
name ends in "(sintético)", its department is "Datos sintéticos" and its statistics
code starts with ``SINT-``. Each gets districts, a published budget year with lines,
a published diagnostic assessment (when the demo catalog is there), a published
action plan with activities, an open survey with responses, complaint services and
its share of the complaints, and a participatory budget in its voting phase with
ballots. The first one carries the big participatory budget (``--projects`` and
``--ballots``).

Rows go through :class:`portal.demo.bulk.BulkWriter` (Core inserts, chunked, bounded
memory). Bulk rows bypass the change record: synthetic data has no history.
"""
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.core.clock import utcnow
from portal.demo.bulk import BulkWriter
from portal.diagnostic.demo import CATALOG_NAME
from portal.diagnostic.models import Adoption, Assessment, Catalog, Indicator, Score
from portal.extensions import db
from portal.finance.models import BudgetLine, BudgetYear
from portal.municipalities.models import District, Municipality
from portal.participation.budgeting.models import Ballot, BudgetProcess, BudgetProject, Participation
from portal.participation.complaints.models import Category, Report, Unit
from portal.participation.surveys.models import Answer, Question, Survey, SurveyResponse, SurveySection
from portal.roadmap.models import Activity, Horizon
from portal.roadmap.models import Plan as ActionPlan

SYNTHETIC_CODE = "SINT-"
SYNTHETIC_DEPARTMENT = "Datos sintéticos"
PREFIXES = ["San", "Santa", "Villa", "Nueva", "Puerto", "Santo", "El", "La", "Los", "Las"]
STEMS = ["Rosario", "Isidro", "Lucía", "Miguel", "Pedro", "Clara", "Esperanza", "Dolores", "Carmen",
         "Tomás", "Ana", "Rafael", "Cruz", "Paz", "Fe", "Unión", "Victoria", "Jacinto", "Francisco",
         "Ignacio", "Pablo", "Marcos", "Juan", "Bárbara", "Teresa", "Agustín", "Matías", "Lorenzo"]
COUNTRIES = [("SV", "USD", "es_SV", "America/El_Salvador", 13.5, -88.9),
             ("GT", "GTQ", "es_GT", "America/Guatemala", 14.6, -90.5),
             ("HN", "HNL", "es_HN", "America/Tegucigalpa", 14.1, -87.2),
             ("BO", "BOB", "es_BO", "America/La_Paz", -16.5, -68.1),
             ("PE", "PEN", "es_PE", "America/Lima", -12.0, -77.0),
             ("CO", "COP", "es_CO", "America/Bogota", 4.7, -74.1)]
LINES = [("11", "Impuestos", 0.02), ("12", "Tasas y derechos", 0.15), ("16", "Transferencias corrientes", 0.2),
         ("22", "Transferencias de capital", 0.6), ("51", "Remuneraciones", 0.25),
         ("54", "Adquisiciones de bienes y servicios", 0.22), ("61", "Inversiones en activos fijos", 0.45),
         ("71", "Amortización de endeudamiento público", 0.1)]
SERVICES = [("ALUMBRADO", "Alumbrado público", 5), ("BASURA", "Recolección de desechos", 3),
            ("BACHES", "Baches en calles", 15), ("AGUA", "Fugas de agua", 2), ("PARQUES", "Parques y zonas verdes", 10)]
COMPLAINTS = ["Lámpara apagada frente a la escuela", "No pasó el camión de la basura esta semana",
              "Bache grande en la calle principal", "Fuga de agua en la esquina del mercado",
              "Árbol caído en el parque central", "Acumulación de basura en el río"]
STATUSES = ["received"] * 3 + ["in_progress"] * 2 + ["fixed"] * 4 + ["wont_fix", "not_ours"]
ACTIVITIES = ["Actualizar el catastro", "Ordenanza de tasas", "Recuperación de mora", "Plan de compras",
              "Manual de funciones", "Archivo municipal", "Portal de transparencia", "Capacitación del personal"]
PROJECTS = ["Alumbrado LED", "Cancha comunal", "Pozo de agua", "Pavimento de calle", "Casa de la cultura",
            "Parque infantil", "Puente peatonal", "Clínica comunitaria", "Biblioteca", "Mercado"]
SCALE = ["Muy insatisfecho", "Insatisfecho", "Ni satisfecho ni insatisfecho", "Satisfecho", "Muy satisfecho"]
SOURCES = ["Radio", "Redes sociales", "Vecinos", "Alcaldía"]
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass
class Plan:
    municipalities: int
    complaints: int = 0
    ballots: int = 1000
    projects: int = 20
    responses: int = 20
    small_ballots: int = 10
    seed: int = 13
    chunk: int = 5000


def report_code(number: int) -> str:
    """An 8-character tracking code from a number, one-to-one (scrambled so consecutive
    reports do not get consecutive codes)."""
    value = (number * 2_654_435_761) % (31 ** 8)
    chars = []
    for _ in range(8):
        value, digit = divmod(value, 31)
        chars.append(CODE_ALPHABET[digit])
    return "".join(chars)


def is_synthetic(municipality) -> bool:
    return (municipality.code or "").startswith(SYNTHETIC_CODE)


def generate(plan: Plan, echo=print) -> dict:
    """Create ``plan.municipalities`` synthetic municipalities with their data; returns counts."""
    rng = random.Random(plan.seed)
    writer = BulkWriter(chunk=plan.chunk)
    today = date.today()
    existing = db.session.execute(select(func.count()).where(
        Municipality.code.like(f"{SYNTHETIC_CODE}%"))).scalar()
    catalog = _catalog()
    complaints_left = plan.complaints
    for index in range(plan.municipalities):
        number = existing + index + 1
        share = complaints_left // (plan.municipalities - index)
        complaints_left -= share
        big = index == 0
        _municipality(writer, rng, number, today, catalog, share,
                      projects=plan.projects if big else 5, ballots=plan.ballots if big else plan.small_ballots,
                      responses=plan.responses)
        if (index + 1) % 100 == 0 or index + 1 == plan.municipalities:
            echo(f"  {index + 1}/{plan.municipalities} municipalities, {writer.rows:,} rows, "
                 f"{writer.rows / max(writer.seconds, 1e-9):,.0f} rows/s")
    counts = writer.finish()
    counts["_seconds"] = writer.seconds
    return counts


def _catalog():
    catalog = db.session.execute(select(Catalog).where(Catalog.name == CATALOG_NAME)
                                 .order_by(Catalog.version.desc()).limit(1)).scalar_one_or_none()
    if catalog is None:
        return None
    indicators = list(db.session.execute(select(Indicator.id).where(Indicator.catalog_id == catalog.id)).scalars())
    return catalog.id, catalog.version, indicators


def _municipality(writer, rng, number, today, catalog, complaints, projects, ballots, responses):
    country, currency, locale, zone, lat, long = COUNTRIES[number % len(COUNTRIES)]
    name = f"{rng.choice(PREFIXES)} {rng.choice(STEMS)} {number} (sintético)"
    population = int(rng.lognormvariate(9.3, 0.9))
    now = utcnow()
    muni = writer.add(Municipality, slug=f"sintetico-{number:05d}", name=name, country=country,
                      department=SYNTHETIC_DEPARTMENT, population=population, currency=currency, locale=locale,
                      timezone=zone, website="", contact="", logo_url="", news_feed_url="",
                      code=f"{SYNTHETIC_CODE}{number:05d}", is_example=True, created_at=now)
    districts = [(writer.add(District, municipality_id=muni, name=f"Distrito {d}", code=""), f"Distrito {d}")
                 for d in (1, 2, 3)]
    place = (lat + rng.uniform(-1, 1), long + rng.uniform(-1, 1))
    _finance(writer, rng, muni, population, today, now)
    if catalog:
        _diagnostic(writer, rng, muni, catalog, today, now)
    _roadmap(writer, rng, muni, today, now)
    _survey(writer, rng, muni, districts, today, now, responses)
    _complaints(writer, rng, muni, districts, place, complaints, now)
    _budgeting(writer, rng, muni, districts, today, now, projects, ballots, population)


def _finance(writer, rng, muni, population, today, now):
    year = writer.add(BudgetYear, municipality_id=muni, year=today.year - 1, note="Datos sintéticos",
                      status="published", published_at=now, created_at=now)
    base = Decimal(population * rng.randint(60, 160))
    for code, name, share in LINES:
        approved = (base * Decimal(str(share))).quantize(Decimal("0.01"))
        accrued = (approved * Decimal(str(rng.uniform(0.7, 1.05)))).quantize(Decimal("0.01"))
        writer.add(BudgetLine, municipality_id=muni, budget_year_id=year, code=code, name=name, approved=approved,
                   modified=approved, accrued=accrued, cash=accrued, tags="")


def _diagnostic(writer, rng, muni, catalog, today, now):
    catalog_id, version, indicators = catalog
    writer.add(Adoption, municipality_id=muni, catalog_id=catalog_id, adopted_at=now)
    assessment = writer.add(
        Assessment, municipality_id=muni, catalog_id=catalog_id, date=today - timedelta(days=90),
        title=f"Diagnóstico {today.year}", stage="verified", conclusions="Diagnóstico sintético.", next_steps="",
        query_note="", verification_sample="", demo_note="Datos sintéticos", created_at=now, verified_at=now,
        status="published", published_at=now)
    level = rng.uniform(30, 90)
    for indicator in indicators:
        value = Decimal(max(0, min(100, round(rng.gauss(level, 20)))))
        writer.add(Score, assessment_id=assessment, municipality_id=muni, indicator_id=indicator, state="scored",
                   value=value, note="", evidence_url="", checklist_met="", catalog_version=version,
                   raw_value=None, raw_detail="", raw_url="")


def _roadmap(writer, rng, muni, today, now):
    plan = writer.add(ActionPlan, municipality_id=muni, title="Plan de acción (sintético)",
                      description="Plan sintético para pruebas de escala.", approved_on=today - timedelta(days=200),
                      council_act="", time_unit="month", created_at=now, status="published", published_at=now)
    horizon = writer.add(Horizon, municipality_id=muni, plan_id=plan, name="Corto plazo", position=1)
    for position, title in enumerate(ACTIVITIES, start=1):
        start = today.replace(day=1) - timedelta(days=30 * rng.randint(0, 8))
        progress = Decimal(rng.choice([0, 25, 50, 75, 100]))
        writer.add(Activity, municipality_id=muni, plan_id=plan, horizon_id=horizon, action_id=None, parent_id=None,
                   funding_source_id=None, position=position, number=str(position), area="Finanzas", title=title,
                   description="", starts_on=start, ends_on=start + timedelta(days=180), period_unit="month",
                   permanent=False, responsible="Gerencia", cost=Decimal(rng.randint(1, 50) * 1000), currency="USD",
                   target_codes="", budget_lines="", state="done" if progress == 100 else "in_progress",
                   done=progress == 100, verification_url="", verification_file="", verification_text="",
                   limitation="", observations="", progress=progress, weight=None, actual_cost=None,
                   source_ref=None, updated_at=now)


def _survey(writer, rng, muni, districts, today, now, responses):
    survey = writer.add(Survey, municipality_id=muni, title="Satisfacción con los servicios (sintética)",
                        purpose="Encuesta sintética para pruebas de escala.", opens_on=today - timedelta(days=20),
                        closes_on=today + timedelta(days=40), audience="anyone", results_mode="live",
                        ask_district=True, is_example=True, created_at=now, status="published", published_at=now)
    section = writer.add(SurveySection, municipality_id=muni, survey_id=survey, position=1, title="Servicios",
                         intro="")
    common = dict(municipality_id=muni, survey_id=survey, section_id=section, help="", max_choices=None, rows=[],
                  condition_question_id=None, condition_value="")
    scale = writer.add(Question, position=1, code="S1", kind="scale", required=True, options=[], scale_labels=SCALE,
                       text="¿Qué tan satisfecho está con los servicios municipales?", **common)
    source = writer.add(Question, position=2, code="S2", kind="single", required=False, options=SOURCES,
                        scale_labels=[], text="¿Cómo se entera de las noticias de la alcaldía?", **common)
    rating = writer.add(Question, position=3, code="S3", kind="rating", required=False, options=[], scale_labels=[],
                        text="Del 0 al 10, ¿recomendaría vivir aquí?", **common)
    mood = rng.uniform(2, 4.5)
    for index in range(responses):
        response = writer.add(SurveyResponse, municipality_id=muni, survey_id=survey, user_id=None,
                              device_token=None, idempotency_key=f"sint-{survey}-{index}",
                              district_id=rng.choice(districts)[0], channel="online", is_example=True,
                              created_at=now, updated_at=now)
        base = dict(municipality_id=muni, response_id=response, text="", redacted="", moderation="")
        writer.add(Answer, question_id=scale, item="", number=max(1, min(5, round(rng.gauss(mood, 1)))), **base)
        writer.add(Answer, question_id=source, item=rng.choice(SOURCES), number=None, **base)
        writer.add(Answer, question_id=rating, item="", number=max(0, min(10, round(rng.gauss(mood * 2, 2)))), **base)


def _complaints(writer, rng, muni, districts, place, count, now):
    unit = writer.add(Unit, municipality_id=muni, name="Servicios Municipales", email="")
    categories = [(writer.add(Category, municipality_id=muni, code=code, name=name, description="", keywords="",
                              group="Servicios", service_days=days, default_unit_id=unit, active=True,
                              position=position), days)
                  for position, (code, name, days) in enumerate(SERVICES, start=1)]
    for _ in range(count):
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 730))
        status = rng.choice(STATUSES)
        category, days = rng.choice(categories)
        district_id, district = rng.choice(districts)
        number = writer.new_id(Report)
        closed = created + timedelta(days=rng.randint(1, days * 2)) if status not in ("received", "in_progress") else None
        writer.add(Report, id=number, municipality_id=muni, code=report_code(number), category_id=category,
                   unit_id=unit, description=rng.choice(COMPLAINTS), district_id=district_id,
                   address=f"{district}, calle {rng.randint(1, 40)}",
                   lat=Decimal(f"{place[0] + rng.uniform(-0.05, 0.05):.6f}"),
                   long=Decimal(f"{place[1] + rng.uniform(-0.05, 0.05):.6f}"),
                   channel="web", status=status, is_example=True, created_at=created, updated_at=closed or created,
                   closed_at=closed)


def _budgeting(writer, rng, muni, districts, today, now, projects, ballots, population):
    budget = Decimal(max(population, 1000) * 5)
    process = writer.add(
        BudgetProcess, municipality_id=muni, title=f"Presupuesto participativo {today.year} (sintético)",
        purpose="Proceso sintético para pruebas de escala.", budget=budget, year=today.year,
        proposals_open=today - timedelta(days=90), proposals_close=today - timedelta(days=60),
        review_close=today - timedelta(days=30), voting_open=today - timedelta(days=3),
        voting_close=today + timedelta(days=14), results_date=today + timedelta(days=20),
        execution_start=today + timedelta(days=60), ballot_type="approval", min_choices=1,
        max_choices=min(5, projects), knapsack=False, eligibility="municipality", rule="mes-add1",
        rulebook_frozen_at=now, example_data=True, source_note="Datos sintéticos", meta_json="", created_at=now,
        status="published", published_at=now)
    refs = []
    for position in range(1, projects + 1):
        ref = f"P{position:03d}"
        refs.append(ref)
        cost = (budget * Decimal(str(rng.uniform(0.02, 0.3)))).quantize(Decimal("1"))
        writer.add(BudgetProject, municipality_id=muni, process_id=process, ref=ref,
                   title=f"{rng.choice(PROJECTS)} {position}", description="Proyecto sintético.", cost=cost,
                   district=rng.choice(districts)[1], place="", review_status="accepted", created_at=now,
                   status="published", published_at=now)
    popular = [rng.paretovariate(1.2) for _ in refs]
    for index in range(ballots):
        chosen = sorted(set(rng.choices(range(len(refs)), weights=popular, k=rng.randint(1, min(5, len(refs))))))
        district = rng.choice(districts)[1]
        writer.add(Participation, municipality_id=muni, process_id=process, voter_key=f"sint-{process}-{index}",
                   channel="online", district=district)
        writer.add(Ballot, municipality_id=muni, process_id=process, choices=",".join(refs[i] for i in chosen),
                   receipt_hash=None, channel="example", district=district, version=1)
