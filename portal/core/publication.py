"""Draft and published states for data that municipalities publish.

Editors work on drafts; a publisher sets ``status = "published"``. Residents and the
API see only published rows (:func:`only_published`). Combine with
:class:`portal.audit.services.Audited` so every publication is recorded.
"""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

DRAFT = "draft"
PUBLISHED = "published"
STATUSES = (DRAFT, PUBLISHED)


class Publishable:
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    published_at: Mapped[datetime | None]

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED

    def publish(self):
        from portal.core.clock import utcnow

        self.status = PUBLISHED
        self.published_at = utcnow()

    def unpublish(self):
        self.status = DRAFT


def only_published(statement, model):
    return statement.where(model.status == PUBLISHED)
