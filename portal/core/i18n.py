"""Language and number formats.

The interface language comes from an explicit choice (``/lang/<code>``, kept in a
cookie), else ``Accept-Language``, else Spanish. Numbers, money and dates use the
language *and* the municipality's country: Spanish in El Salvador is ``es_SV``
(``$1,064,147.34``), in Bolivia ``es_BO`` (``1.064.147,34``).
"""
import os
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import format_skeleton as _format_skeleton
from babel.dates import format_time as _format_time
from babel.dates import get_timezone_location
from babel.numbers import format_currency, format_decimal, format_percent
from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"es": "Español", "en": "English", "pt": "Português"}


def operator_language(languages) -> str:
    """Outside a request (the command line): the operator's language from the environment
    (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``en_US.UTF-8`` -> ``en``), else Spanish."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(variable, "")[:2].lower()
        if code in languages:
            return code
    return languages[0]


def choose_language(chosen: str | None, accept_language: str | None, languages) -> str:
    """The interface language of a request: ``chosen`` (the ``lang`` cookie) when it is
    one of ``languages``, else the best match of the ``Accept-Language`` header, else the
    first of ``languages``. Pure: Flask-Babel's selector and the page cache's WSGI layer
    (:mod:`portal.core.pagecache`, which answers before Flask parses the request) both
    decide through it, so they cannot disagree.

    >>> choose_language("en", "pt-BR,pt;q=0.9", ("es", "en", "pt"))
    'en'
    >>> choose_language("fr", "pt-BR,pt;q=0.9", ("es", "en", "pt"))
    'pt'
    >>> choose_language(None, None, ("es", "en", "pt"))
    'es'
    """
    if chosen in languages:
        return chosen
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages) or languages[0]


def select_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return operator_language(languages)
    return choose_language(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("Accept-Language"), languages)


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
    """A date, or a stored (UTC) time shown in the municipality's zone with the zone named."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return local_datetime(value, fmt=fmt)
    if isinstance(value, date):
        return _format_date(value, format=fmt, locale=format_locale())
    return str(value)


# The capital's zone where a country has several (CLDR lists them alphabetically).
CAPITAL_ZONES = {"AR": "America/Argentina/Buenos_Aires", "BR": "America/Sao_Paulo", "CA": "America/Toronto",
                 "CL": "America/Santiago", "EC": "America/Guayaquil", "ES": "Europe/Madrid",
                 "MX": "America/Mexico_City", "PT": "Europe/Lisbon", "US": "America/New_York"}


def default_timezone(country: str) -> str:
    """The country's time zone (``SV`` -> ``America/El_Salvador``): its only one in CLDR, the
    capital's where it has several, else UTC."""
    country = (country or "").upper()
    if country in CAPITAL_ZONES:
        return CAPITAL_ZONES[country]
    zones = [z for z in get_global("territory_zones").get(country) or () if not z.startswith("Etc/")]
    return zones[0] if zones else "UTC"


def _zone(municipality):
    try:
        return ZoneInfo((municipality.timezone if municipality is not None else None) or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def zone_name(municipality=None) -> str:
    """The municipality's time as people name it: "hora de El Salvador", "hora de São Paulo"
    (the city where the country has several zones), "UTC"."""
    municipality = municipality if municipality is not None else g.get("municipality")
    key = _zone(municipality).key
    territory = get_global("zone_territories").get(key)
    if not territory:
        return "UTC"
    if len(get_global("territory_zones").get(territory, ())) > 1:
        place = get_timezone_location(key, locale=language(), return_city=True)
    else:
        place = country_name(territory)
    return _("hora de %(place)s", place=place)


def local_datetime(value, fmt: str = "medium", municipality=None) -> str:
    """A stored UTC time (naive) in the municipality's time zone, with the zone named:
    ``5 dic 2026, 14:05 (hora de El Salvador)``."""
    if value is None:
        return "—"
    municipality = municipality if municipality is not None else g.get("municipality")
    moment = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
    text = _format_datetime(moment, format=fmt, tzinfo=_zone(municipality),
                            locale=format_locale(municipality))
    return f"{text} ({zone_name(municipality)})"


def month_label(key: str) -> str:
    """A ``YYYY-MM`` month in words in the reader's language: ``2026-01`` -> "ene 2026",
    "Jan 2026", "jan. de 2026"."""
    year, month = (int(part) for part in key.split("-"))
    return _format_skeleton("yMMM", date(year, month, 1), locale=format_locale())


def local_time(value, municipality=None) -> str:
    """The time of day of a stored UTC time (naive) in the municipality's time zone, for a
    line that names the zone already: ``2:05:09 p. m.``."""
    if value is None:
        return "—"
    municipality = municipality if municipality is not None else g.get("municipality")
    moment = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
    return _format_time(moment, format="medium", tzinfo=_zone(municipality), locale=format_locale(municipality))


def locale_name(code: str) -> str:
    """A Babel locale in words, in the interface language (``es_SV`` -> ``español (El Salvador)``)."""
    try:
        return Locale.parse(code).get_display_name(language()) or code
    except (UnknownLocaleError, ValueError, TypeError):
        return code


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
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["month_label"] = month_label
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["current_language"] = language
