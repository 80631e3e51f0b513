"""How the change record names the diagnostic's objects and fields (see portal.audit.labels)."""
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register

STAGES = {"draft": _l("Borrador"), "submitted": _l("Enviado a revisión"), "queried": _l("Con observaciones"),
          "verified": _l("Verificado")}
SCORE_STATES = {"scored": _l("Con puntaje"), "na": _l("No aplica"), "nr": _l("No reportado")}


def register_all():
    register("Catalog", _l("Catálogo de indicadores"),
             fields={"version": _l("versión"), "publisher": _l("publicado por"),
                     "verification_required": _l("exige verificación"), "cut_alto": _l("corte del nivel alto"),
                     "cut_medio_alto": _l("corte del nivel medio alto"), "cut_medio": _l("corte del nivel medio"),
                     "label_alto": _l("nombre del nivel alto"), "label_medio_alto": _l("nombre del nivel medio alto"),
                     "label_medio": _l("nombre del nivel medio"), "label_bajo": _l("nombre del nivel bajo")})
    register("Adoption", _l("Adopción de un catálogo"), fields={"adopted_at": _l("adoptado el")},
             values={"adopted_at": "datetime"})
    register("Assessment", _l("Diagnóstico"),
             fields={"stage": _l("etapa de revisión"), "conclusions": _l("conclusiones"),
                     "next_steps": _l("próximos pasos"), "query_note": _l("observaciones del verificador"),
                     "verification_sample": _l("muestra verificada"), "verified_at": _l("verificado el"),
                     "demo_note": _l("nota de ejemplo")},
             values={"date": "date", "stage": STAGES, "verified_at": "datetime"})
    register("Score", _l("Puntaje de un indicador"),
             fields={"state": _l("situación"), "evidence_url": _l("enlace a la evidencia"),
                     "checklist_met": _l("requisitos cumplidos"), "catalog_version": _l("versión del catálogo"),
                     "raw_value": _l("valor medido"), "raw_detail": _l("detalle de la medición"),
                     "raw_url": _l("enlace a la medición")},
             values={"state": SCORE_STATES})
