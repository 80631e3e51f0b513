"""How the change record names the comparison's declared figures (see portal.audit.labels)."""
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register


def register_all():
    register("CapacityProfile", _l("Perfil de capacidad"),
             fields={"urban_share": _l("población urbana"), "poverty_rate": _l("pobreza"),
                     "declared_own_revenue_pc": _l("ingresos propios por habitante (declarados)"),
                     "declared_budget_pc": _l("presupuesto por habitante (declarado)")},
             values={"urban_share": "percent", "poverty_rate": "percent", "declared_own_revenue_pc": "money",
                     "declared_budget_pc": "money"})
