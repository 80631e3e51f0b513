"""The municipality's catalog of services (categories) and units, kept by its admins."""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.extensions import db
from portal.participation.complaints.models import Category, Unit
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
