"""How the change record names monthly execution (see portal.audit.labels)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register


def month_code_label(key: str) -> str:
    """A key of a published execution year's contents: ``03:12`` is month 3, line 12."""
    month, _sep, code = key.partition(":")
    return _("mes %(month)s, línea %(code)s", month=month.lstrip("0"), code=code) if code else key


def register_all():
    register("ExecutionYear", _l("Ejecución mensual del año"), other_fields=month_code_label)
    register("ExecutionMonth", _l("Ejecución de un mes"),
             fields={"month": _l("mes"), "accrued": _l("devengado"), "cash": _l("percibido o pagado")},
             values={"accrued": "money", "cash": "money"})
