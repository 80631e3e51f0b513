"""What open data offers the rest of the portal (see :mod:`portal.core.registry`): the
news fetched from the municipality's own site, on its home."""
from portal.core.registry import Domain
from portal.core.sections import Panel
from portal.opendata import services

DOMAIN = Domain(key="opendata", panels=(Panel("news", 10, "opendata/_home_news.html", services.latest_news),))
