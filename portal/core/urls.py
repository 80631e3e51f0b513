"""The portal's public address: every absolute URL it writes comes from ``PUBLIC_URL``.

A link in an e-mail, a feed, a catalog, an export or a QR code is read later, away from
the request that wrote it; if it were built from the request's ``Host`` header, anyone
could make the portal send a victim a password-reset link to their own server. So
absolute URLs are built from the configured base (``https://portal.example.org`` or
``https://example.org/cabildo``), never from the request, and requests for a host that is
not the public one (or listed in ``TRUSTED_HOSTS``) are refused with 400.
"""
from urllib.parse import urlsplit

from flask import Flask, has_request_context, request
from werkzeug.exceptions import SecurityError

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class PublicUrlError(ValueError):
    """``PUBLIC_URL`` is not an http(s) address with a host and nothing after its path."""


def parse_public_url(value: str) -> tuple[str, str, str]:
    """``(scheme, netloc, path)`` of a public base URL; the path without its trailing slash.

    >>> parse_public_url("https://portal.example.org/cabildo/")
    ('https', 'portal.example.org', '/cabildo')
    """
    parts = urlsplit((value or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublicUrlError(f"PUBLIC_URL must be an http:// or https:// address with a host, not {value!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise PublicUrlError(f"PUBLIC_URL must not carry a query, a fragment or credentials: {value!r}")
    return parts.scheme, parts.netloc.lower(), parts.path.rstrip("/")


def trusted_hosts(public_url: str, extra: str | list | tuple = (), local: bool = False) -> list[str]:
    """The host names requests may come to: the public one, ``extra`` (a comma-separated
    string or a list; a leading dot accepts subdomains) and, for a local run, loopback."""
    if isinstance(extra, str):
        extra = extra.split(",")
    hosts = [urlsplit(public_url).hostname]
    hosts += [h.strip().lower() for h in extra if h and h.strip()]
    if local:
        hosts += LOCAL_HOSTS
    return list(dict.fromkeys(hosts))


class PortalFlask(Flask):
    """Flask whose external URLs start with ``PUBLIC_URL`` (in and outside requests)."""

    def url_for(self, endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        in_request = has_request_context()
        external = _external if _external is not None else (_scheme is not None or not in_request)
        if not external:
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=False, **values)
        if not in_request:  # the app context's adapter is already bound to PUBLIC_URL
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=True, **values)
        path = super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=False, **values)
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root):]
        return self.public_root() + path

    def public_root(self) -> str:
        """``PUBLIC_URL`` without its trailing slash."""
        scheme, netloc, path = parse_public_url(self.config["PUBLIC_URL"])
        return f"{scheme}://{netloc}{path}"

    def create_url_adapter(self, request_):
        scheme, netloc, path = parse_public_url(self.config["PUBLIC_URL"])
        if request_ is None:
            if self.config.get("SERVER_NAME"):
                return super().create_url_adapter(request_)
            return self.url_map.bind(netloc, script_name=path or "/", url_scheme=scheme)
        try:
            return super().create_url_adapter(request_)
        except SecurityError as error:
            # An untrusted Host: answer 400 with the portal's own error page. The request
            # is matched as the home page, so nothing reads the untrusted host or runs a view.
            request_.host = netloc
            request_.routing_exception = error
            return self.url_map.bind(netloc, script_name=request_.script_root or "/", url_scheme=scheme,
                                     path_info="/", default_method="GET")


def init_app(app):
    from flask_babel import gettext as _

    from portal.core.errors import render_error

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        return render_error(400, _("Esta dirección no corresponde a este portal."))
