"""How the change record names revenue-potential and cost-study objects and fields
(see :mod:`portal.audit.labels`)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register

GROUP_LABELS = {"potencial": _l("servicio o impuesto"), "reforma": _l("reforma de tarifa"),
                "medida": _l("medida de cobro")}
KEY_LABELS = {"direct": _l("en proporción a los costos directos"), "households": _l("en proporción a los hogares"),
              "share": _l("según la proporción de cada servicio")}


def content_label(key: str) -> str:
    """A key of a published table's contents: ``potencial:12.AP``, ``12.DS`` or ``total``."""
    if key == "total":
        return _("total")
    group, _sep, code = key.rpartition(":")
    if group in GROUP_LABELS:
        return _("%(group)s %(code)s", group=GROUP_LABELS[group], code=code)
    return _("servicio %(code)s", code=code)


def register_all():
    register("RevenueStudy", _l("Ingresos potenciales"), other_fields=content_label)
    register("RevenueRow", _l("Fila de ingresos potenciales"),
             fields={"group": _l("grupo"), "collected": _l("percibido"), "accrued": _l("devengado"),
                     "payers": _l("contribuyentes"), "monthly_payment": _l("pago mensual"),
                     "arrears_balance": _l("saldo en mora"), "recovery_rate": _l("tasa de recuperación"),
                     "rate": _l("tasa")},
             values={"group": GROUP_LABELS, "collected": "money", "accrued": "money", "monthly_payment": "money",
                     "arrears_balance": "money", "recovery_rate": "percent", "rate": "percent"})
    register("CostStudy", _l("Estudio de costos de los servicios"),
             fields={"indirect_costs": _l("costos indirectos"), "allocation_key": _l("reparto de los indirectos")},
             values={"indirect_costs": "money", "allocation_key": KEY_LABELS}, other_fields=content_label)
    register("CostService", _l("Costo de un servicio"),
             fields={"households": _l("hogares"), "staff": _l("personal"), "supplies": _l("insumos"),
                     "fuel": _l("combustible"), "disposal": _l("contrato de disposición final"),
                     "other": _l("otros costos directos"), "accrued": _l("devengado"),
                     "collected": _l("percibido"), "share": _l("proporción de los indirectos")},
             values={k: "money" for k in ("staff", "supplies", "fuel", "disposal", "other", "accrued", "collected")}
             | {"share": "percent"})
