"""Use cases for municipalities."""
import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.numbers import get_territory_currencies
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, bindparam, cast, func, select

from portal.audit import services as audit
from portal.core import bounds
from portal.core.i18n import _locale_exists as locale_exists
from portal.core.i18n import default_timezone
from portal.extensions import db
from portal.municipalities.bands import band_range
from portal.municipalities.onboarding import text as cell_text  # noqa: F401 - a spreadsheet cell as text, for other domains' imports
from portal.municipalities.models import District, Municipality


class MunicipalityError(ValueError):
    """A field is wrong; ``field`` names it."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


_VERSION = None  # the statement of page_version, built once


def page_version(slug: str | None) -> str:
    """The last positions of the platform's change record and of the record of the
    municipality named by ``slug``, in one query (Core, no ORM work), before the
    municipality is loaded: the page cache keys its pages with them. For a page of the
    whole platform (``slug`` None: the list of municipalities), the last change recorded
    anywhere and the last municipality created (bulk generation creates them without a
    record)."""
    global _VERSION
    if slug is None:
        last_municipality = select(func.max(Municipality.id)).scalar_subquery()
        record, municipality = db.session.connection().execute(
            select(audit.last_record_id(), last_municipality)).one()
        return f"all:{record or 0}:{municipality or 0}"
    if _VERSION is None:
        chain = select(cast(Municipality.id, String)).where(Municipality.slug == bindparam("slug")).scalar_subquery()
        _VERSION = audit.heads("platform", chain)
    platform, own = db.session.connection().execute(_VERSION, {"slug": slug}).one()
    return f"{platform or 0}:{own or 0}"


def get_by_slug(slug: str) -> Municipality | None:
    return db.session.execute(select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()


# The platform home's list is paged by name, then id (keyset paging: see portal.core.pagination).
LIST_KEY = (Municipality.name, Municipality.id)


def search_statement(q: str = "", country: str = "", band: str = ""):
    """The platform home's list: by name, country and population band."""
    stmt = select(Municipality)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(func.lower(Municipality.name).like(like) | func.lower(Municipality.department).like(like))
    if country:
        stmt = stmt.where(Municipality.country == country.upper())
    if band in ("small", "medium", "large"):
        low, high = band_range(band)
        stmt = stmt.where(Municipality.population >= low)
        if high is not None:
            stmt = stmt.where(Municipality.population < high)
    return stmt.order_by(Municipality.name, Municipality.id)


def countries() -> list[str]:
    return list(db.session.execute(select(Municipality.country).distinct().order_by(Municipality.country)).scalars())


NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO"}  # regions Babel lists among territories


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes a municipality may have."""
    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha()) - NOT_COUNTRIES


@lru_cache(maxsize=512)  # Babel takes milliseconds to parse a locale; a country's list asks hundreds of times
def default_locale(country: str) -> str:
    """The country's likely locale by Babel's likely subtags (SV -> es_SV, BR -> pt_BR), for
    numbers and dates when none is given; ``es_<CC>`` for a code Babel does not know."""
    country = (country or "").strip().upper()
    try:
        locale = Locale.parse(f"und_{country}")
    except (UnknownLocaleError, ValueError):
        return f"es_{country}"
    return f"{locale.language}_{locale.territory or country}"


@lru_cache(maxsize=512)
def default_currency(country: str) -> str:
    """The country's legal tender today (SV -> USD, GT -> GTQ); USD when Babel does not know."""
    found = get_territory_currencies((country or "").upper(), date.today())
    return found[0] if found else "USD"


@lru_cache(maxsize=512)
def locale_ok(locale: str) -> bool:
    """Babel knows the locale (cached: a country's list asks hundreds of times)."""
    return locale_exists(locale)


def by_code(country: str, code: str) -> Municipality | None:
    return db.session.execute(select(Municipality).where(
        Municipality.country == country.upper(), Municipality.code == code)).scalar_one_or_none()


# A centroid in WGS 84 degrees: at most 6 decimals (about 11 cm), within the globe.
LATITUDE = {"digits": 2, "places": 6, "minimum": -90, "maximum": 90}
LONGITUDE = {"digits": 3, "places": 6, "minimum": -180, "maximum": 180}


def location(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    """A centroid (text or numbers, in degrees) as two Decimals; both empty: (None, None).
    Raises :class:`portal.core.bounds.OutOfBounds` for a value outside the globe and
    :class:`MunicipalityError` when only one of the two is given."""
    lat = bounds.decimal_value(latitude, _l("Latitud"), **LATITUDE)
    lon = bounds.decimal_value(longitude, _l("Longitud"), **LONGITUDE)
    if (lat is None) != (lon is None):
        raise MunicipalityError("longitude" if lon is None else "latitude",
                                _l("Escriba la latitud y la longitud, o deje las dos vacías."))
    return lat, lon


def set_location(municipality, latitude, longitude) -> None:
    """Set the municipality's centroid (see :func:`location`); both empty clear it."""
    municipality.latitude, municipality.longitude = location(latitude, longitude)
    db.session.flush()


def set_code(municipality, code: str | None) -> None:
    """Set the national statistics code (unique within the country; empty clears it)."""
    code = (code or "").strip() or None
    if code is not None:
        if len(code) > 20:
            raise MunicipalityError("code", _l("El código tiene como máximo 20 caracteres."))
        other = by_code(municipality.country, code)
        if other is not None and other.id != municipality.id:
            raise MunicipalityError("code", _l("El código «%(code)s» ya lo usa %(name)s.", code=code, name=other.name))
    municipality.code = code
    db.session.flush()


def create(slug: str, name: str, country: str, *, population=None, currency="USD", locale=None,
           department="", timezone=None, districts=(), code=None, latitude=None, longitude=None,
           **extra) -> Municipality:
    slug = (slug or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,58}", slug):
        raise MunicipalityError("slug", _l("El identificador lleva de 2 a 59 minúsculas, dígitos y guiones."))
    if get_by_slug(slug) is not None:
        raise MunicipalityError("slug", _l("El identificador «%(slug)s» ya está en uso.", slug=slug))
    if not re.fullmatch(r"[A-Za-z]{2}", country or ""):
        raise MunicipalityError("country", _l("El país es un código ISO 3166 de dos letras, por ejemplo SV."))
    if not re.fullmatch(r"[A-Za-z]{3}", currency or ""):
        raise MunicipalityError("currency", _l("La moneda es un código ISO 4217 de tres letras, por ejemplo USD."))
    locale = locale or default_locale(country)
    if not locale_ok(locale):
        raise MunicipalityError("locale", _l("Idioma y región desconocidos «%(locale)s»; use un código como es_SV.",
                                             locale=locale))
    timezone = (timezone or "").strip() or default_timezone(country)
    try:
        ZoneInfo(timezone)
    except (KeyError, ValueError):
        raise MunicipalityError("timezone", _l("Zona horaria desconocida «%(zone)s»; use un nombre como "
                                               "America/El_Salvador.", zone=timezone)) from None
    code = (code or "").strip() or None
    if code is not None and (len(code) > 20 or by_code(country, code) is not None):
        raise MunicipalityError("code", _l("El código «%(code)s» es demasiado largo o ya se usa en %(country)s.",
                                           code=code, country=country.upper()))
    latitude, longitude = location(latitude, longitude)
    municipality = Municipality(slug=slug, name=name.strip(), country=country.upper(), code=code,
                                latitude=latitude, longitude=longitude,
                                population=population, currency=currency.upper(), locale=locale,
                                department=department, timezone=timezone, **extra)
    db.session.add(municipality)
    for district in districts:
        municipality.districts.append(District(name=district))
    db.session.flush()
    return municipality
