"""Demo: Intipucá's municipal services as categories, their units and service levels, and
about a hundred example reports (a fixed seed, dated over the last 12 months, marked as
example data) across every status, some confirmed by residents and some reopened."""
import json
import random
from datetime import timedelta

from sqlalchemy import select

from portal.core.clock import utcnow
from portal.extensions import db
from portal.municipalities.services import get_by_slug
from portal.participation.complaints.models import (
    CLOSED_STATUSES, Category, CategoryAttribute, Neighbourhood, Report, ReportUpdate, Unit)
from portal.participation.complaints.services import new_code

SEED = 311
COUNT = 100

UNITS = [
    ("servicios", "Unidad de Servicios Municipales", "servicios@intipuca.example"),
    ("obras", "Unidad de Obras Públicas", "obras@intipuca.example"),
    ("uatm", "Unidad de Administración Tributaria Municipal (UATM)", "uatm@intipuca.example"),
    ("ref", "Registro del Estado Familiar", "ref@intipuca.example"),
]

# code, name, unit, service days, group, keywords, description, example texts
CATEGORIES = [
    ("alumbrado", "Alumbrado público", "servicios", 5, "servicios", "luminaria, lámpara, poste",
     "Lámparas apagadas, intermitentes o encendidas de día.",
     ["La lámpara del poste frente a la iglesia no enciende.", "Luminaria intermitente en la esquina.",
      "Tres lámparas apagadas en la calle principal."]),
    ("aseo", "Aseo y barrido de calles", "servicios", 3, "saneamiento", "barrido, limpieza",
     "Calles y aceras sin barrer, basura dispersa.",
     ["La calle no se ha barrido en dos semanas.", "Hojas y tierra acumuladas frente a la escuela."]),
    ("desechos", "Recolección y disposición de desechos sólidos", "servicios", 3, "saneamiento",
     "basura, tren de aseo, botadero", "El tren de aseo no pasó, basureros llenos, botaderos ilegales.",
     ["El tren de aseo no pasó esta semana.", "Botadero de basura en el predio baldío.",
      "Contenedor lleno desde hace días."]),
    ("parques", "Parques y zonas verdes", "servicios", 10, "espacios públicos", "parque, árbol, juegos",
     "Juegos dañados, zacate crecido, árboles caídos.",
     ["Columpio roto en el parque central.", "Zacate muy crecido en la zona verde.",
      "Árbol caído sobre la banca."]),
    ("cementerio", "Cementerio", "servicios", 10, "espacios públicos", "cementerio, panteón",
     "Mantenimiento, limpieza y acceso al cementerio municipal.",
     ["Maleza en los pasillos del cementerio.", "El portón del cementerio no cierra."]),
    ("red-vial", "Red vial", "obras", 20, "infraestructura", "bache, calle, hundimiento",
     "Baches, hundimientos y calles dañadas.",
     ["Bache grande en la calle hacia El Cuco.", "Hundimiento en la calle después de la lluvia.",
      "Calle de tierra intransitable."]),
    ("aguas-negras", "Aguas negras", "obras", 5, "saneamiento", "alcantarilla, drenaje, fosa",
     "Derrames de aguas negras, tapaderas de pozos y drenajes tapados.",
     ["Derrame de aguas negras frente a las casas.", "Pozo de visita sin tapadera."]),
    ("catastro", "Cuentas corrientes y catastro", "uatm", 15, "trámites", "impuestos, tasas, inmueble",
     "Errores en el estado de cuenta o en el registro catastral.",
     ["Me cobran tasas de un inmueble que ya vendí.", "El estado de cuenta no refleja mi último pago."]),
    ("registro-familiar", "Registro del Estado Familiar", "ref", 5, "trámites", "partida, nacimiento",
     "Partidas de nacimiento, matrimonio y defunción.",
     ["Error en el nombre de mi partida de nacimiento.", "Solicité una partida y no me la han entregado."]),
]

ATTRIBUTES = {
    "alumbrado": [
        dict(code="falla", order=1, datatype="singlevaluelist", required=True,
             description="¿Qué le pasa a la lámpara?",
             values=[["apagada", "No enciende"], ["intermitente", "Enciende y se apaga"],
                     ["dia", "Encendida de día"]]),
        dict(code="poste", order=2, datatype="string", required=False, description="Número del poste (si lo ve)",
             datatype_description="El número pintado en el poste"),
    ],
    "desechos": [dict(code="dias", order=1, datatype="number", required=False,
                      description="¿Cuántos días sin recolección?")],
    "red-vial": [dict(code="tipo", order=1, datatype="multivaluelist", required=False,
                      description="¿Qué tipo de daño?",
                      values=[["bache", "Bache"], ["hundimiento", "Hundimiento"], ["drenaje", "Drenaje tapado"]])],
}

NEIGHBOURHOODS = {
    "Intipucá Centro": ["Barrio El Centro", "Barrio La Cruz", "Barrio El Calvario"],
    "El Carao": ["Caserío El Carao", "Caserío Los Amates"],
    "La Leona": ["Caserío La Leona", "Caserío El Jícaro"],
    "El Cuco": ["Playa El Cuco", "Caserío El Icacal"],
}


def load_catalog(municipality) -> dict[str, Category]:
    units = {}
    for key, name, email in UNITS:
        unit = Unit(municipality_id=municipality.id, name=name, email=email)
        db.session.add(unit)
        units[key] = unit
    db.session.flush()
    result = {}
    for position, (code, name, unit, days, group, keywords, description, _texts) in enumerate(CATEGORIES):
        category = Category(municipality_id=municipality.id, code=code, name=name, description=description,
                            keywords=keywords, group=group, service_days=days, default_unit_id=units[unit].id,
                            position=position)
        for spec in ATTRIBUTES.get(code, []):
            spec = dict(spec)
            values = spec.pop("values", [])
            category.attributes.append(CategoryAttribute(values_json=json.dumps(values, ensure_ascii=False), **spec))
        db.session.add(category)
        result[code] = category
    for district in municipality.districts:
        for name in NEIGHBOURHOODS.get(district.name, []):
            db.session.add(Neighbourhood(municipality_id=municipality.id, district_id=district.id, name=name))
    db.session.flush()
    return result


def _status(rng, age_days, service_days):
    if age_days < 2:
        return "received"
    roll = rng.random()
    if roll < 0.10:
        return "received"
    if roll < 0.22:
        return "in_progress"
    if roll < 0.80:
        return "fixed"
    if roll < 0.87:
        return "not_ours"
    if roll < 0.92:
        return "wont_fix"
    return "duplicate"


def load_reports(municipality, categories: dict[str, Category]) -> None:
    rng = random.Random(SEED)
    now = utcnow().replace(microsecond=0)
    places = list(db.session.execute(select(Neighbourhood).where(
        Neighbourhood.municipality_id == municipality.id).order_by(Neighbourhood.id)).scalars())
    specs = {c[0]: c for c in CATEGORIES}
    weights = [5, 3, 6, 2, 1, 4, 2, 1, 1]
    created_reports = []
    for index in range(COUNT):
        code = rng.choices([c[0] for c in CATEGORIES], weights=weights)[0]
        category = categories[code]
        place = rng.choice(places)
        created = now - timedelta(days=rng.randint(0, 360), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
        status = _status(rng, (now - created).days, category.service_days)
        report = Report(
            municipality_id=municipality.id, code=new_code(), category=category, unit_id=category.default_unit_id,
            description=rng.choice(specs[code][7]) + " (dato de ejemplo)", district_id=place.district_id,
            neighbourhood_id=place.id, address=f"{place.name}, cerca de la casa comunal", status="received",
            supports_count=rng.choice([0, 0, 0, 1, 2, 5]), is_example=True, created_at=created,
            updated_at=created, channel=rng.choice(["web", "web", "web", "open311:demo"]),
            idempotency_key=f"demo-{index}")
        updates = [ReportUpdate(municipality_id=municipality.id, kind="status", new_status="received",
                                created_at=created)]
        when = created
        if status != "received":
            when = min(created + timedelta(hours=rng.randint(2, 48)), now)
            if status == "in_progress" or rng.random() < 0.6:
                updates.append(ReportUpdate(municipality_id=municipality.id, kind="status", old_status="received",
                                            new_status="in_progress", created_at=when,
                                            body="La unidad programó la visita."))
        if status in CLOSED_STATUSES:
            days = rng.uniform(0.2, 1.5) * category.service_days
            closed = min(created + timedelta(days=days), now)
            reason = {"not_ours": "Corresponde a la distribuidora de energía o a ANDA; llame al 911 o visite su "
                                  "agencia.", "wont_fix": "El inmueble es privado; el propietario debe atenderlo."}
            report.status_reason = reason.get(status, "")
            report.status_notes = report.status_reason or "Trabajo realizado por la cuadrilla."
            updates.append(ReportUpdate(municipality_id=municipality.id, kind="status", old_status="in_progress",
                                        new_status=status, created_at=closed, body=report.status_notes))
            report.closed_at = closed
            report.updated_at = closed
            if status == "duplicate" and created_reports:
                report.duplicate_of = rng.choice(created_reports)
            if status == "fixed":
                answer = rng.choices([None, "yes", "partly", "no"], weights=[45, 35, 10, 10])[0]
                if answer:
                    report.confirmation = answer
                    at = min(closed + timedelta(days=1), now)
                    updates.append(ReportUpdate(municipality_id=municipality.id, kind="confirmation",
                                                new_status=answer, created_at=at))
                if answer == "no":  # reopened, then fixed again for most
                    report.reopen_count = 1
                    updates.append(ReportUpdate(municipality_id=municipality.id, kind="status", old_status="fixed",
                                                new_status="in_progress", created_at=at))
                    if rng.random() < 0.7:
                        again = min(at + timedelta(days=rng.uniform(1, category.service_days)), now)
                        updates.append(ReportUpdate(municipality_id=municipality.id, kind="status",
                                                    old_status="in_progress", new_status="fixed", created_at=again,
                                                    body="Se volvió a reparar."))
                        report.closed_at = again
                    else:
                        status = "in_progress"
                        report.closed_at = None
        report.status = status
        report.updates = updates
        db.session.add(report)
        created_reports.append(report)
    db.session.flush()


def load() -> None:
    """Idempotent: does nothing when Intipucá already has categories."""
    municipality = get_by_slug("intipuca")
    if municipality is None:
        return
    if db.session.execute(select(Category.id).where(Category.municipality_id == municipality.id)).first():
        return
    categories = load_catalog(municipality)
    load_reports(municipality, categories)
