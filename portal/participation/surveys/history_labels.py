"""How the change record names the surveys' objects and fields (see portal.audit.labels)."""
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register
from portal.participation.surveys.forms import KIND_CHOICES

AUDIENCES = {"anyone": _l("Cualquier persona (sin cuenta)"), "signed_in": _l("Personas con cuenta"),
             "verified": _l("Residentes verificados")}
KIND_LABELS = {choice.value: choice.label for choice in KIND_CHOICES}
RESULTS = {"at_close": _l("Se publican al cerrar"), "live": _l("En vivo mientras está abierta")}


def register_all():
    register("Survey", _l("Encuesta"),
             fields={"opens_on": _l("abre el"), "closes_on": _l("cierra el"), "audience": _l("quién puede responder"),
                     "results_mode": _l("resultados"), "ask_district": _l("pregunta el distrito"),
                     "closed_at": _l("cerrada el")},
             values={"opens_on": "date", "closes_on": "date", "audience": AUDIENCES, "results_mode": RESULTS,
                     "closed_at": "datetime"})
    register("SurveySection", _l("Página de una encuesta"), fields={"intro": _l("introducción")})
    register("Question", _l("Pregunta"),
             fields={"text": _l("pregunta"), "help": _l("ayuda"), "options": _l("opciones"),
                     "max_choices": _l("máximo de opciones"), "scale_labels": _l("etiquetas de la escala"),
                     "rows": _l("filas"), "condition_value": _l("se muestra si la respuesta es")},
             values={"kind": KIND_LABELS})
