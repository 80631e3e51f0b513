"""Language and number formats.

The interface language comes from an explicit choice (``/lang/<code>``, kept in a
cookie), else ``Accept-Language``, else Spanish. Numbers, money and dates use the
language *and* the municipality's country: Spanish in El Salvador is ``es_SV``
(``$1,064,147.34``), in Bolivia ``es_BO`` (``1.064.147,34``).
"""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from flask import current_app, g, has_request_context, request
from flask_babel import get_locale

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"es": "Español", "en": "English", "pt": "Português"}


def select_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line, a worker: the default language
        return languages[0]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def language() -> str:
    return str(get_locale().language) if get_locale() else "es"


def _locale_exists(name: str) -> bool:
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def format_locale(municipality=None) -> str:
    """The Babel locale for numbers: the language joined with the municipality's country."""
    lang = language()
    municipality = municipality if municipality is not None else g.get("municipality")
    if municipality is not None:
        candidate = f"{lang}_{municipality.country}"
        if _locale_exists(candidate):
            return candidate
        if municipality.locale and municipality.locale.split("_")[0] == lang:
            return municipality.locale
    return lang


def _round(value, digits: int) -> Decimal | None:
    """``value`` rounded half-up to ``digits`` decimals; None for what is no finite
    number (NaN, infinity, text), so a bad stored value never breaks a page. The context
    is wide enough for any finite value (``1E+400`` is shown, not an error)."""
    try:
        value = value if isinstance(value, Decimal) else Decimal(str(value))
        if not value.is_finite():
            return None
        context = Context(prec=max(value.adjusted(), 0) + digits + 2, rounding=ROUND_HALF_UP)
        return value.quantize(Decimal(1).scaleb(-digits), context=context)
    except (InvalidOperation, ValueError, TypeError):
        return None


def _wide(value: Decimal):
    """A decimal context wide enough for Babel to round ``value`` (a finite Decimal)."""
    return localcontext(Context(prec=max(value.adjusted(), 0) + 30))


def money(value, currency: str | None = None, municipality=None) -> str:
    """Money rounded half-up to the cent for display, in the municipality's format."""
    if value is None:
        return "—"
    municipality = municipality if municipality is not None else g.get("municipality")
    currency = currency or (municipality.currency if municipality is not None else "USD")
    rounded = _round(value, 2)
    if rounded is None:
        return "—"
    with _wide(rounded):
        return format_currency(rounded, currency, locale=format_locale(municipality))


def number(value, digits: int = 2, municipality=None) -> str:
    if value is None:
        return "—"
    value = _round(value, digits)
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    with _wide(value):
        return format_decimal(value, format=pattern, locale=format_locale(municipality))


def percent(value, digits: int = 1, municipality=None) -> str:
    """``value`` is a ratio (0.25 -> 25 %)."""
    if value is None:
        return "—"
    rounded = _round(value, digits + 2)
    if rounded is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    with _wide(rounded):
        return format_percent(Decimal(str(value)) if not isinstance(value, Decimal) else value, format=pattern, locale=format_locale(municipality))


def date_(value, fmt: str = "medium") -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return _format_datetime(value, format=fmt, locale=format_locale())
    if isinstance(value, date):
        return _format_date(value, format=fmt, locale=format_locale())
    return str(value)


def country_name(code: str) -> str:
    """The country's name in the interface language (``SV`` -> ``El Salvador``)."""
    try:
        return Locale.parse(language()).territories.get((code or "").upper(), code)
    except (UnknownLocaleError, ValueError):
        return code


def init_app(app):
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["date"] = date_
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["current_language"] = language
