"""Settings from the environment; the embedded default is SQLite in ``instance/``.

Every setting can be overridden by an environment variable of the same name.
In production (``CABILDO_ENV=production``) the portal refuses to start without
``SECRET_KEY`` (of at least 32 bytes) and ``PUBLIC_URL``; for a local run a key is
generated once and kept in ``instance/``, and the public address defaults to
``http://127.0.0.1:5000``. Requests are answered only for the public address's host,
the hosts in ``TRUSTED_HOSTS`` (comma-separated) and, outside production, loopback.
"""
import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from portal.core.urls import PublicUrlError, parse_public_url, trusted_hosts

MIN_SECRET_BYTES = 32
DEFAULT_LOCAL_URL = "http://127.0.0.1:5000"


class ConfigurationError(RuntimeError):
    """Raised when the environment cannot make a safe configuration."""


def _bool(value, default=False):
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret(instance_path: Path) -> str:
    """Return the locally generated secret key, creating it on first use."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the settings dict for :func:`portal.create_app`."""
    env = os.environ
    overrides = dict(overrides or {})
    instance = Path(instance_path)
    production = overrides.get("PRODUCTION", env.get("CABILDO_ENV") == "production")
    secret = overrides.get("SECRET_KEY") or env.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigurationError(
                "SECRET_KEY is not set. In production the portal needs a SECRET_KEY "
                "environment variable (for example: export SECRET_KEY=$(python -c "
                "'import secrets; print(secrets.token_hex(32))'))."
            )
        secret = _local_secret(instance)
    elif production and len(secret.encode()) < MIN_SECRET_BYTES:
        raise ConfigurationError(
            f"SECRET_KEY is too short ({len(secret.encode())} bytes). In production it needs at least "
            f"{MIN_SECRET_BYTES} bytes (for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    public_url = overrides.get("PUBLIC_URL") or env.get("PUBLIC_URL")
    if not public_url:
        if production:
            raise ConfigurationError(
                "PUBLIC_URL is not set. In production the portal needs the address people reach it at "
                "(for example: export PUBLIC_URL=https://portal.example.org); links in e-mails, feeds, "
                "exports and catalogs are built from it, never from the request."
            )
        public_url = DEFAULT_LOCAL_URL
    try:
        parse_public_url(public_url)
    except PublicUrlError as error:
        raise ConfigurationError(str(error)) from None
    extra_hosts = env.get("TRUSTED_HOSTS", "")
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'cabildo.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    config = {
        "SECRET_KEY": secret,
        "PRODUCTION": production,
        "PUBLIC_URL": public_url,
        "TRUSTED_HOSTS": trusted_hosts(public_url, extra_hosts, local=not production),
        "PREFERRED_URL_SCHEME": urlsplit(public_url).scheme,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "es",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "translations"),
        "LANGUAGES": ("es", "en", "pt"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        # Empty: chosen by portal.core.ratelimit.storage_uri (Redis, else the database).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", ""),
        # When the shared storage is down, each process counts on its own until it is back.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "cabildo"),
        # Reverse proxies in front of the portal that add X-Forwarded-For/-Proto (0: none,
        # the headers are ignored). See docs/deployment.md.
        "PROXY_COUNT": int(env.get("PROXY_COUNT", "0")),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_SENDER": env.get("MAIL_SENDER", "Cabildo <no-reply@cabildo.local>"),
        "OUTBOX_DIR": str(instance / "outbox"),
        "AUDIT_CHECKPOINT_KEY": env.get("AUDIT_CHECKPOINT_KEY", str(instance / "checkpoint_ed25519.pem")),
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or env.get("UPLOAD_DIR") or "uploads",
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        # rows one CSV/XLSX import may hold (portal.core.tabular): a larger file is refused
        "IMPORT_MAX_ROWS": int(env.get("IMPORT_MAX_ROWS", "50000")),
        "PAGE_SIZE": 20,
        # Outbound requests (news feeds): networks that may be read although not public
        # (comma-separated CIDRs, e.g. a feed on the office network); empty by default.
        "OUTBOUND_ALLOWED_NETWORKS": tuple(n.strip() for n in env.get("OUTBOUND_ALLOWED_NETWORKS", "").split(",")
                                           if n.strip()),
        "FEEDS_TIMEOUT": min(max(float(env.get("FEEDS_TIMEOUT", "10")), 1.0), 60.0),
        "FEEDS_MAX_BYTES": int(env.get("FEEDS_MAX_BYTES", str(4_000_000))),
        "CACHE_URL": env.get("CACHE_URL", ""),
        "CACHE_HEADS_SECONDS": float(env.get("CACHE_HEADS_SECONDS", "1")),
        # Responses compressed (Flask-Compress) when the browser accepts it; static files are
        # compressed once by portal.core.assets; streamed downloads are left as they are.
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_STREAMS": False,
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript", "application/javascript",
                               "application/json", "application/manifest+json", "image/svg+xml",
                               "application/atom+xml", "application/xml", "text/xml", "application/ld+json",
                               "text/turtle", "application/rdf+xml"],
        "SURVEY_MIN_COUNT": max(1, int(env.get("SURVEY_MIN_COUNT", "5"))),
        "OPENDATA_LICENSE": env.get("OPENDATA_LICENSE", "CC-BY-4.0"),
        "OPENDATA_LICENSES": json.loads(env.get("OPENDATA_LICENSES") or "{}"),
    }
    from portal.core.caching import settings as cache_settings
    from portal.core.jobs import settings as jobs_settings

    config.update(jobs_settings(env, instance, production))

    config.update(cache_settings(env, overrides))
    config.update(overrides)
    if config.get("TESTING") and not env.get("JOBS_URL") and "JOBS_URL" not in overrides:
        config["JOBS_URL"] = "memory://"  # a test that wants a real queue names one
    if "UPLOAD_DIR" in overrides and "UPLOAD_FOLDER" not in overrides:
        config["UPLOAD_FOLDER"] = overrides["UPLOAD_DIR"]  # the setting's former name
    config["UPLOAD_FOLDER"] = str(upload_folder(instance, config["UPLOAD_FOLDER"]))
    config["UPLOAD_DIR"] = config["UPLOAD_FOLDER"]  # the former name, for code not yet renamed
    _check_network_settings(config)
    return config


def _check_network_settings(config: dict) -> None:
    """Refuse to start with a proxy count or an allowed network that cannot be right."""
    import ipaddress

    if not 0 <= int(config.get("PROXY_COUNT") or 0) <= 5:
        raise ConfigurationError("PROXY_COUNT is the number of reverse proxies in front of the portal (0-5).")
    for network in config.get("OUTBOUND_ALLOWED_NETWORKS") or ():
        try:
            ipaddress.ip_network(str(network), strict=False)
        except ValueError:
            raise ConfigurationError(f"OUTBOUND_ALLOWED_NETWORKS: {network!r} is not a network "
                                     "(write it like 10.0.0.0/8 or 192.168.5.7/32).") from None


def upload_folder(instance: Path, value) -> Path:
    """The uploads directory: an absolute path as given (a volume every server mounts), a
    relative one inside the instance folder, never the process's working directory."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else (instance / path).resolve()
