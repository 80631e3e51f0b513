"""The mixin of models whose published state is public record (the change record's
public surface for models). It imports nothing of the portal's domains, so any domain's
models, the municipalities' included, can mix it in without an import circle; the
session hook that records the changes is in :mod:`portal.audit.services`."""
from sqlalchemy import inspect

from portal.core.publication import PUBLISHED


class Audited:
    """Mixin for models whose published state is public record.

    ``__audit_section__``: the section name (``diagnostic``, ``finance`` ...).
    ``__audit_exclude__``: columns not worth recording (timestamps, secrets).
    Override :meth:`audit_is_public` when publication lives on a parent.
    """

    __audit_section__ = "general"
    __audit_exclude__: tuple = ("updated_at", "created_at")

    def audit_is_public(self) -> bool:
        status = getattr(self, "status", PUBLISHED)
        return status == PUBLISHED

    def audit_municipality_id(self):
        return getattr(self, "municipality_id", None)

    def audit_label(self) -> str:
        for attr in ("title", "name", "code"):
            value = getattr(self, attr, None)
            if value:
                return str(value)[:300]
        return f"#{inspect(self).identity[0] if inspect(self).identity else ''}"
