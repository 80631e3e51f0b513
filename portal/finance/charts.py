"""Server-drawn SVG charts of the finance pages (each shown next to its data table)."""
from decimal import Decimal

from flask_babel import gettext as _

from portal.core.charts import hbars
from portal.core.i18n import money, number, percent


def _room(items):
    """A top a fifth above the largest value, so the figure after the longest bar fits."""
    values = [v for _, v in items if v is not None]
    return max(values) * Decimal("1.25") if values and max(values) > 0 else None


def rubro_chart(rubros, title):
    items = [(f"{r.code} {r.name}", r.accrued if r.accrued is not None else r.approved) for r in rubros]
    return hbars(items, title=_("%(title)s devengados por rubro", title=title), fmt=money, label_width=120,
                 max_value=_room(items))


def trend_chart(trend):
    items = []
    for t in trend:
        items.append((f"{t['year']} " + _("ingresos"), t["income_accrued"]))
        items.append((f"{t['year']} " + _("egresos"), t["expense_accrued"]))
    return hbars(items, title=_("Ingresos y egresos devengados por año"), fmt=money, label_width=110,
                 max_value=_room(items))


def history_chart(results, display, bands):
    fmt = {"percent": lambda v: percent(v, 1), "money": money}.get(display, lambda v: number(v, 2))
    items = [(str(r.year), r.value) for r in results]
    classes = {i: "bar-" + bands[r.status] for i, r in enumerate(results)}
    return hbars(items, title=_("Valor por año"), fmt=fmt, label_width=60, classes=classes)


def init_blueprint(bp):
    @bp.context_processor
    def finance_charts():
        return {"hbars_chart": rubro_chart, "trend_chart": trend_chart, "history_chart": history_chart}
