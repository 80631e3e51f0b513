"""Rate limits that hold for the whole installation, not per process.

Flask-Limiter counts in a ``limits`` storage. In-process memory (``memory://``) gives
every gunicorn worker its own counters: with three workers a "5 per 15 minutes" limit lets
15 through, and every extra server multiplies it again. The storage is therefore chosen
in :func:`storage_uri`:

* ``RATELIMIT_STORAGE_URI`` when set: on a multi-server install with Redis,
  ``redis://...`` (built for counters; it takes that load off the database); also
  ``memcached://...`` or ``db+<SQLAlchemy URL>``;
* else :class:`DatabaseStorage` on the database every worker already shares: for the
  embedded SQLite default, a file of its own next to the main one (``<name>-ratelimits.db``,
  so counting never waits for the data's write lock); for PostgreSQL, the
  ``rate_limit_counters`` table of the portal's own database, shared by every server.

Behind a reverse proxy the client's address comes from ``X-Forwarded-For`` only for the
number of proxies the operator declares (``PROXY_COUNT``, applied with Werkzeug's
``ProxyFix`` in :func:`portal.create_app`); with none declared the header is ignored, so
a client cannot pick its own address to escape a limit.
"""
import hashlib
import random
import time
from pathlib import Path

from limits.storage import Storage
from sqlalchemy import Column, Float, Integer, String, Table, case, create_engine, delete, exc, select
from sqlalchemy.engine import make_url

from portal.extensions import db

counters = Table(
    "rate_limit_counters", db.metadata,
    Column("key", String(255), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),  # seconds since the epoch
)

SCHEME = "db+"
PURGE_ONE_IN = 200  # about one hit in this many also deletes long-expired counters


def storage_uri(config: dict) -> str:
    """The ``limits`` storage URI for these settings (see the module's docstring)."""
    explicit = config.get("RATELIMIT_STORAGE_URI")
    if explicit:
        return explicit
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return "memory://"  # a throwaway database: one process, nothing to share
        main = Path(url.database)
        return f"{SCHEME}sqlite:///{main.with_name(main.stem + '-ratelimits.db')}"
    return SCHEME + url.render_as_string(hide_password=False)


def _key(key: str) -> str:
    if len(key) <= 200:
        return key
    return key[:120] + "#" + hashlib.sha256(key.encode()).hexdigest()


_ENGINES: dict = {}


def _engine(url):
    """One engine per database and process (apps made again and again share it)."""
    key = url.render_as_string(hide_password=False)
    if key not in _ENGINES:
        arguments = {"timeout": 15} if url.get_backend_name() == "sqlite" else {}
        _ENGINES[key] = create_engine(url, pool_pre_ping=True, connect_args=arguments)
    return _ENGINES[key]


class DatabaseStorage(Storage):
    """Fixed-window counters in an SQL table, each hit one atomic upsert
    (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on SQLite and PostgreSQL).

    URI: ``db+`` followed by an SQLAlchemy URL, e.g. ``db+sqlite:////srv/limits.db`` or
    ``db+postgresql+psycopg://cabildo@db/cabildo``. The table is created if missing."""

    STORAGE_SCHEME = ["db+sqlite", "db+postgresql", "db+postgresql+psycopg"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        url = make_url(uri[len(SCHEME):])
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        self.engine = _engine(url)
        if url.get_backend_name() == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        self._insert = insert
        self._ready = False

    @property
    def base_exceptions(self):
        return exc.SQLAlchemyError

    def _ensure_table(self):
        if not self._ready:
            counters.create(self.engine, checkfirst=True)
            self._ready = True

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        self._ensure_table()
        now = time.time()
        expired = counters.c.expires_at <= now
        statement = self._insert(counters).values(key=_key(key), count=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(index_elements=[counters.c.key], set_={
            "count": case((expired, amount), else_=counters.c.count + amount),
            "expires_at": case((expired, now + expiry), else_=counters.c.expires_at),
        }).returning(counters.c.count)
        with self.engine.begin() as connection:
            count = connection.execute(statement).scalar_one()
            if random.randrange(PURGE_ONE_IN) == 0:
                connection.execute(delete(counters).where(counters.c.expires_at < now - 3600))
        return count

    def _row(self, key: str):
        self._ensure_table()
        with self.engine.connect() as connection:
            return connection.execute(select(counters.c.count, counters.c.expires_at)
                                      .where(counters.c.key == _key(key))).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row is not None and row.expires_at > time.time() else time.time()

    def check(self) -> bool:
        try:
            self._ensure_table()
            with self.engine.connect() as connection:
                connection.execute(select(1))
            return True
        except exc.SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        self._ensure_table()
        with self.engine.begin() as connection:
            return connection.execute(delete(counters)).rowcount

    def clear(self, key: str) -> None:
        self._ensure_table()
        with self.engine.begin() as connection:
            connection.execute(delete(counters).where(counters.c.key == _key(key)))
