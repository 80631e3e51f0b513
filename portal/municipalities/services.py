"""Use cases for municipalities."""
from sqlalchemy import func, select

from portal.extensions import db
from portal.municipalities.bands import band_range
from portal.municipalities.models import District, Municipality


class MunicipalityError(ValueError):
    """A field is wrong; ``field`` names it."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


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


def likely_locale(country: str) -> str:
    """The locale most likely used in ``country`` (an ISO 3166 alpha-2 code), from the
    CLDR likely-subtags data Babel carries: ``SV`` -> ``es_SV``, ``BR`` -> ``pt_BR``,
    ``PL`` -> ``pl_PL``. A territory CLDR does not know gives plain ``es``."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(f"und_{(country or '').upper()}"))
    except (UnknownLocaleError, ValueError):
        return "es"


def create(slug: str, name: str, country: str, *, population=None, currency="USD", locale=None,
           department="", timezone="UTC", districts=(), **extra) -> Municipality:
    import re

    from babel import Locale, UnknownLocaleError

    slug = (slug or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,58}", slug):
        raise MunicipalityError("slug", "The slug takes 2-59 lowercase letters, digits and hyphens.")
    if get_by_slug(slug) is not None:
        raise MunicipalityError("slug", f"The slug '{slug}' is already taken.")
    if not re.fullmatch(r"[A-Za-z]{2}", country or ""):
        raise MunicipalityError("country", "The country is a two-letter ISO 3166 code, e.g. SV.")
    if not re.fullmatch(r"[A-Za-z]{3}", currency or ""):
        raise MunicipalityError("currency", "The currency is a three-letter ISO 4217 code, e.g. USD.")
    locale = locale or likely_locale(country)
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise MunicipalityError("locale", f"Unknown locale '{locale}'; use a code like es_SV.") from None
    municipality = Municipality(slug=slug, name=name.strip(), country=country.upper(),
                                population=population, currency=currency.upper(), locale=locale,
                                department=department, timezone=timezone, **extra)
    db.session.add(municipality)
    for district in districts:
        municipality.districts.append(District(name=district))
    db.session.flush()
    return municipality
