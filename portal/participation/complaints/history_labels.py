"""How the change record names the complaints' objects and fields (see portal.audit.labels)."""
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register
from portal.participation.complaints.notify import status_label

UPDATE_KINDS = {"status": _l("cambio de estado"), "public": _l("respuesta pública"), "note": _l("nota interna"),
                "assignment": _l("asignación"), "moderation": _l("moderación"),
                "confirmation": _l("confirmación de quien reportó"), "support": _l("apoyo")}
DATATYPES = {"string": _l("texto corto"), "number": _l("número"), "datetime": _l("fecha y hora"),
             "text": _l("texto largo"), "singlevaluelist": _l("una opción"), "multivaluelist": _l("varias opciones")}


def register_all():
    register("Unit", _l("Unidad responsable"))
    register("Category", _l("Servicio de reportes"),
             fields={"keywords": _l("palabras clave"), "group": _l("grupo"),
                     "service_days": _l("plazo de atención (días)")},
             hidden=("code",))
    register("CategoryAttribute", _l("Pregunta de un servicio"),
             fields={"order": _l("orden"), "variable": _l("la responde quien reporta"), "datatype": _l("tipo de dato"),
                     "datatype_description": _l("explicación del tipo"), "values_json": _l("opciones")},
             values={"datatype": DATATYPES}, hidden=("code",))
    register("Neighbourhood", _l("Barrio"))
    register("ReportUpdate", _l("Novedad de un reporte"),
             fields={"old_status": _l("estado anterior"), "new_status": _l("estado nuevo")},
             values={"kind": UPDATE_KINDS, "old_status": status_label, "new_status": status_label})
