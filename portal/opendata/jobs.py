"""News feeds read by the job queue (:mod:`portal.core.jobs`) every half hour, as
``feeds fetch`` does by hand. Idempotent: an item already stored is not stored again."""
from flask_babel import lazy_gettext as _l
from huey import crontab

from portal.core import jobs
from portal.opendata import services


@jobs.job("feeds.fetch", _l("Lectura de las noticias de los municipios"))
def fetch_feeds() -> None:
    services.fetch_all()


jobs.periodic(fetch_feeds, crontab(minute="*/30"))
