"""What the comparisons offer the rest of the portal (see :mod:`portal.core.registry`)."""
from flask_babel import lazy_gettext as _l

from portal.compare import demo, history_labels, services, views
from portal.core.registry import Comparison, DemoLoader, Domain
from portal.core.sections import Section

DOMAIN = Domain(
    key="compare",
    record_labels=(history_labels.register_all,),
    sections=(Section(
        key="compare", title=_l("Comparación con pares"), endpoint="compare_m.municipality",
        order=90, has_data=services.has_values, empty_text=_l("Todavía no hay datos publicados para comparar."),
        description=_l("Cómo se compara con municipios de capacidad parecida, con el valor esperado y la tendencia."),
        summary=views.home_summary),),
    record_sections=(("compare", _l("Comparación con pares")),),
    demo=DemoLoader(95, demo.load),  # after every domain's demo data
    comparison=Comparison(order=100, sections=("compare",),  # capacity profiles and national indices
                          urban_shares=services.urban_shares, set_urban_shares=services.set_urban_shares),
)
