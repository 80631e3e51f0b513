"""The indicators a comparison can show (pure: no Flask, no database).

Each :class:`Metric` names where its value comes from, which direction is better, the
cut-offs of its bands (in the better direction: the first band is the best) and how
often its data are expected to be updated (``frequency_days``): a value whose data are
older than that, plus a grace period, is marked as stale.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

HIGHER, LOWER = "higher", "lower"
BANDS = ("alto", "medio-alto", "medio", "bajo")  # best first, like the diagnostic's semáforo
GRACE_DAYS = 90


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # a Spanish msgid; translated where shown
    family: str  # finance | diagnostic | complaints | surveys | participation
    unit: str  # ratio (0-1, shown as %) | score (0-100)
    direction: str  # HIGHER or LOWER is better
    cutoffs: tuple  # three Decimals, best band first (>= for HIGHER, <= for LOWER)
    frequency_days: int
    headline: bool = False
    finance_code: str = ""

    @property
    def scale(self) -> tuple[Decimal, Decimal]:
        """The natural range used to put an external index on the same footing."""
        return (Decimal(0), Decimal(100)) if self.unit == "score" else (Decimal(0), Decimal(1))


def _d(*values):
    return tuple(Decimal(v) for v in values)


METRICS = (
    Metric("diagnostic.global", "Resultado global del diagnóstico de gestión", "diagnostic", "score", HIGHER,
           _d(80, 60, 40), 730, headline=True),
    Metric("finance.autonomia_financiera", "Autonomía financiera", "finance", "ratio", HIGHER,
           _d("0.35", "0.25", "0.15"), 365, headline=True, finance_code="autonomia_financiera"),
    Metric("finance.gasto_personal", "Índice de gasto en personal", "finance", "ratio", LOWER,
           _d("0.35", "0.45", "0.5"), 365, finance_code="gasto_personal"),
    Metric("finance.participacion_inversion", "Participación de la inversión", "finance", "ratio", HIGHER,
           _d("0.4", "0.3", "0.2"), 365, finance_code="participacion_inversion"),
    Metric("finance.ejecucion_ingresos", "Ejecución del presupuesto de ingresos", "finance", "ratio", HIGHER,
           _d("0.95", "0.85", "0.7"), 365, headline=True, finance_code="ejecucion_ingresos"),
    Metric("finance.ejecucion_egresos", "Ejecución del presupuesto de gastos", "finance", "ratio", HIGHER,
           _d("0.95", "0.85", "0.7"), 365, finance_code="ejecucion_egresos"),
    Metric("complaints.resolved_on_time", "Reclamos resueltos dentro del plazo", "complaints", "ratio", HIGHER,
           _d("0.9", "0.75", "0.5"), 90, headline=True),
    Metric("surveys.services_satisfaction", "Satisfacción con los servicios municipales", "surveys", "ratio",
           HIGHER, _d("0.8", "0.6", "0.4"), 365, headline=True),
    Metric("participation.turnout", "Participación en el presupuesto participativo (votantes por habitante)",
           "participation", "ratio", HIGHER, _d("0.15", "0.08", "0.03"), 365),
)
BY_KEY = {m.key: m for m in METRICS}
DEFAULT = "finance.autonomia_financiera"  # the indicator most municipalities publish


def get(key: str) -> Metric | None:
    return BY_KEY.get(key)


def band(metric: Metric, value: Decimal | None) -> str | None:
    """The band key of ``value`` (None without a value)."""
    if value is None:
        return None
    for key, cutoff in zip(BANDS, metric.cutoffs):
        if (value >= cutoff) if metric.direction == HIGHER else (value <= cutoff):
            return key
    return BANDS[-1]


def signed(metric: Metric, change: Decimal | None) -> Decimal | None:
    """A change turned so that positive always means better."""
    if change is None:
        return None
    return change if metric.direction == HIGHER else -change


def is_stale(metric: Metric, data_date: date | None, today: date) -> bool:
    """Older than the declared update frequency plus :data:`GRACE_DAYS` (or undated)."""
    if data_date is None:
        return True
    return today - data_date > timedelta(days=metric.frequency_days + GRACE_DAYS)


def normalized(value: Decimal, low: Decimal, high: Decimal) -> Decimal | None:
    """``value`` on a 0-1 scale between ``low`` and ``high`` (None for an empty scale)."""
    if high == low:
        return None
    return (Decimal(value) - low) / (high - low)
