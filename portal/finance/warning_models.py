"""What the early warning keeps between publications (see :mod:`portal.finance.warning_jobs`).

- :class:`FiscalLight`: each municipality's light in the fiscal semáforo, stored when its
  monthly execution is published, so the platform-wide list never computes a
  municipality per request. ``warnings`` holds the warnings behind it (JSON: kind,
  code, name, month, and the figures as exact strings) so the reason is written in the
  reader's language when shown.
- :class:`WarningNotice`: a warning already told to the council (per municipality,
  year, warning kind and indicator code), so a warning is e-mailed once.

Both are derived from published figures; neither is public record of its own."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.extensions import db


class FiscalLight(db.Model):
    __tablename__ = "finance_fiscal_lights"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), unique=True)
    year: Mapped[int]
    month: Mapped[int]
    light: Mapped[str] = mapped_column(String(10), index=True)  # red | amber | green
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WarningNotice(db.Model):
    __tablename__ = "finance_warning_notices"
    __table_args__ = (UniqueConstraint("municipality_id", "year", "kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(80))
    month: Mapped[int]  # the month of the execution that raised it
    recipients: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
