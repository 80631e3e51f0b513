"""What the change record offers the rest of the portal (see :mod:`portal.core.registry`)."""
from portal.core.registry import Domain

DOMAIN = Domain(key="audit", cached_endpoints=(("audit.history", None), ("audit.entry", None)))
