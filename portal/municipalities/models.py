"""Municipalities (tenants) and districts."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.core.types import Exact
from portal.audit.mixin import Audited
from portal.extensions import db


class Municipality(Audited, db.Model):
    __tablename__ = "municipalities"
    __audit_section__ = "municipality"
    __table_args__ = (CheckConstraint("population IS NULL OR population >= 0", name="population_positive"),
                      UniqueConstraint("country", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    department: Mapped[str] = mapped_column(String(120), default="")
    population: Mapped[int | None]
    currency: Mapped[str] = mapped_column(String(3), default="USD")  # ISO 4217
    locale: Mapped[str] = mapped_column(String(10), default="es")
    timezone: Mapped[str] = mapped_column(String(60), default="UTC")
    website: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    logo_url: Mapped[str] = mapped_column(String(300), default="")
    news_feed_url: Mapped[str] = mapped_column(String(500), default="")
    # The national statistics code (INE, DANE, IBGE...): what national indices are matched
    # by. Unique within a country; None when unknown (NULLs never collide).
    code: Mapped[str | None] = mapped_column(String(20))
    # The place's centroid in WGS 84 degrees, where known (both or neither; checked by
    # services.set_location): the catalogs' dct:Location and the search engines' geo.
    latitude: Mapped[Decimal | None] = mapped_column(Exact(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Exact(9, 6))
    is_example: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    districts: Mapped[list["District"]] = relationship(
        back_populates="municipality", cascade="all, delete-orphan", order_by="District.name")

    def audit_municipality_id(self):
        return self.id

    @property
    def population_band(self) -> str | None:
        from portal.municipalities.bands import band_for

        return band_for(self.population)


class District(Audited, db.Model):
    __tablename__ = "districts"
    __audit_section__ = "municipality"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(20), default="")

    municipality: Mapped[Municipality] = relationship(back_populates="districts")
