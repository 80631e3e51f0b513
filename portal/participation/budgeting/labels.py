"""The counting rules in words a resident understands: a name and one line on how it
picks the winners (the codes ``greedy``, ``mes-add1``... stay in files, the API and the
command line), and why each project was or was not funded."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.core.i18n import money as format_money
from portal.core.i18n import number

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


def reason_text(line, currency: str, ballot_type: str) -> str:
    """Why the project was or was not funded, in words (translated): ``line`` is a
    :class:`~portal.participation.budgeting.models.ResultLine`."""
    def money(v):
        return format_money(v, currency) if v is not None else ""

    count = ngettext("%(count)s voto", "%(count)s votos", int(line.votes), count=number(line.votes, 0)) \
        if ballot_type == "approval" else \
        ngettext("%(count)s puntos de %(v)s votante", "%(count)s puntos de %(v)s votantes", int(line.votes),
                 count=number(line.score, 0), v=number(line.votes, 0))
    if line.reason == "no_votes":
        return _("Sin votos.")
    if line.reason in ("greedy_funded", "greedy_completion_funded"):
        extra = _("financiado con lo que quedó tras el reparto equitativo") \
            if line.reason == "greedy_completion_funded" else _("financiado en orden de votos")
        return _("%(count)s; %(extra)s; quedan %(left)s.", count=count, extra=extra, left=money(line.remaining))
    if line.reason in ("did_not_fit", "did_not_fit_after_mes"):
        return _("%(count)s; no cupo: quedaban %(left)s del presupuesto tras los proyectos más votados.",
                 count=count, left=money(line.remaining))
    if line.reason == "mes_funded":
        return _("%(count)s; financiado con partes iguales del presupuesto de quienes lo apoyaron "
                 "(elegido en el puesto %(n)s).", count=count, n=line.pick_order or "")
    if line.reason == "mes_unaffordable":
        return _("%(count)s; no financiado: a quienes lo apoyaron les quedaban %(money)s de sus partes, "
                 "no alcanzaba para su costo.", count=count, money=money(line.supporters_money))
    return count


# The anonymized ballots file (papeletas.csv) in the language of the page it is downloaded from.
BALLOT_FILE_HEADERS = (_l("papeleta"), _l("elecciones"), _l("canal"), _l("distrito"))
CHANNEL_WORDS = {"online": _l("en línea"), "web": "web", "paper": _l("papel"), "kiosk": _l("quiosco"),
                 "example": _l("ejemplo")}


def ballot_file(ballots) -> tuple[list[str], list[list]]:
    """``(choices, channel, district)`` ballots as the file's headers and numbered rows; the
    choices stay pabulib's project ids, so the file recomputes the result as written."""
    return ([str(h) for h in BALLOT_FILE_HEADERS],
            [[number, choices, str(CHANNEL_WORDS.get(channel, channel)), district]
             for number, (choices, channel, district) in enumerate(ballots, 1)])
