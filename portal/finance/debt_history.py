"""How the change record names loans and supplier instalments (see :mod:`portal.audit.labels`)."""
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register

METHOD_LABELS = {"french": _l("cuota fija (sistema francés)"), "constant": _l("amortización constante")}


def register_all():
    register("Loan", _l("Préstamo"),
             fields={"lender": _l("acreedor"), "principal": _l("monto"), "rate": _l("tasa anual"),
                     "years": _l("plazo en años"), "start_year": _l("año de inicio"), "start_month": _l("mes de inicio"),
                     "method": _l("método"), "periods_per_year": _l("cuotas por año"),
                     "grace_periods": _l("cuotas de gracia")},
             values={"principal": "money", "rate": "percent", "method": METHOD_LABELS})
    register("SupplierInstalment", _l("Cuota a un proveedor"),
             fields={"supplier": _l("proveedor"), "due_year": _l("año de vencimiento"),
                     "due_month": _l("mes de vencimiento"), "amount": _l("monto"), "paid": _l("pagado"),
                     "paid_year": _l("año del pago")},
             values={"amount": "money", "paid": "money"})
