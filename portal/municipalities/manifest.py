"""What the municipalities offer the rest of the portal (see :mod:`portal.core.registry`)."""
from flask_babel import lazy_gettext as _l

from portal.core.registry import Comparison, Domain
from portal.municipalities import history_labels, services

DOMAIN = Domain(
    key="municipalities",
    record_labels=(history_labels.register_all,),
    record_sections=(("municipality", _l("Municipio")),),
    cached_endpoints=(("municipality.home", 60),  # the home shows fetched news: a minute at most
                      ("municipalities.index", None)),  # the platform home: the municipalities and nothing else
    comparison=Comparison(order=100, sections=("municipality",)),  # population and capacity move the peer groups
    tenant=services.get_by_slug,
    page_version=services.page_version,
)
