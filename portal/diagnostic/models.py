"""The diagnostic's data: catalogs (methodologies) and dated assessments that score them.

A :class:`Catalog` is a versioned methodology: areas -> sub-areas -> indicators, the
strategic dimensions indicators are tagged with, the two composites of the Resultado
Global and the semáforo cut-offs. It is shared (``municipality_id`` NULL, e.g. a
national body's) or owned by one municipality; municipalities adopt one
(:class:`Adoption`). An :class:`Assessment` scores one catalog version for one
municipality at a date; each :class:`Score` keeps the catalog version and, for
indicators fed by a source, the raw value it was computed from.
"""
import datetime as dt
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.audit.services import Audited
from portal.core.publication import PUBLISHED, Publishable
from portal.core.types import Exact
from portal.extensions import db

STAGES = ("draft", "submitted", "queried", "verified")


def Weight():  # noqa: N802
    return Exact(12, 4)


def ScoreValue():  # noqa: N802
    return Exact(20, 10)


class Catalog(Publishable, Audited, db.Model):
    __tablename__ = "diagnostic_catalogs"
    __audit_section__ = "diagnostic"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    version: Mapped[int] = mapped_column(default=1)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)  # NULL: shared
    publisher: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    verification_required: Mapped[bool] = mapped_column(default=True)
    cut_alto: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(80))
    cut_medio_alto: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(60))
    cut_medio: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(40))
    label_alto: Mapped[str] = mapped_column(String(60), default="Desempeño Alto")
    label_medio_alto: Mapped[str] = mapped_column(String(60), default="Desempeño Medio-Alto")
    label_medio: Mapped[str] = mapped_column(String(60), default="Desempeño Medio")
    label_bajo: Mapped[str] = mapped_column(String(60), default="Desempeño Bajo")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    areas: Mapped[list["Area"]] = relationship(back_populates="catalog", cascade="all, delete-orphan",
                                               order_by="Area.position")
    dimensions: Mapped[list["Dimension"]] = relationship(cascade="all, delete-orphan",
                                                         order_by="Dimension.position")
    composites: Mapped[list["Composite"]] = relationship(cascade="all, delete-orphan",
                                                         order_by="Composite.position")

    @property
    def cutoffs(self):
        return (self.cut_alto, self.cut_medio_alto, self.cut_medio)

    @property
    def band_labels(self) -> dict:
        return {"alto": self.label_alto, "medio-alto": self.label_medio_alto,
                "medio": self.label_medio, "bajo": self.label_bajo}


class Adoption(Audited, db.Model):
    """A municipality uses a catalog; the latest adoption is its current catalog."""
    __tablename__ = "diagnostic_adoptions"
    __audit_section__ = "diagnostic"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_catalogs.id", ondelete="CASCADE"), index=True)
    adopted_at: Mapped[datetime] = mapped_column(default=utcnow)

    catalog: Mapped[Catalog] = relationship()


class Area(db.Model):
    __tablename__ = "diagnostic_areas"
    __table_args__ = (UniqueConstraint("catalog_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_catalogs.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(1))
    position: Mapped[int] = mapped_column(default=0)

    catalog: Mapped[Catalog] = relationship(back_populates="areas")
    subareas: Mapped[list["SubArea"]] = relationship(back_populates="area", cascade="all, delete-orphan",
                                                     order_by="SubArea.position")


class SubArea(db.Model):
    __tablename__ = "diagnostic_subareas"
    __table_args__ = (UniqueConstraint("catalog_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_catalogs.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_areas.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(1))
    position: Mapped[int] = mapped_column(default=0)

    area: Mapped[Area] = relationship(back_populates="subareas")
    catalog: Mapped[Catalog] = relationship()
    indicators: Mapped[list["Indicator"]] = relationship(back_populates="subarea", cascade="all, delete-orphan",
                                                         order_by="Indicator.position")


class Indicator(db.Model):
    __tablename__ = "diagnostic_indicators"
    __table_args__ = (UniqueConstraint("catalog_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_catalogs.id", ondelete="CASCADE"), index=True)
    subarea_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_subareas.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")  # what it measures
    measurement: Mapped[str] = mapped_column(Text, default="")  # how it is measured
    evidence: Mapped[str] = mapped_column(Text, default="")  # the evidence expected
    weight: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(1))
    position: Mapped[int] = mapped_column(default=0)
    # A derived indicator: the source that feeds it and its published scoring rule.
    source_key: Mapped[str] = mapped_column(String(120), default="")
    source_param: Mapped[str] = mapped_column(String(200), default="")
    rule_kind: Mapped[str] = mapped_column(String(20), default="")  # linear | bands | bands-desc
    rule_zero: Mapped[Decimal | None] = mapped_column(ScoreValue())  # value scoring 0
    rule_full: Mapped[Decimal | None] = mapped_column(ScoreValue())  # value scoring 100
    rule_bands: Mapped[str] = mapped_column(String(300), default="")  # "threshold:score;..."

    subarea: Mapped[SubArea] = relationship(back_populates="indicators")
    catalog: Mapped[Catalog] = relationship()
    tags: Mapped[list["IndicatorDimension"]] = relationship(cascade="all, delete-orphan")
    checklist: Mapped[list["ChecklistItem"]] = relationship(cascade="all, delete-orphan",
                                                            order_by="ChecklistItem.position")

    @property
    def is_derived(self) -> bool:
        return bool(self.source_key and self.rule_kind)


class Dimension(db.Model):
    __tablename__ = "diagnostic_dimensions"
    __table_args__ = (UniqueConstraint("catalog_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_catalogs.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)


class IndicatorDimension(db.Model):
    __tablename__ = "diagnostic_indicator_dimensions"
    __table_args__ = (UniqueConstraint("indicator_id", "dimension_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_indicators.id", ondelete="CASCADE"), index=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_dimensions.id", ondelete="CASCADE"), index=True)
    weight: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(1))

    dimension: Mapped[Dimension] = relationship()


class ChecklistItem(db.Model):
    """An evidence item of a checklist indicator (score = weighted share of items met)."""
    __tablename__ = "diagnostic_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_indicators.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    weight: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(1))
    position: Mapped[int] = mapped_column(default=0)


class Composite(db.Model):
    """One axis of the Resultado Global: a weighted set of dimensions."""
    __tablename__ = "diagnostic_composites"
    __table_args__ = (UniqueConstraint("catalog_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_catalogs.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    axis: Mapped[str] = mapped_column(String(1), default="x")  # x or y on the chart
    position: Mapped[int] = mapped_column(default=0)

    parts: Mapped[list["CompositePart"]] = relationship(cascade="all, delete-orphan")


class CompositePart(db.Model):
    __tablename__ = "diagnostic_composite_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    composite_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_composites.id", ondelete="CASCADE"), index=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_dimensions.id", ondelete="CASCADE"))
    weight: Mapped[Decimal] = mapped_column(Weight(), default=Decimal(1))

    dimension: Mapped[Dimension] = relationship()


class Assessment(Publishable, Audited, db.Model):
    """A dated diagnostic of one municipality. ``stage`` is the review workflow
    (draft -> submitted -> queried | verified); ``status`` is publication."""
    __tablename__ = "diagnostic_assessments"
    __audit_section__ = "diagnostic"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_catalogs.id"), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    stage: Mapped[str] = mapped_column(String(20), default="draft")
    conclusions: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    query_note: Mapped[str] = mapped_column(Text, default="")
    verification_sample: Mapped[str] = mapped_column(String(500), default="")  # indicator codes
    verified_at: Mapped[datetime | None]
    demo_note: Mapped[str] = mapped_column(Text, default="")  # where a demo differs from its source
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    catalog: Mapped[Catalog] = relationship()
    scores: Mapped[list["Score"]] = relationship(back_populates="assessment", cascade="all, delete-orphan")

    @property
    def is_verified(self) -> bool:
        return self.stage == "verified"

    def audit_label(self) -> str:
        return self.date.isoformat()


class Score(Audited, db.Model):
    """One indicator in one assessment: a score, *no aplica* or *no reportado*."""
    __tablename__ = "diagnostic_scores"
    __audit_section__ = "diagnostic"
    __table_args__ = (UniqueConstraint("assessment_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_assessments.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("diagnostic_indicators.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="nr")  # scored | na | nr
    value: Mapped[Decimal | None] = mapped_column(ScoreValue())
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    checklist_met: Mapped[str] = mapped_column(String(500), default="")  # ids of items met
    catalog_version: Mapped[int] = mapped_column(default=1)
    # Derived indicators keep what the source said when the assessment was taken.
    raw_value: Mapped[Decimal | None] = mapped_column(ScoreValue())
    raw_detail: Mapped[str] = mapped_column(String(300), default="")
    raw_url: Mapped[str] = mapped_column(String(500), default="")

    assessment: Mapped[Assessment] = relationship(back_populates="scores")
    indicator: Mapped[Indicator] = relationship()

    def audit_is_public(self) -> bool:
        return self.assessment is not None and self.assessment.status == PUBLISHED

    def audit_label(self) -> str:
        return f"#{self.indicator_id}"
