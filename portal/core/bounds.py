"""Bounded input: every number, date and text the portal accepts passes through here.

One set of limits, used by the forms (through :class:`portal.core.forms.Form`, which
adds them to every field), the query-string parsers of pages and APIs, Open311, the
spreadsheet reader (:mod:`portal.core.tabular`) and the command line:

- money: at most :data:`MONEY_DIGITS` integer digits and :data:`MONEY_PLACES` decimals;
- other decimals (ratios, targets, scores): at most :data:`NUMBER_DIGITS` integer
  digits and :data:`NUMBER_PLACES` decimals;
- never NaN or infinity;
- whole numbers (ids, counts, offsets, page sizes) within a PostgreSQL ``integer``;
- dates and times between the years :data:`YEAR_MIN` and :data:`YEAR_MAX`;
- text without control characters (:func:`portal.core.text.clean_text`): they break
  XML and XLSX.

A value outside the limits raises :class:`OutOfBounds`, whose message is translated
and names the field as the person sees it.
"""
import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

import click
from flask import abort, request
from flask_babel import gettext as _
from wtforms import DateField, DateTimeField, DecimalField, IntegerField
from wtforms.validators import StopValidation

from portal.core.text import clean_text, clean_texts  # noqa: F401 - one import for every input

MONEY_DIGITS = 12
MONEY_PLACES = 2
NUMBER_DIGITS = 12
NUMBER_PLACES = 8
INT_MIN = -2_147_483_648
INT_MAX = 2_147_483_647
BIGINT_MIN = -(2 ** 63)
BIGINT_MAX = 2 ** 63 - 1
YEAR_MIN = 1900
YEAR_MAX = 2200


class OutOfBounds(ValueError):
    """A value refused by a limit. ``str(error)`` names the field and says why
    («Costo estimado: como máximo 12 cifras enteras.»); ``detail`` only says why, for
    callers that show it next to the field already."""

    def __init__(self, field, detail):
        self.field = str(field) if field else _("El valor")
        self.detail = str(detail)
        super().__init__(f"{self.field}: {self.detail}")


def decimal_value(value, field=None, *, digits: int = NUMBER_DIGITS, places: int = NUMBER_PLACES,
                  minimum=None, maximum=None) -> Decimal | None:
    """``value`` (text, int, float or Decimal) as a bounded Decimal; None when empty.

    Text is read as a plain number with a dot for decimals (``1234.56``, ``-3``,
    ``1e3``); refused: NaN, infinity, more than ``digits`` integer digits or ``places``
    decimals, and values outside ``minimum``..``maximum``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise OutOfBounds(field, _("escriba un número."))
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(
            value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise OutOfBounds(field, _("escriba un número, por ejemplo 1234.56.")) from None
    if not number.is_finite():
        raise OutOfBounds(field, _("escriba un número, por ejemplo 1234.56."))
    if minimum is not None and number < minimum:
        raise OutOfBounds(field, _("debe ser al menos %(min)s.", min=minimum))
    if maximum is not None and number > maximum:
        raise OutOfBounds(field, _("debe ser como máximo %(max)s.", max=maximum))
    _check_size(number, field, digits, places)
    return number


def _check_size(number: Decimal, field, digits: int, places: int):
    sign, figures, exponent = number.as_tuple()
    integer_digits = max(len(figures) + exponent, 0) if number else 0
    decimals = max(-exponent, 0)
    if decimals:  # trailing zeros after the point are no real decimals (12.50)
        decimals = max(-number.normalize().as_tuple().exponent, 0)
    if integer_digits > digits:
        raise OutOfBounds(field, _("como máximo %(digits)s cifras enteras.", digits=digits))
    if decimals > places:
        raise OutOfBounds(field, _("como máximo %(places)s decimales.", places=places))


def money_value(value, field=None, *, minimum=0, maximum=None) -> Decimal | None:
    """Money: at most 12 integer digits and 2 decimals, not negative unless ``minimum`` says so."""
    return decimal_value(value, field, digits=MONEY_DIGITS, places=MONEY_PLACES, minimum=minimum, maximum=maximum)


def integer_value(value, field=None, *, minimum: int = INT_MIN, maximum: int = INT_MAX) -> int | None:
    """A whole number within ``minimum``..``maximum`` (a PostgreSQL integer by default);
    text must be ASCII digits with an optional sign. None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise OutOfBounds(field, _("escriba un número entero."))
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,30}", text):
            raise OutOfBounds(field, _("escriba un número entero."))
        number = int(text)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, (float, Decimal)) and value == value and abs(value) != float("inf") \
            and value == int(value):
        number = int(value)
    else:
        raise OutOfBounds(field, _("escriba un número entero."))
    if number < minimum or number > maximum:
        raise OutOfBounds(field, _("escriba un número entre %(min)s y %(max)s.",
                            min=minimum, max=maximum))
    return number


def is_id(value) -> bool:
    """Whether ``value`` can be a row's id: a whole number from 1 to :data:`INT_MAX`."""
    try:
        return integer_value(value, minimum=1) is not None
    except OutOfBounds:
        return False


def _year_ok(year: int, field):
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise OutOfBounds(field, _("la fecha debe estar entre los años %(min)s y %(max)s.",
                            min=YEAR_MIN, max=YEAR_MAX))


def date_value(value, field=None) -> date | None:
    """A date (``YYYY-MM-DD`` text, a date or a datetime) between the sane years; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        value = value.date()
    elif not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise OutOfBounds(field, _("escriba una fecha como 2026-03-31.")) from None
    _year_ok(value.year, field)
    return value


def datetime_value(value, field=None, local=timezone.utc) -> datetime | None:
    """An ISO 8601 / W3C date and time as naive UTC (a missing offset is ``local`` time;
    a space is read as the '+' a query string turned into one); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, datetime):
        text = str(value).strip().replace(" ", "+")
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise OutOfBounds(field, _("escriba una fecha y hora como 2026-03-31T08:00:00-06:00.")) from None
    _year_ok(value.year, field)
    if value.tzinfo is None:
        value = value.replace(tzinfo=local)
    return value.astimezone(timezone.utc).replace(tzinfo=None)


# --- query strings ---------------------------------------------------------------------

def query_int(name: str, default=None, *, minimum: int = 0, maximum: int = INT_MAX, label=None, args=None):
    """``?name=`` as a bounded whole number (``default`` when absent); 400 naming it otherwise."""
    return _query(integer_value, name, default, label, args, minimum=minimum, maximum=maximum)


def query_year(name: str, default=None, *, label=None, args=None):
    """``?name=2026`` as a year between :data:`YEAR_MIN` and :data:`YEAR_MAX`."""
    return query_int(name, default, minimum=YEAR_MIN, maximum=YEAR_MAX, label=label, args=args)


def query_date(name: str, default=None, *, label=None, args=None):
    """``?name=YYYY-MM-DD`` as a bounded date (``default`` when absent); 400 naming it otherwise."""
    return _query(date_value, name, default, label, args)


def _query(parse, name, default, label, args, **limits):
    raw = (request.args if args is None else args).get(name)
    try:
        value = parse(raw, label or name, **limits)
    except OutOfBounds as error:
        abort(400, description=str(error))
    return default if value is None else value


# --- forms (WTForms) -------------------------------------------------------------------

class Bounded:
    """A WTForms validator running one of the parsers above on the field's data; it stops
    the chain, so later validators (``NumberRange``) never meet a NaN. The message says
    why; the page names the field (its label beside it, and in the error summary)."""

    def __init__(self, parse, **limits):
        self.parse = parse
        self.limits = limits

    def __call__(self, form, field):
        if field.data is None:
            return
        try:
            self.parse(field.data, field.label.text, **self.limits)
        except OutOfBounds as error:  # shown beside the field, and in the summary after its label
            raise StopValidation(error.detail) from None


class MoneyField(DecimalField):
    """Money typed by a person: at most 12 integer digits and 2 decimals."""

    bounds = Bounded(money_value, minimum=None)

    def __init__(self, label=None, validators=None, places=MONEY_PLACES, **kwargs):
        super().__init__(label, validators, places=places, **kwargs)

    def _value(self):
        try:
            return super()._value()
        except (InvalidOperation, ValueError):  # a stored value past the context: shown as it is
            return format(self.data, "f") if isinstance(self.data, Decimal) else ""


def validators_for(field_class) -> list:
    """The bounds :class:`portal.core.forms.Form` puts first on a field of this class."""
    bound = getattr(field_class, "bounds", None)
    if bound is not None:
        return [bound]
    if issubclass(field_class, DecimalField):
        return [Bounded(decimal_value)]
    if issubclass(field_class, IntegerField):
        return [Bounded(integer_value)]
    if issubclass(field_class, (DateField, DateTimeField)):
        return [Bounded(date_value)]
    return []


# --- command line (click) --------------------------------------------------------------

class BoundedInt(click.ParamType):
    """A click option or argument read with :func:`integer_value`."""

    name = "integer"

    def __init__(self, minimum: int = INT_MIN, maximum: int = INT_MAX):
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value, param, ctx):
        try:
            return integer_value(value, param.human_readable_name if param else None,
                                 minimum=self.minimum, maximum=self.maximum)
        except OutOfBounds as error:
            self.fail(str(error), param, ctx)


class BoundedDecimal(click.ParamType):
    """A click option read with :func:`decimal_value` (or :func:`money_value` with ``money``)."""

    name = "number"

    def __init__(self, money: bool = False, **limits):
        self.parse = money_value if money else decimal_value
        self.limits = limits

    def convert(self, value, param, ctx):
        try:
            return self.parse(value, param.human_readable_name if param else None, **self.limits)
        except OutOfBounds as error:
            self.fail(str(error), param, ctx)


class BoundedDate(click.ParamType):
    """A click option read with :func:`date_value` (``YYYY-MM-DD``, sane years)."""

    name = "date"

    def convert(self, value, param, ctx):
        try:
            return date_value(value, param.human_readable_name if param else None)
        except OutOfBounds as error:
            self.fail(str(error), param, ctx)


class CleanText(click.ParamType):
    """A click option or argument with its control characters stripped (:func:`clean_text`)."""

    name = "text"

    def convert(self, value, param, ctx):
        return clean_text(value)
