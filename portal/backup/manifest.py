"""The backup domain's declaration (see :mod:`portal.core.registry`): nothing it offers
the rest of the portal through the seams yet."""
from portal.core.registry import Domain

DOMAIN = Domain(key="backup")
