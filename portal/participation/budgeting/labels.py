"""The counting rules in words a resident understands: a name and one line on how it
picks the winners (the codes ``greedy``, ``mes-add1``... stay in files, the API and the
command line)."""
from flask_babel import lazy_gettext as _l

RULE_LABELS = {
    "greedy": _l("Los más votados primero"),
    "mes": _l("Partes iguales"),
    "mes-add1": _l("Partes iguales, con el presupuesto completado"),
    "mes-add1-comparison": _l("Partes iguales, comparado con los más votados"),
    "mes-add1-greedy": _l("Partes iguales, y lo que sobra a los más votados"),
}
RULE_EXPLANATIONS = {
    "greedy": _l("Se financian los proyectos en orden de votos, del más votado hacia abajo, mientras alcance "
                 "el presupuesto."),
    "mes": _l("Cada votante recibe una parte igual del presupuesto; un proyecto se financia cuando quienes lo "
              "votaron pueden pagarlo juntando sus partes, así cada grupo de vecinos obtiene algo."),
    "mes-add1": _l("Como «partes iguales», pero la parte de cada votante sube de a poco mientras quede presupuesto "
                   "sin usar, para gastarlo casi todo."),
    "mes-add1-comparison": _l("Partes iguales con el presupuesto completado, salvo que más votantes prefieran el "
                              "resultado de «los más votados primero»: entonces se usa ese."),
    "mes-add1-greedy": _l("Partes iguales con el presupuesto completado; lo que aún sobra se reparte entre los "
                          "más votados que quepan."),
}


def rule_label(rule: str) -> str:
    return str(RULE_LABELS.get(rule, rule))


def rule_explanation(rule: str) -> str:
    return str(RULE_EXPLANATIONS.get(rule, ""))
