"""How the change record reads to people: names of kinds of object, of fields and of values.

The record stores internal names (``Activity``, ``actual_cost``, ``not_started``) because
tools read the CSV; people read sentences. Each domain declares, for each audited model,
the human name of the kind, of its fields and how its values read
(:func:`register`); the history pages render through :func:`describe` and
:func:`changes`, which never return an internal name: a kind or field nobody declared
reads as "registro"/"dato", and ``tests/audit/test_history_labels.py`` proves every
audited model and column is declared.

Values: a mapping (code -> lazy label) for codes such as states, or one of the formats
``money``, ``date``, ``datetime``, ``file`` (an upload's random name is never shown),
``percent`` (a ratio), ``text``; or a function of the value. Booleans read "sí"/"no", an empty value "—".
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core import i18n

# Fields every model may have, named once.
COMMON_FIELDS = {
    "title": _l("título"), "name": _l("nombre"), "description": _l("descripción"), "status": _l("estado"),
    "published_at": _l("fecha de publicación"), "position": _l("orden"), "code": _l("código"),
    "year": _l("año"), "note": _l("nota"), "purpose": _l("propósito"), "amount": _l("monto"),
    "cost": _l("costo"), "unit": _l("unidad"), "value": _l("valor"), "tags": _l("etiquetas"),
    "source": _l("fuente"), "direction": _l("sentido"), "kind": _l("tipo"), "body": _l("texto"),
    "email": _l("correo electrónico"), "district": _l("distrito"), "summary": _l("resumen"),
    "date": _l("fecha"), "rule": _l("regla"), "required": _l("obligatorio"), "active": _l("activo"),
    "is_example": _l("datos de ejemplo"),
}
PUBLICATION_VALUES = {"draft": _l("Borrador"), "published": _l("Publicado")}
COMMON_VALUES = {"status": PUBLICATION_VALUES, "published_at": "datetime"}
# Never shown on the public pages: row ids and links between rows (the CSV keeps them).
HIDDEN = frozenset({"id", "idempotency_key"})


@dataclass(frozen=True)
class Kind:
    name: object  # a lazy string: "Actividad"
    fields: dict = field(default_factory=dict)  # column -> lazy label
    values: dict = field(default_factory=dict)  # column -> {code: lazy label} or a format name
    hidden: frozenset = frozenset()  # columns not worth showing to people (internal keys)
    summary: object = None  # a function turning the stored summary into words, when it is a code
    other_fields: object = None  # a function naming keys that are not columns (a publication's contents)

    def field_label(self, column: str) -> str:
        label = self.fields.get(column) or COMMON_FIELDS.get(column)
        if label is None and self.other_fields is not None:
            label = self.other_fields(column)
        return str(label) if label is not None else _("dato")

    def shown(self, column: str) -> bool:
        return not (column in HIDDEN or column in self.hidden or column.endswith("_id"))

    def value_format(self, column: str):
        return self.values.get(column, COMMON_VALUES.get(column, "text"))


_KINDS: dict[str, Kind] = {}
UNKNOWN = Kind(name=_l("Registro"))


def register(type_name: str, name, fields=None, values=None, hidden=(), summary=None, other_fields=None) -> None:
    """Declare how entries about ``type_name`` (the model class name) read."""
    _KINDS[type_name] = Kind(name=name, fields=dict(fields or {}), values=dict(values or {}),
                             hidden=frozenset(hidden), summary=summary, other_fields=other_fields)


def registered() -> dict[str, Kind]:
    return dict(_KINDS)


def kind(type_name: str) -> Kind:
    return _KINDS.get(type_name, UNKNOWN)


def kind_label(type_name: str) -> str:
    return str(kind(type_name).name)


def summary_text(type_name: str, summary: str) -> str:
    """The object's own name as stored, in words; "" when it only repeats the kind and the id."""
    described = kind(type_name)
    summary = summary or ""
    if summary.startswith(f"{type_name} #") or summary.startswith("#"):
        return ""
    return str(described.summary(summary)) if described.summary is not None and summary else summary


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _as_decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _as_moment(value):
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def value_text(fmt, value, municipality, currency=None) -> str:
    """One stored value as a person reads it (``None`` and ``""`` read "—")."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("sí") if value else _("no")
    if isinstance(fmt, dict):
        label = fmt.get(value)
        return str(label) if label is not None else str(value)
    if callable(fmt):
        return str(fmt(value))
    if fmt == "money" and _as_decimal(value) is not None:
        return i18n.money(_as_decimal(value), currency, municipality=municipality)
    if fmt == "percent" and _as_decimal(value) is not None:
        return i18n.percent(_as_decimal(value), municipality=municipality)
    if fmt == "date":
        try:
            return i18n.date_(date.fromisoformat(str(value)[:10]))
        except ValueError:
            return str(value)
    if fmt == "datetime" and _as_moment(value) is not None:
        return i18n.local_datetime(_as_moment(value), municipality=municipality)
    if fmt == "file":
        return _("un archivo adjunto")
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def changes(type_name: str, pairs, municipality) -> list[Change]:
    """``[(column, before, after), ...]`` as people read them, internal columns left out."""
    described = kind(type_name)
    currency = None
    for column, before, after in pairs:
        if column == "currency":
            currency = after or before
    out = []
    for column, before, after in pairs:
        if not described.shown(column):
            continue
        fmt = described.value_format(column)
        out.append(Change(described.field_label(column), value_text(fmt, before, municipality, currency),
                          value_text(fmt, after, municipality, currency)))
    return out
