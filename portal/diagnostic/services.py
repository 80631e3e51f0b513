"""Use cases of the diagnostic: reading catalogs and published results, and the
assessment's life (draft -> submitted -> queried / verified -> published).

Services take the municipality first and only ``flush()``; views commit.
"""
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.core.clock import utcnow
from portal.core.publication import PUBLISHED
from portal.core import registry
from portal.diagnostic import scoring
from portal.diagnostic.models import (Adoption, Area, Assessment, Catalog, Composite, CompositePart,
                                      Indicator, IndicatorDimension, Score, SubArea)
from portal.extensions import db


class DiagnosticError(ValueError):
    """A step that cannot be taken; the message says why."""


# ---------------------------------------------------------------- catalogs

def _tree_options():
    return (
        selectinload(Catalog.areas).selectinload(Area.subareas).selectinload(SubArea.indicators)
        .selectinload(Indicator.tags).selectinload(IndicatorDimension.dimension),
        selectinload(Catalog.areas).selectinload(Area.subareas).selectinload(SubArea.indicators)
        .selectinload(Indicator.checklist),
        selectinload(Catalog.dimensions),
        selectinload(Catalog.composites).selectinload(Composite.parts).selectinload(CompositePart.dimension),
    )


def load_catalogs(ids) -> dict[int, Catalog]:
    """Catalogs with their whole tree, in a constant number of queries."""
    ids = set(ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Catalog).where(Catalog.id.in_(ids)).options(*_tree_options())).scalars()
    return {c.id: c for c in rows}


def adopted_catalog(municipality) -> Catalog | None:
    """The municipality's latest adopted catalog, else the only catalog available to it."""
    adoption = db.session.execute(
        select(Adoption).where(Adoption.municipality_id == municipality.id)
        .order_by(Adoption.adopted_at.desc(), Adoption.id.desc()).limit(1)).scalar_one_or_none()
    if adoption is not None:
        return adoption.catalog
    available = list(db.session.execute(select(Catalog).where(
        (Catalog.municipality_id.is_(None)) | (Catalog.municipality_id == municipality.id)).limit(2)).scalars())
    return available[0] if len(available) == 1 else None


def catalog_by_name(municipality, name: str) -> Catalog | None:
    """The latest version of the catalog called ``name`` that the municipality may use."""
    return db.session.execute(select(Catalog).where(
        Catalog.name == name,
        (Catalog.municipality_id.is_(None)) | (Catalog.municipality_id == municipality.id))
        .order_by(Catalog.version.desc()).limit(1)).scalar_one_or_none()


def adopt(municipality, catalog) -> Adoption:
    if catalog.municipality_id not in (None, municipality.id):
        raise DiagnosticError(_l("Este catálogo pertenece a otro municipio."))
    adoption = Adoption(municipality_id=municipality.id, catalog_id=catalog.id)
    db.session.add(adoption)
    db.session.flush()
    return adoption


def indicator_list(catalog) -> list[Indicator]:
    return [i for a in catalog.areas for s in a.subareas for i in s.indicators]


# ---------------------------------------------------------------- results

@dataclass
class Result:
    """One assessment with its catalog tree, scores by indicator code and roll-up."""
    assessment: Assessment
    catalog: Catalog
    scores: dict  # indicator code -> Score
    rollup: scoring.Rollup
    previous: "Result | None" = None
    version_changed: bool = False
    areas: dict = field(default_factory=dict)  # code -> Area
    subareas: dict = field(default_factory=dict)
    indicators: dict = field(default_factory=dict)

    def band(self, score):
        return scoring.band_for(score, self.catalog.cutoffs)

    def node(self, kind: str, code: str):
        """``kind``: indicators, subareas, areas, dimensions or composites."""
        return getattr(self.rollup, kind).get(code)

    def score(self, kind: str, code: str):
        node = self.node(kind, code)
        return node.score if node is not None else None

    def prev(self, kind: str, code: str):
        return self.previous.score(kind, code) if self.previous is not None else None

    def delta(self, kind: str, code: str):
        return scoring.change(self.prev(kind, code), self.score(kind, code))

    def composite(self, axis: str):
        for comp in self.catalog.composites:
            if comp.axis == axis:
                return comp
        return None

    @property
    def unverified(self) -> bool:
        return self.catalog.verification_required and not self.assessment.is_verified

    def band_label(self, key):
        return self.catalog.band_labels.get(key, "") if key else ""


def rollup_for(catalog: Catalog, scores: dict) -> scoring.Rollup:
    """The pure roll-up of a catalog tree and ``scores`` (indicator code -> Score)."""
    def indicator_input(ind):
        score = scores.get(ind.code)
        state = score.state if score is not None else scoring.NR
        value = score.value if score is not None and state == scoring.SCORED else None
        if state == scoring.SCORED and value is None:
            state = scoring.NR
        return scoring.IndicatorInput(ind.code, state, value, ind.weight,
                                      tuple((t.dimension.code, t.weight) for t in ind.tags))
    areas = tuple(
        scoring.AreaInput(a.code, tuple(
            scoring.SubAreaInput(s.code, tuple(indicator_input(i) for i in s.indicators), s.weight)
            for s in a.subareas), a.weight)
        for a in catalog.areas)
    composites = tuple(scoring.CompositeInput(c.code, tuple((p.dimension.code, p.weight) for p in c.parts))
                       for c in catalog.composites)
    return scoring.roll_up(areas, [d.code for d in catalog.dimensions], composites)


def _results(municipality, statement) -> list[Result]:
    assessments = list(db.session.execute(statement).scalars())
    if not assessments:
        return []
    catalogs = load_catalogs(a.catalog_id for a in assessments)
    rows = db.session.execute(select(Score).where(
        Score.municipality_id == municipality.id,
        Score.assessment_id.in_([a.id for a in assessments]))).scalars()
    by_assessment: dict[int, dict] = {a.id: {} for a in assessments}
    for score in rows:
        by_assessment[score.assessment_id][score.indicator_id] = score
    results = []
    previous = None
    for assessment in assessments:
        catalog = catalogs[assessment.catalog_id]
        inds = indicator_list(catalog)
        scores = {i.code: by_assessment[assessment.id][i.id] for i in inds if i.id in by_assessment[assessment.id]}
        result = Result(assessment, catalog, scores, rollup_for(catalog, scores), previous,
                        version_changed=previous is not None and previous.catalog.id != catalog.id,
                        areas={a.code: a for a in catalog.areas},
                        subareas={s.code: s for a in catalog.areas for s in a.subareas},
                        indicators={i.code: i for i in inds})
        results.append(result)
        previous = result
    return results


def published_results(municipality) -> list[Result]:
    """Every published assessment of the municipality, oldest first, each linked to the
    one before it (for evolution). A constant number of queries."""
    return _results(municipality, select(Assessment).where(
        Assessment.municipality_id == municipality.id, Assessment.status == PUBLISHED)
        .order_by(Assessment.date, Assessment.id))


def pick(results: list[Result], wanted: str | None) -> Result | None:
    """The result chosen by ``?assessment=`` (an id or a YYYY-MM-DD date); the latest
    without it; None when the choice matches nothing."""
    if not results:
        return None
    if not wanted:
        return results[-1]
    for result in results:
        if str(result.assessment.id) == wanted or result.assessment.date.isoformat() == wanted:
            return result
    return None


def staff_result(municipality, assessment) -> Result:
    """Any assessment (drafts too) with its roll-up, for staff pages."""
    return _results(municipality, select(Assessment).where(
        Assessment.municipality_id == municipality.id, Assessment.id == assessment.id))[0]


def has_published(municipality) -> bool:
    return db.session.execute(select(Assessment.id).where(
        Assessment.municipality_id == municipality.id, Assessment.status == PUBLISHED).limit(1)).first() is not None


def live_value(municipality, indicator, as_of: date | None = None):
    """The source's current value and the score the rule gives it: (SourceValue|None, score|None)."""
    if not indicator.is_derived:
        return None, None
    value = registry.read(indicator.source_key, municipality, as_of or date.today(), indicator.source_param or None)
    if value is None:
        return None, None
    return value, score_from_rule(indicator, value.value)


def source_for(indicator):
    return registry.source(indicator.source_key) if indicator.source_key else None


def score_from_rule(indicator, raw) -> Decimal | None:
    bands = scoring.parse_bands(indicator.rule_bands) if indicator.rule_kind.startswith("bands") else ()
    return scoring.apply_rule(indicator.rule_kind, raw, indicator.rule_zero, indicator.rule_full, bands)


# ---------------------------------------------------------------- assessments

def assessments(municipality) -> list[Assessment]:
    return list(db.session.execute(select(Assessment).where(Assessment.municipality_id == municipality.id)
                                   .order_by(Assessment.date.desc(), Assessment.id.desc())).scalars())


def get_assessment(municipality, assessment_id: int) -> Assessment | None:
    return db.session.execute(select(Assessment).where(
        Assessment.municipality_id == municipality.id, Assessment.id == assessment_id)).scalar_one_or_none()


def capture_sources(municipality, assessment, scores: dict, indicators) -> None:
    """Derived indicators take their source's value for the assessment's date and keep it."""
    for indicator in indicators:
        if not indicator.is_derived:
            continue
        score = scores[indicator.code]
        value = registry.read(indicator.source_key, municipality, assessment.date, indicator.source_param or None)
        if value is None:
            score.state, score.value, score.raw_value = scoring.NR, None, None
            score.raw_detail, score.raw_url = "", ""
            continue
        score.raw_value, score.raw_detail, score.raw_url = value.value, value.detail[:300], value.url or ""
        score.value = score_from_rule(indicator, value.value)
        score.state = scoring.SCORED


def create_assessment(municipality, catalog, when: date, title: str = "") -> Assessment:
    """A draft assessment with every indicator *no reportado*, derived ones read from their sources."""
    if catalog.municipality_id not in (None, municipality.id):
        raise DiagnosticError(_l("Este catálogo pertenece a otro municipio."))
    catalog = load_catalogs([catalog.id])[catalog.id]
    assessment = Assessment(municipality_id=municipality.id, catalog=catalog, date=when,
                            title=title or f"Diagnóstico {when.isoformat()}")
    db.session.add(assessment)
    scores = {}
    for indicator in indicator_list(catalog):
        scores[indicator.code] = Score(assessment=assessment, municipality_id=municipality.id,
                                       indicator=indicator, state=scoring.NR, catalog_version=catalog.version)
    db.session.add_all(scores.values())
    db.session.flush()
    capture_sources(municipality, assessment, scores, indicator_list(catalog))
    db.session.flush()
    return assessment


def _editable(assessment):
    if assessment.status == PUBLISHED:
        raise DiagnosticError(_l("Un diagnóstico publicado no se modifica: cree uno nuevo."))


def save_scores(municipality, assessment, entries) -> int:
    """``entries``: dicts with code, state, value, note, evidence_url, checklist_met (ids).
    A checklist indicator's score is the weighted share of its items met."""
    _editable(assessment)
    if assessment.municipality_id != municipality.id:
        raise DiagnosticError(_l("Diagnóstico de otro municipio."))
    result = staff_result(municipality, assessment)
    changed = 0
    for entry in entries:
        indicator = result.indicators.get(entry["code"])
        score = result.scores.get(entry["code"])
        if indicator is None or score is None:
            raise DiagnosticError(_l("Indicador desconocido: %(code)s", code=entry["code"]))
        state = entry.get("state") or scoring.NR
        value = entry.get("value")
        met = set(entry.get("checklist_met") or ())
        if state == scoring.SCORED and indicator.checklist:
            value = scoring.checklist_score((item.weight, item.id in met) for item in indicator.checklist)
            score.checklist_met = ",".join(str(i) for i in sorted(met))
        if state == scoring.SCORED and (value is None or not 0 <= value <= 100):
            raise DiagnosticError(_l("%(code)s: el puntaje va de 0 a 100.", code=indicator.code))
        score.state = state
        score.value = value if state == scoring.SCORED else None
        score.note = entry.get("note") or ""
        score.evidence_url = entry.get("evidence_url") or ""
        changed += 1
    if assessment.stage == "queried":
        assessment.stage = "draft"
    db.session.flush()
    return changed


def submit(municipality, assessment) -> None:
    _editable(assessment)
    if assessment.stage not in ("draft", "queried"):
        raise DiagnosticError(_l("Solo se envía un borrador o un diagnóstico observado."))
    assessment.stage = "submitted"
    db.session.flush()


def draw_sample(municipality, assessment, size: int = 5, rng=None) -> list[str]:
    """A random sample of scored indicators for the verifier to check against their evidence."""
    result = staff_result(municipality, assessment)
    codes = sorted(code for code, s in result.scores.items() if s.state == scoring.SCORED)
    chosen = sorted((rng or random.SystemRandom()).sample(codes, min(size, len(codes))))
    assessment.verification_sample = ",".join(chosen)[:500]
    db.session.flush()
    return chosen


def query(municipality, assessment, note: str) -> None:
    """The verifier returns the assessment to its editors with a question."""
    _editable(assessment)
    if assessment.stage != "submitted":
        raise DiagnosticError(_l("Solo se observa un diagnóstico enviado."))
    if not (note or "").strip():
        raise DiagnosticError(_l("Escriba qué debe revisarse."))
    assessment.stage, assessment.query_note = "queried", note.strip()
    db.session.flush()


def verify(municipality, assessment) -> None:
    if assessment.stage != "submitted":
        raise DiagnosticError(_l("Solo se verifica un diagnóstico enviado."))
    assessment.stage, assessment.verified_at = "verified", utcnow()
    db.session.flush()


def publish(municipality, assessment, conclusions: str | None = None, next_steps: str | None = None) -> None:
    """Publish a submitted or verified assessment (unverified ones carry a badge)."""
    _editable(assessment)
    if assessment.stage not in ("submitted", "verified"):
        raise DiagnosticError(_l("Envíe el diagnóstico (y resuelva las observaciones) antes de publicarlo."))
    if conclusions is not None:
        assessment.conclusions = conclusions
    if next_steps is not None:
        assessment.next_steps = next_steps
    assessment.publish()
    db.session.flush()


def latest_published_score(municipality, code: str, as_of: date, area: bool = False):
    """The latest published score of an indicator (or an area, by code or name) on or before ``as_of``."""
    statement = (select(Assessment).where(Assessment.municipality_id == municipality.id,
                                          Assessment.status == PUBLISHED, Assessment.date <= as_of)
                 .order_by(Assessment.date.desc(), Assessment.id.desc()).limit(1))
    assessment = db.session.execute(statement).scalar_one_or_none()
    if assessment is None:
        return None, None
    result = staff_result(municipality, assessment)
    if area:
        for node in result.catalog.areas:
            if code in (node.code, node.name) or code.lower() == node.name.lower():
                return result, result.rollup.areas[node.code]
        return result, None
    return result, result.rollup.indicators.get(code)


def count_published(municipality) -> int:
    return db.session.execute(select(func.count(Assessment.id)).where(
        Assessment.municipality_id == municipality.id, Assessment.status == PUBLISHED)).scalar_one()
