"""The indicators a comparison can show (pure: no Flask, no database).

Each :class:`Metric` names where its value comes from, which direction is better, the
cut-offs of its bands (in the better direction: the first band is the best) and how
often its data are expected to be updated (``frequency_days``): a value whose data are
older than that, plus a grace period, is marked as stale.
"""
import hashlib
import re
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
    source: str = ""  # a national index: its publisher (see external_metric)
    low: Decimal | None = None  # a national index's declared range, when it has one
    high: Decimal | None = None

    @property
    def external(self) -> bool:
        return self.family == EXTERNAL

    @property
    def scale(self) -> tuple[Decimal, Decimal]:
        """The natural range used to put an external index on the same footing."""
        if self.low is not None and self.high is not None:
            return (self.low, self.high)
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
EXTERNAL = "external"
EXTERNAL_PREFIX = "ext-"
EXTERNAL_FREQUENCY_DAYS = 730  # national indices come out every year or two


def external_key(source: str, indicator: str) -> str:
    """A stable, URL-safe key for a national index (its source and name): ``ext-`` and 12
    hex digits of their SHA-1, so a re-import keeps the same key and links."""
    digest = hashlib.sha1(f"{source}\x1f{indicator}".encode()).hexdigest()[:12]
    return EXTERNAL_PREFIX + digest


def external_metric(source: str, indicator: str, low: Decimal | None = None,
                    high: Decimal | None = None) -> Metric:
    """A national index as an indicator: higher is better (as the indices we know publish
    them), no bands of our own (each value keeps the index's own band), a value of its
    own scale (``unit`` "index")."""
    return Metric(external_key(source, indicator), indicator, EXTERNAL, "index", HIGHER, (),
                  EXTERNAL_FREQUENCY_DAYS, source=source, low=low, high=high)
DEFAULT = "finance.autonomia_financiera"  # the indicator most municipalities publish


def get(key: str) -> Metric | None:
    return BY_KEY.get(key)


def edition_order(period: str) -> tuple:
    """Sort key of an index's editions: by the numbers in them (``2019`` < ``2021-2022``
    < ``2023``), then as text."""
    return (tuple(int(n) for n in re.findall(r"\d+", period)), period)


def latest_editions(periods) -> tuple[str | None, str | None]:
    """The latest edition of an index and the one before it (None when there is none).
    A municipality compares its value in the latest edition with its value in the one
    before; a municipality missing either has no value or no trend, never a zero."""
    ordered = sorted(set(periods), key=edition_order)
    return (ordered[-1] if ordered else None, ordered[-2] if len(ordered) > 1 else None)


def band(metric: Metric, value: Decimal | None) -> str | None:
    """The band key of ``value`` (None without a value, or for a national index: its values
    keep the index's own bands)."""
    if value is None or not metric.cutoffs:
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
