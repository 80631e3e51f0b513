"""Demo roadmap: Intipucá's financial rescue plan (PRFM 2014-2018) and the World Bank
sample roadmap (a Gantt over weeks).

The PRFM lists six short-term activities (30,600.00); its stated short-term total is
44,696.42 (PFGL 35,596.42, FODES/cooperantes 9,100.00). Four plausible activities of
the same plan (mora, training, equipment, tax culture) complete the figures exactly.
"""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.municipalities.services import get_by_slug
from portal.roadmap import services
from portal.roadmap.models import (Activity, CorrectiveAction, Goal, Horizon, Milestone, Plan, Review)

PRFM = "Plan de Rescate Financiero Municipal 2014-2018"
WORLD_BANK = "Hoja de ruta de modernización de la gestión municipal (ejemplo del Banco Mundial)"
EVIDENCE = "https://www.intipuca.gob.sv/transparencia/prfm/"

TRIB, FIN, SERV, PLAN_ = ("Mejoramiento del Área Tributaria", "Fortalecimiento de la Gestión Financiera",
                          "Mejoramiento de los Servicios Públicos", "Planificación y Evaluación")
# number, horizon, action, area, title, start, end, responsible, cost, source, permanent
PRFM_ACTIVITIES = [
    ("1", 0, TRIB, "Tributaria", "Creación y equipamiento de la Unidad Administrativa Tributaria Municipal",
     "2014-01", "2014-01", "Concejo Municipal", "2000.00", "FODES", False),
    ("2", 0, FIN, "Financiera", "Creación de Comisión Financiera del Concejo Municipal",
     "2014-01", "2014-01", "Concejo Municipal", None, "N/A", False),
    ("3", 0, TRIB, "Tributaria", "Levantamiento de Catastro Tributario Municipal",
     "2014-02", "2014-03", "Consultor/a", "20000.00", "PFGL", False),
    ("4", 0, TRIB, "Tributaria",
     "Elaboración Estudio de Costos por Servicios Municipales y actualización de ordenanza de tasas",
     "2014-03", "2014-04", "Consultor/a", "2500.00", "PFGL", False),
    ("5", 0, TRIB, "Tributaria", "Depuración de la mora tributaria y gestión de cobro",
     "2014-05", "2014-12", "UATM", "3996.42", "PFGL", False),
    ("6", 0, TRIB, "Administrativa", "Equipamiento informático del Área Tributaria",
     "2014-06", "2014-06", "Concejo Municipal", "5000.00", "FODES", False),
    ("7", 0, TRIB, "Tributaria", "Campaña de cultura tributaria con la ciudadanía",
     "2014-06", "2014-07", "Comisión Financiera", "2100.00", "Cooperantes", False),
    ("8", 0, TRIB, "Tributaria", "Mecanización del Área Tributaria (Sistema de Catastro y Cuentas Corrientes)",
     "2014-07", "2014-08", "Consultor/a", "5300.00", "PFGL", False),
    ("9", 0, TRIB, "Tributaria", "Elaboración Manual de Procedimientos Tributarios",
     "2014-09", "2014-09", "Consultor/a", "800.00", "PFGL", False),
    ("10", 0, FIN, "Administrativa", "Capacitación del personal en administración tributaria y financiera",
     "2014-10", "2014-11", "Comisión Financiera", "3000.00", "PFGL", False),
    ("11", 1, TRIB, "Tributaria", "Aplicación de la reforma a la ordenanza de tasas",
     "2015-01", "2015-03", "Concejo Municipal", None, "N/A", False),
    ("12", 1, SERV, "Servicios públicos", "Elaboración Mapa de Servicios Públicos Municipales",
     "2015-05", "2015-05", "Unidad de Servicios Públicos", "2000.00", "Cooperantes", False),
    ("13", 1, PLAN_, "Administrativa", "Elaboración de Plan Estratégico Participativo",
     "2016-02", "2016-07", "Consultor/a", "25000.00", "PFGL", False),
    ("14", 1, TRIB, "Tributaria", "Recuperación de mora tributaria", None, None, "UATM", None,
     "Fondos Propios", True),
    ("15", 2, PLAN_, "Financiera", "Evaluación de Indicadores de Desempeño 2017",
     "2018-01", "2018-01", "Comisión Financiera", None, "N/A", False),
    ("16", 2, TRIB, "Tributaria", "Actualización de Base Tributaria (Levantamiento Catastral)",
     "2018-07", "2018-09", "UATM", "8000.00", "Fondos Propios", False),
]
# number: (state, done, evidence, limitation, observations, progress)
FOLLOW_UP = {
    "1": ("done", True, "acuerdo-creacion-uatm.pdf", "", "UATM en funciones desde febrero de 2014.", None),
    "2": ("done", True, "acta-comision-financiera.pdf", "", "", None),
    "3": ("done", True, "informe-catastro-2014.pdf", "", "4,812 inmuebles y 612 negocios registrados.", None),
    "4": ("done", True, "ordenanza-tasas-2014.pdf", "", "Aprobada por el Concejo en mayo de 2014.", None),
    "5": ("in_progress", False, "", "Personal insuficiente en la UATM.", "Se notificó al 60 % de los morosos.",
          Decimal("60")),
    "6": ("done", True, "", "", "", None),
    "7": ("delayed", False, "", "El cooperante aplazó el desembolso.", "Reprogramada para 2015.", Decimal("20")),
    "8": ("delayed", False, "", "Retraso en el desembolso del PFGL.", "Sistema instalado; falta migrar datos.",
          None),
    "9": ("done", True, "manual-procedimientos-tributarios.pdf", "", "", None),
    "10": ("in_progress", False, "", "", "", Decimal("50")),
    "11": ("done", True, "diario-oficial-ordenanza.pdf", "", "", None),
    "12": ("done", True, "mapa-servicios-publicos.pdf", "", "", None),
    "13": ("delayed", False, "", "La consulta ciudadana se amplió a todos los cantones.", "", Decimal("40")),
    "14": ("in_progress", False, "", "", "Recuperado el 5 % de la mora de impuestos en 2014.", None),
}
# Sub-activities of activity 8: their weighted progress rolls up (2x100 + 2x50 + 1x0) / 5 = 60 %.
SUB_ACTIVITIES = [("8.1", "Instalación del sistema de cuentas corrientes", "2", "done", None),
                  ("8.2", "Migración de los datos del catastro", "2", "in_progress", Decimal("50")),
                  ("8.3", "Capacitación de los usuarios del sistema", "1", "not_started", None)]
GOALS = [  # title, code, year, direction, target, baseline (2012), unit
    ("Autonomía financiera", "autonomia_financiera", 2015, ">=", "0.25", "0.1729", "ratio"),
    ("Autonomía operativa", "autonomia_operativa", 2016, ">=", "1", "0.7222", "ratio"),
    ("Índice de gasto en personal", "gasto_personal", 2015, "<=", "0.50", "0.5694", "ratio"),
    ("Ahorro corriente positivo", "ahorro_corriente", 2016, ">=", "0", "-155423.69", "money"),
    ("Límite de endeudamiento", "limite_endeudamiento", 2014, "<", "1.7", "0.4427", "ratio"),
    ("Capacidad de pago (positiva)", "capacidad_pago", 2014, ">=", "0", "0.5749", "ratio"),
]
WB_ACTIVITIES = [  # title, start, end, marker
    ("Actualización de registros catastrales", date(2026, 9, 7), date(2026, 10, 16), None),
    ("Reingeniería de procesos", date(2026, 9, 21), date(2026, 11, 6), "milestone"),
    ("Modernización de sistemas de información", date(2026, 10, 19), date(2026, 12, 18), None),
    ("Implementación de ventanilla única de atención", date(2026, 11, 9), date(2026, 12, 11), "milestone"),
    ("Realización de pagos automáticos", date(2026, 11, 30), date(2027, 1, 15), None),
    ("Evaluación de personal", date(2026, 12, 14), date(2026, 12, 24), "evaluation"),
    ("Implementación plan de capacitación", date(2027, 1, 4), date(2027, 2, 12), None),
    ("Realización encuesta de satisfacción de usuarios", date(2027, 2, 15), date(2027, 3, 5), None),
]


def _month(text: str | None, end: bool) -> date | None:
    if text is None:
        return None
    year, month = map(int, text.split("-"))
    if not end:
        return date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _prfm(municipality):
    plan = Plan(municipality_id=municipality.id, title=PRFM, approved_on=date(2013, 12, 20),
                council_act="Acta No. 24, Acuerdo No. 7 del Concejo Municipal (20/12/2013)",
                description="Medidas correctivas de corto, mediano y largo plazo para sanear las finanzas "
                            "municipales: área tributaria, gestión financiera y servicios públicos.")
    db.session.add(plan)
    horizons = [Horizon(municipality_id=municipality.id, plan=plan, name=name, position=i, starts_on=s, ends_on=e)
                for i, (name, s, e) in enumerate([
                    ("Corto plazo", date(2014, 1, 1), date(2014, 12, 31)),
                    ("Mediano plazo", date(2015, 1, 1), date(2017, 12, 31)),
                    ("Largo plazo", date(2018, 1, 1), None)])]
    actions = {name: CorrectiveAction(municipality_id=municipality.id, plan=plan, name=name, position=i)
               for i, name in enumerate((TRIB, FIN, SERV, PLAN_))}
    db.session.add_all([*horizons, *actions.values()])
    by_number = {}
    for position, (number, h, action, area, title, start, end, responsible, cost, source, permanent) in \
            enumerate(PRFM_ACTIVITIES, start=1):
        activity = Activity(
            municipality_id=municipality.id, plan=plan, horizon=horizons[h], action=actions[action],
            number=number, area=area, title=title, position=position * 10, responsible=responsible,
            starts_on=_month(start, False) or (horizons[h].starts_on if permanent else None),
            ends_on=_month(end, True), permanent=permanent, cost=Decimal(cost) if cost else None,
            currency="USD", funding_source=services.funding_source(municipality, source))
        by_number[number] = activity
        db.session.add(activity)
    by_number["3"].target_codes = "tributaria"
    by_number["3"].budget_lines = "11, 12"
    by_number["8"].target_codes = "tributaria, sistemas"
    db.session.flush()
    for index, (number, title, weight, state, pct) in enumerate(SUB_ACTIVITIES, start=1):
        parent = by_number["8"]
        db.session.add(Activity(
            municipality_id=municipality.id, plan=plan, horizon=parent.horizon, action=parent.action,
            parent_id=parent.id, number=number, area=parent.area, title=title, position=parent.position + index,
            starts_on=parent.starts_on, ends_on=parent.ends_on, responsible=parent.responsible,
            weight=Decimal(weight), state=state, done=state == "done", progress=pct, currency="USD"))
    db.session.add_all([
        Milestone(municipality_id=municipality.id, plan=plan, kind="milestone", due_on=date(2014, 1, 31),
                  activity_id=by_number["1"].id, title="UATM creada y equipada", reached=True),
        Milestone(municipality_id=municipality.id, plan=plan, kind="milestone", due_on=date(2014, 3, 31),
                  activity_id=by_number["3"].id, title="Catastro tributario levantado", reached=True),
        Milestone(municipality_id=municipality.id, plan=plan, kind="evaluation", due_on=date(2014, 12, 15),
                  title="Evaluación del corto plazo", reached=True),
        Milestone(municipality_id=municipality.id, plan=plan, kind="milestone", due_on=date(2015, 12, 31),
                  title="Vencimiento de la deuda refinanciada (USD 700,000)"),
        Milestone(municipality_id=municipality.id, plan=plan, kind="evaluation", due_on=date(2018, 1, 31),
                  activity_id=by_number["15"].id, title="Evaluación de indicadores de desempeño 2017"),
    ])
    for position, (title, code, year, direction, target, baseline, unit) in enumerate(GOALS):
        db.session.add(Goal(municipality_id=municipality.id, plan=plan, position=position, title=title,
                            source_key=f"finance.{code}", year=year, direction=direction, target=Decimal(target),
                            baseline=Decimal(baseline), baseline_year=2012, unit=unit))
    db.session.flush()
    plan.publish()
    db.session.flush()
    # Follow-up after publication, so each change is on the public record.
    for number, (state, done, evidence, limitation, observations, pct) in FOLLOW_UP.items():
        activity = by_number[number]
        activity.state, activity.done = state, done
        activity.progress = Decimal(100) if done else pct
        activity.verification_url = EVIDENCE + evidence if evidence else ""
        if done and not evidence:
            activity.verification_text = "Acta de recepción de bienes"
        activity.limitation, activity.observations = limitation, observations
    db.session.add(Review(municipality_id=municipality.id, plan=plan, held_on=date(2014, 10, 15),
                          title="Revisión del tercer trimestre de 2014",
                          summary="Se cumplieron 6 de 10 actividades de corto plazo. La mecanización del área "
                                  "tributaria se retrasó por el desembolso del PFGL.",
                          approved_changes="Reprogramar la campaña de cultura tributaria para 2015; ampliar el plazo "
                                           "de la mecanización hasta diciembre de 2014.",
                          council_act="Acta No. 19 del Concejo Municipal (17/10/2014)"))
    db.session.flush()


def _world_bank(municipality):
    plan = Plan(municipality_id=municipality.id, title=WORLD_BANK, time_unit="week", approved_on=date(2026, 8, 28),
                description="Pasos: definir la línea de base, planes de acción con hitos, estimar recursos y "
                            "mejora continua. Ejemplo de hoja de ruta en semanas.")
    db.session.add(plan)
    horizon = Horizon(municipality_id=municipality.id, plan=plan, name="Modernización", position=0,
                      starts_on=date(2026, 9, 7), ends_on=date(2027, 3, 5))
    db.session.add(horizon)
    states = ["done", "done", "in_progress", "in_progress", "not_started", "not_started", "not_started",
              "not_started"]
    for position, (title, start, end, marker) in enumerate(WB_ACTIVITIES, start=1):
        activity = Activity(municipality_id=municipality.id, plan=plan, horizon=horizon, number=str(position),
                            title=title, position=position, starts_on=start, ends_on=end, period_unit="day",
                            responsible="Equipo de modernización", state=states[position - 1],
                            done=states[position - 1] == "done", currency="USD")
        db.session.add(activity)
        if marker:
            db.session.flush()
            db.session.add(Milestone(municipality_id=municipality.id, plan=plan, activity_id=activity.id,
                                     kind=marker, due_on=end, title=title))
    db.session.flush()
    plan.publish()
    db.session.flush()


def load():
    """Load both plans for Intipucá (idempotent: skipped when they exist)."""
    municipality = get_by_slug("intipuca")
    if municipality is None:
        return
    titles = set(db.session.execute(select(Plan.title).where(Plan.municipality_id == municipality.id)).scalars())
    services.funding_sources(municipality)
    if PRFM not in titles:
        _prfm(municipality)
    if WORLD_BANK not in titles:
        _world_bank(municipality)
