"""How the change record names municipalities and districts (see portal.audit.labels)."""
from flask_babel import lazy_gettext as _l

from portal.audit.labels import register
from portal.core.i18n import country_name, locale_name


def zone_label(key):
    return (key or "").replace("_", " ")


def register_all():
    register("Municipality", _l("Municipio"),
             fields={"slug": _l("dirección web"), "country": _l("país"), "department": _l("departamento"),
                     "population": _l("población"), "currency": _l("moneda"), "locale": _l("formato regional"),
                     "timezone": _l("zona horaria"), "website": _l("sitio web"), "contact": _l("contacto"),
                     "logo_url": _l("logotipo"), "news_feed_url": _l("fuente de noticias"),
                     "latitude": _l("latitud"), "longitude": _l("longitud")},
             values={"country": country_name, "locale": locale_name, "timezone": zone_label})
    register("District", _l("Distrito"))
