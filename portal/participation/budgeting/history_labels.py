"""How the change record names participatory budgeting's objects and fields (see portal.audit.labels)."""
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register
from portal.participation.budgeting.forms import BALLOT_LABELS, RULE_LABELS
from portal.roadmap.services import source_ref_text

ELIGIBILITY = {"municipality": _l("Residentes del municipio"), "district": _l("Residentes del distrito del proyecto")}
REVIEW = {"proposed": _l("Propuesto"), "in_review": _l("En revisión"), "accepted": _l("Viable: va a la papeleta"),
          "changed": _l("Viable con cambios"), "rejected": _l("No viable")}
DATE_FIELDS = ("proposals_open", "proposals_close", "review_close", "voting_open", "voting_close", "results_date",
               "execution_start")


def register_all():
    register("BudgetProcess", _l("Proceso de presupuesto participativo"),
             fields={"budget": _l("presupuesto total"), "proposals_open": _l("propuestas: desde"),
                     "proposals_close": _l("propuestas: hasta"), "review_close": _l("revisión técnica: hasta"),
                     "voting_open": _l("votación: desde"), "voting_close": _l("votación: hasta"),
                     "results_date": _l("resultados"), "execution_start": _l("inicio de la ejecución"),
                     "ballot_type": _l("tipo de papeleta"), "min_choices": _l("mínimo de proyectos a elegir"),
                     "max_choices": _l("máximo de proyectos a elegir"),
                     "knapsack": _l("lo elegido no puede costar más que el presupuesto"),
                     "points": _l("puntos a repartir"), "rank_k": _l("cuántos ordenar"),
                     "eligibility": _l("quién vota"), "min_age": _l("edad mínima"),
                     "rule": _l("regla para elegir ganadores"), "allow_change": _l("se puede cambiar el voto"),
                     "rulebook_frozen_at": _l("reglas fijadas el"), "voting_closed_at": _l("votación cerrada el"),
                     "is_historical": _l("proceso histórico"), "example_data": _l("datos de ejemplo"),
                     "source_note": _l("fuente"), "meta_json": _l("datos de origen")},
             values={"budget": "money", "ballot_type": BALLOT_LABELS, "eligibility": ELIGIBILITY, "rule": RULE_LABELS,
                     "rulebook_frozen_at": "datetime", "voting_closed_at": "datetime", "meta_json": "text",
                     **{name: "date" for name in DATE_FIELDS}},
             hidden=("meta_json",))
    register("BudgetProject", _l("Proyecto"),
             fields={"ref": _l("referencia"), "original_cost": _l("costo propuesto"), "place": _l("lugar"),
                     "photo": _l("foto"), "review_status": _l("revisión técnica"),
                     "review_reason": _l("motivo de la revisión"), "work_ref": _l("obra vinculada")},
             values={"cost": "money", "original_cost": "money", "photo": "file", "review_status": REVIEW,
                     "work_ref": source_ref_text})
    register("DistrictBudget", _l("Presupuesto de un distrito"), values={"amount": "money"})
    register("TallyResult", _l("Resultado de la votación"),
             fields={"voters": _l("votantes"), "total_cost": _l("costo total de los ganadores"),
                     "per_voter_budget": _l("presupuesto por votante"), "mes_runs": _l("rondas del cálculo"),
                     "seconds": _l("segundos de cálculo"), "computed_at": _l("calculado el")},
             values={"rule": RULE_LABELS, "total_cost": "money", "per_voter_budget": "money",
                     "computed_at": "datetime"})
