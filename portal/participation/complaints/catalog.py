"""The municipality's catalog of services (categories) and units, kept by its admins."""
import json
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.extensions import db
from portal.municipalities.models import District
from portal.participation.complaints.models import (
    DATATYPES,
    Category,
    CategoryAttribute,
    Neighbourhood,
    Report,
    Unit,
)
from portal.participation.complaints.services import ReportError

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def _unit(municipality, unit_id):
    if not unit_id:
        return None
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.municipality_id != municipality.id:
        raise ReportError("default_unit", _l("Unidad desconocida."))
    return unit


def add_unit(municipality, name: str, email: str = "") -> Unit:
    name = (name or "").strip()
    if not name:
        raise ReportError("name", _l("Indique el nombre de la unidad."))
    if db.session.execute(select(Unit.id).where(Unit.municipality_id == municipality.id, Unit.name == name)).first():
        raise ReportError("name", _l("Ya existe una unidad con ese nombre."))
    unit = Unit(municipality_id=municipality.id, name=name[:160], email=(email or "").strip()[:254])
    db.session.add(unit)
    db.session.flush()
    return unit


def add_category(municipality, code: str, name: str, service_days: int, unit_id=None, description: str = "",
                 group: str = "", keywords: str = "") -> Category:
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise ReportError("code", _l("Use minúsculas, dígitos y guiones (por ejemplo alumbrado)."))
    if db.session.execute(select(Category.id).where(Category.municipality_id == municipality.id,
                                                    Category.code == code)).first():
        raise ReportError("code", _l("Ese código ya está en uso."))
    if not service_days or service_days < 1:
        raise ReportError("service_days", _l("El plazo de atención es de al menos un día."))
    unit = _unit(municipality, unit_id)
    category = Category(municipality_id=municipality.id, code=code, name=(name or "").strip()[:160],
                        service_days=service_days, default_unit_id=unit.id if unit else None,
                        description=(description or "").strip(), group=(group or "").strip()[:80],
                        keywords=(keywords or "").strip()[:300], position=999)
    db.session.add(category)
    db.session.flush()
    return category


def update_category(municipality, category: Category, *, name: str, service_days: int, unit_id, active: bool,
                    description: str = "") -> None:
    if category.municipality_id != municipality.id:
        raise ReportError("category", _l("Servicio desconocido."))
    if not service_days or service_days < 1:
        raise ReportError("service_days", _l("El plazo de atención es de al menos un día."))
    unit = _unit(municipality, unit_id)
    category.name = (name or category.name).strip()[:160]
    category.service_days = service_days
    category.default_unit_id = unit.id if unit else None
    category.active = bool(active)
    category.description = (description or "").strip()
    db.session.flush()


def add_question(municipality, category: Category, *, code: str, description: str, datatype: str,
                 required: bool = False, options: str = "", hint: str = "") -> CategoryAttribute:
    """An extra question; ``options`` holds one ``key=Name`` per line for list questions."""
    if category.municipality_id != municipality.id:
        raise ReportError("category", _l("Servicio desconocido."))
    code = (code or "").strip()
    if not re.match(r"^[A-Za-z0-9_-]{1,40}$", code):
        raise ReportError("code", _l("Use letras, dígitos, guion o guion bajo."))
    if any(a.code == code for a in category.attributes):
        raise ReportError("code", _l("Ese código ya está en uso."))
    if datatype not in DATATYPES:
        raise ReportError("datatype", _l("Tipo desconocido."))
    values = []
    for number, line in enumerate((options or "").splitlines(), start=1):
        if not line.strip():
            continue
        key, _sep, name = line.partition("=")
        if not key.strip() or not name.strip():
            raise ReportError("options", _l("Línea %(n)s: escriba clave=Nombre.", n=number))
        values.append([key.strip(), name.strip()])
    if datatype.endswith("valuelist") and not values:
        raise ReportError("options", _l("Una pregunta de opciones necesita al menos una opción."))
    order = max((a.order for a in category.attributes), default=0) + 1
    attribute = CategoryAttribute(code=code, order=order, datatype=datatype, required=bool(required),
                                  description=(description or "").strip()[:500],
                                  datatype_description=(hint or "").strip()[:300],
                                  values_json=json.dumps(values if datatype.endswith("valuelist") else [],
                                                         ensure_ascii=False))
    category.attributes.append(attribute)
    db.session.flush()
    return attribute


def remove_question(municipality, category: Category, attribute_id: int) -> None:
    attribute = next((a for a in category.attributes if a.id == attribute_id), None)
    if category.municipality_id != municipality.id or attribute is None:
        raise ReportError("question", _l("Pregunta desconocida."))
    db.session.delete(attribute)  # deleted while it still knows its category, so the record names the town
    db.session.flush()
    db.session.expire(category, ["attributes"])


def add_neighbourhood(municipality, district_id, name: str) -> Neighbourhood:
    district = db.session.get(District, district_id) if district_id else None
    if district is None or district.municipality_id != municipality.id:
        raise ReportError("district", _l("Distrito desconocido."))
    name = (name or "").strip()[:120]
    if not name:
        raise ReportError("name", _l("Indique el nombre del barrio."))
    if db.session.execute(select(Neighbourhood.id).where(Neighbourhood.district_id == district.id,
                                                         Neighbourhood.name == name)).first():
        raise ReportError("name", _l("Ese barrio ya está en la lista."))
    place = Neighbourhood(municipality_id=municipality.id, district_id=district.id, name=name)
    db.session.add(place)
    db.session.flush()
    return place


def remove_neighbourhood(municipality, place_id: int) -> None:
    """Reports that named it keep their district; their neighbourhood becomes empty."""
    place = db.session.get(Neighbourhood, place_id)
    if place is None or place.municipality_id != municipality.id:
        raise ReportError("neighbourhood", _l("Barrio desconocido."))
    db.session.execute(update(Report).where(Report.neighbourhood_id == place.id).values(neighbourhood_id=None))
    db.session.delete(place)
    db.session.flush()
