"""Demo: the migestion-style catalog and Intipucá's two published assessments
(January 2012 baseline, April 2013 follow-up). Idempotent."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.diagnostic import imports, scoring, services
from portal.diagnostic.demo_catalog import AREAS, CHECKLISTS, DERIVED, DIMENSION_LETTERS
from portal.diagnostic.demo_scores import SCORES
from portal.diagnostic.models import Assessment, Catalog
from portal.extensions import db
from portal.municipalities.services import get_by_slug

CATALOG_NAME = "Diagnóstico de gestión municipal (migestion)"

NOTES = {
    "2012-01-15": (
        "En el diagnóstico publicado, el Resultado Global de enero de 2012 es 61,67 (Desempeño Operativo) y 36,00 "
        "(Visión de Largo Plazo y Transparencia). Esas cifras no son coherentes con las puntuaciones por dimensión "
        "publicadas (Eficiencia 56,80; Efectividad 45,67; Transparencia 41,43; Sostenibilidad 47,85; Visión "
        "Estratégica 48,22), que esta demostración reproduce: con la composición del catálogo (medias de esas "
        "dimensiones) el Resultado Global resulta 51,23 y 45,83. Las áreas, las sub-áreas de Gestión Financiera y "
        "los indicadores de Contabilidad se reproducen; Inversión Pública da 50,58 (50,5833)."),
    "2013-04-15": (
        "El diagnóstico publicado de abril de 2013 solo informa el Resultado Global (80 y 70); los puntajes de los "
        "indicadores de esta demostración son ilustrativos y elegidos para reproducirlo."),
}
CONCLUSIONS = {
    "2012-01-15": (
        "La gestión financiera tiene bases sólidas en transparencia y auditoría externa, pero la organización del área "
        "y el registro contable oportuno son débiles. La atención al ciudadano es el área más rezagada: no hay "
        "ventanilla única ni registro de reclamos.",
        "Elaborar el manual de funciones del área financiera; registrar los movimientos contables dentro del mes; "
        "abrir una ventanilla única y un registro de reclamos; medir la satisfacción ciudadana."),
    "2013-04-15": (
        "Mejoras claras en eficiencia y efectividad: contabilidad al día, ventanilla única en funcionamiento y "
        "recuperación de mora. La sostenibilidad financiera sigue siendo el punto débil.",
        "Consolidar el plan de rescate financiero; actualizar la ordenanza de tasas; publicar la ejecución "
        "trimestral; medir la satisfacción con encuestas periódicas."),
}


def catalog_items() -> list[dict]:
    """The demo catalog as validated import items."""
    items = []
    for area_name, area_weight, subareas in AREAS:
        for sub_name, sub_weight, indicators in subareas:
            for code, name, dims, weight in indicators:
                tags = []
                for token in dims.split():
                    letter, _, tag_weight = token.partition(":")
                    tags.append((DIMENSION_LETTERS[letter], Decimal(tag_weight or 1)))
                rule = ("", None, None, "")
                source = param = ""
                description = f"Mide: {name[0].lower()}{name[1:]}."
                if code in DERIVED:
                    source, param, kind, zero, full, description = DERIVED[code]
                    rule = (kind, Decimal(zero), Decimal(full), "")
                items.append({
                    "row": 0, "area": area_name, "subarea": sub_name, "code": code, "name": name,
                    "description": description,
                    "measurement": "Puntaje de 0 a 100 según la guía de verificación de la metodología.",
                    "evidence": "Documentos de respaldo: actas, reportes del sistema, publicaciones o registros.",
                    "weight": Decimal(weight), "subarea_weight": Decimal(sub_weight),
                    "area_weight": Decimal(area_weight), "dimensions": tags, "rule": rule,
                    "checklist": CHECKLISTS.get(code, []), "source": source, "param": param})
    return items


def load():
    municipality = get_by_slug("intipuca")
    if municipality is None:
        return
    if db.session.execute(select(Assessment.id).where(Assessment.municipality_id == municipality.id)
                          .limit(1)).first() is not None:
        return
    catalog = db.session.execute(select(Catalog).where(Catalog.name == CATALOG_NAME)
                                 .order_by(Catalog.version.desc()).limit(1)).scalar_one_or_none()
    if catalog is None:
        catalog = imports.build_catalog(catalog_items(), CATALOG_NAME, publisher="Demostración (metodología migestion)",
                                        description="Cinco áreas de gestión, sus sub-áreas e indicadores, con las "
                                                    "dimensiones estratégicas y el semáforo 80/60/40.")
    services.adopt(municipality, catalog)
    for when, scores in sorted(SCORES.items()):
        assessment = services.create_assessment(municipality, catalog, date.fromisoformat(when),
                                                f"Diagnóstico {when[:7]}")
        result = services.staff_result(municipality, assessment)
        for code, value in scores.items():
            score = result.scores[code]
            if value == "na":
                score.state, score.value = scoring.NA, None
                score.note = "El municipio no tiene flota vehicular propia."
            elif value is None:
                score.state, score.value, score.raw_value = scoring.NR, None, None
                score.note = "Sin dato de la fuente en esta fecha: el portal aún no medía este indicador."
            else:
                score.state, score.value = scoring.SCORED, Decimal(value)
                if code in CHECKLISTS:
                    indicator = result.indicators[code]
                    met = len(indicator.checklist) * value // 100
                    score.checklist_met = ",".join(str(item.id) for item in indicator.checklist[:met])
        assessment.conclusions, assessment.next_steps = CONCLUSIONS[when]
        assessment.demo_note = NOTES[when]
        assessment.stage = "verified"
        db.session.flush()
        assessment.publish()
        db.session.flush()
