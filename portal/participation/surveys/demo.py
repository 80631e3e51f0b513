"""Demo surveys for Intipucá: a closed satisfaction survey of municipal services with
300 generated example responses (fixed random seed, labelled as example data), which
feeds the ``surveys.services_satisfaction`` source; and an open survey to answer."""
import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from portal.extensions import db
from portal.municipalities.services import get_by_slug
from portal.participation.surveys import services
from portal.participation.surveys.models import Answer, Survey, SurveyResponse
from portal.participation.surveys.redaction import redact

CLOSED_TITLE = "Satisfacción con los servicios municipales 2025"
OPEN_TITLE = "Consulta sobre recolección de desechos y servicios"
SEED = 2025
RESPONSES = 300

# Mean tendency (1-5) of each service in the example data, and share who do not use it.
PROFILE = {
    "Alumbrado público": (3.6, 0.02), "Aseo y barrido": (3.3, 0.05), "Recolección de desechos": (3.0, 0.03),
    "Parques": (3.7, 0.25), "Cementerio": (3.4, 0.40), "Calles": (2.8, 0.02), "Agua": (3.2, 0.08),
    "Atención en ventanilla": (3.8, 0.30),
}
COMMENTS = [
    "Que el camión de la basura pase más seguido por El Carao.",
    "Las lámparas de la calle principal llevan meses apagadas.",
    "Buena atención en la ventanilla de catastro, pero hay que esperar mucho.",
    "Arreglen las calles de La Leona antes del invierno.",
    "Pueden llamarme al 7777-1234 para contarles del problema del agua.",
    "Falta limpieza en el parque central los fines de semana.",
    "Escriban a vecino.cuco@correo.sv para coordinar la limpieza de la playa.",
]
SOURCES = ["Redes sociales", "Radio o perifoneo", "Por vecinos", "En la alcaldía", "No me entero"]


def _rating(rng, mean):
    return max(1, min(5, round(rng.gauss(mean, 1.0))))


def load():
    municipality = get_by_slug("intipuca")
    if municipality is None:
        return
    titles = set(db.session.scalars(select(Survey.title).where(Survey.municipality_id == municipality.id)))
    if CLOSED_TITLE not in titles:
        _closed_survey(municipality)
    if OPEN_TITLE not in titles:
        _open_survey(municipality)


def _closed_survey(municipality):
    survey = services.create_survey(
        municipality, title=CLOSED_TITLE, opens_on=date(2025, 9, 1), closes_on=date(2025, 10, 31),
        purpose="Medir la satisfacción de los vecinos con cada servicio municipal. Sus resultados "
                "alimentan el indicador de Atención al Ciudadano del diagnóstico de gestión.",
        audience="anyone", results_mode="at_close", is_example=True)
    s1 = services.add_section(municipality, survey, "Servicios municipales")
    s2 = services.add_section(municipality, survey, "Atención e información")
    s3 = services.add_section(municipality, survey, "Prioridades")
    matrix = services.add_question(municipality, survey, s1, kind="matrix", code="P1", required=True,
                                   text="¿Qué tan satisfecho está con cada servicio municipal?")
    care = services.add_question(municipality, survey, s2, kind="scale", code="P2", required=True,
                                 text="¿Qué tan satisfecho está con la atención que recibe en la alcaldía?")
    recommend = services.add_question(municipality, survey, s2, kind="rating", code="P3",
                                      text="Del 0 al 10, ¿qué tanto confía en la gestión municipal?")
    source = services.add_question(municipality, survey, s2, kind="single", code="P4", options=SOURCES,
                                   text="¿Cómo se entera de lo que hace la alcaldía?")
    priorities = services.add_question(municipality, survey, s3, kind="multiple", code="P5", max_choices=2,
                                       options=list(PROFILE), text="¿Qué servicios deben mejorar primero? (hasta 2)")
    comment = services.add_question(municipality, survey, s3, kind="long_text", code="P6",
                                    text="¿Algo más que quiera decirnos?")
    survey.publish()
    db.session.flush()

    rng = random.Random(SEED)
    districts = [d.id for d in municipality.districts]
    responses = []
    for index in range(RESPONSES):
        responses.append(SurveyResponse(
            municipality_id=municipality.id, survey_id=survey.id, idempotency_key=f"demo-{SEED}-{index}",
            district_id=rng.choice(districts) if districts else None, is_example=True,
            channel="paper" if index % 10 == 0 else "online"))
    db.session.add_all(responses)
    db.session.flush()
    rows = []
    for response in responses:
        base = dict(municipality_id=municipality.id, response_id=response.id, text="", redacted="", moderation="")
        for service, (mean, not_used) in PROFILE.items():
            number = None if rng.random() < not_used else _rating(rng, mean)
            rows.append(dict(base, question_id=matrix.id, item=service, number=number))
        rows.append(dict(base, question_id=care.id, item="", number=_rating(rng, 3.2)))
        if rng.random() < 0.9:
            rows.append(dict(base, question_id=recommend.id, item="",
                             number=max(0, min(10, round(rng.gauss(5.5, 2.2))))))
        rows.append(dict(base, question_id=source.id, item=rng.choice(SOURCES), number=None))
        for choice in rng.sample(list(PROFILE), rng.choice([1, 2])):
            rows.append(dict(base, question_id=priorities.id, item=choice, number=None))
        if rng.random() < 0.08:
            text = rng.choice(COMMENTS)
            rows.append(dict(base, question_id=comment.id, item="", number=None, text=text,
                             redacted=redact(text), moderation="approved" if rng.random() < 0.7 else "pending"))
    db.session.execute(insert(Answer), rows)


def _open_survey(municipality):
    today = date.today()
    survey = services.create_survey(
        municipality, title=OPEN_TITLE, opens_on=today - timedelta(days=7), closes_on=today + timedelta(days=180),
        purpose="Queremos saber cómo funciona la recolección de desechos en su calle y qué mejorar. "
                "Tres páginas cortas; puede cambiar su respuesta hasta el cierre.",
        audience="anyone", results_mode="live")
    s1 = services.add_section(municipality, survey, "Recolección en su calle")
    s2 = services.add_section(municipality, survey, "Otros servicios")
    s3 = services.add_section(municipality, survey, "Comentarios")
    services.add_question(municipality, survey, s1, kind="scale", code="R1", required=True,
                          text="¿Qué tan satisfecho está con la recolección de desechos?")
    frequency = services.add_question(
        municipality, survey, s1, kind="single", code="R2", required=True,
        text="¿Con qué frecuencia pasa el camión recolector por su calle?",
        options=["Dos o más veces por semana", "Una vez por semana", "Menos de una vez por semana", "No pasa"])
    services.add_question(municipality, survey, s2, kind="matrix", code="R3", required=True,
                          text="¿Qué tan satisfecho está con estos servicios?",
                          rows=["Alumbrado público", "Agua", "Calles", "Atención en ventanilla"])
    services.add_question(municipality, survey, s3, kind="single", code="R4",
                          text="¿Desde cuándo no pasa el camión?", condition_question=frequency,
                          condition_value="No pasa",
                          options=["Menos de un mes", "De uno a tres meses", "Más de tres meses"])
    services.add_question(municipality, survey, s3, kind="short_text", code="R5",
                          text="¿Qué deberíamos mejorar primero?", help="Sin datos personales, por favor.")
    survey.publish()
    db.session.flush()
