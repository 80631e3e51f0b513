"""Requests the portal makes to other servers on someone's say-so (news feeds).

A municipal admin types the address; without care the server would fetch its own
loopback, the cloud's metadata service or the office network for them, and tell them
what it found (server-side request forgery). Here:

* only ``http`` and ``https``, without credentials in the address;
* the host is resolved once and **every** address it resolves to must be public
  (:func:`is_public`) or inside a network the operator listed
  (``OUTBOUND_ALLOWED_NETWORKS``, empty by default); the connection then goes to the
  address that was checked (the name only travels in ``Host`` and TLS SNI/certificate
  check), so a DNS answer that changes between check and connect (rebinding) cannot
  redirect it;
* redirects are followed by hand, at most :data:`MAX_REDIRECTS`, each one checked again;
* the whole exchange has a deadline (``timeout`` seconds, checked between reads, each
  read also bounded by it) and the body a size bound, counted after decompression;
* failures are one :class:`OutboundError` with a short code; the person sees a
  translated sentence (:func:`message`), never the network's own error (which would
  tell a closed port from a filtered one).

Name resolution uses the system resolver, whose own timeout applies.
"""
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from flask_babel import lazy_gettext as _l

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024

MESSAGES = {
    "scheme": _l("La dirección debe empezar por http:// o https://."),
    "address": _l("Esa dirección no es pública: el portal solo lee servidores de internet."),
    "unresolvable": _l("No encontramos ese servidor. Revise la dirección."),
    "unreachable": _l("El servidor no respondió a tiempo o cortó la conexión."),
    "too-large": _l("La respuesta del servidor es demasiado grande."),
    "redirects": _l("El servidor redirige demasiadas veces."),
    "http": _l("El servidor respondió con un error."),
    "not-a-feed": _l("Lo que devuelve esa dirección no es un canal RSS o Atom."),
}


class OutboundError(Exception):
    """A refused or failed outbound request; ``code`` is a key of :data:`MESSAGES`."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def message(code: str):
    """The translated sentence for an error code (a generic one for unknown codes)."""
    return MESSAGES.get(code, MESSAGES["unreachable"])


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: urllib3.HTTPHeaderDict  # case-insensitive
    url: str


def networks(values) -> tuple:
    """Parse CIDR strings (``"127.0.0.1/32"``) into networks; a bad entry raises ValueError."""
    return tuple(ipaddress.ip_network(str(value).strip(), strict=False) for value in values if str(value).strip())


def is_public(address: str, allowed=()) -> bool:
    """Whether ``address`` (an IP string) may be contacted: a global unicast address, or
    one inside an ``allowed`` network. IPv4 carried in IPv6 is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and (ip.ipv4_mapped or ip.sixtofour):
        ip = ip.ipv4_mapped or ip.sixtofour
    if any(ip in network for network in allowed):
        return True
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP the connection goes to


def check(url: str, allowed=()) -> Target:
    """Parse and resolve ``url``; refuse it unless every address is allowed."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        raise OutboundError("scheme") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError("scheme")
    if parts.username or parts.password:
        raise OutboundError("address")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise OutboundError("unresolvable") from None
    addresses = [entry[4][0] for entry in found]
    if not addresses or not all(is_public(address, allowed) for address in addresses):
        raise OutboundError("address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


def _host_header(target: Target) -> str:
    default = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"


def _pool(target: Target, timeout: float):
    limits = urllib3.Timeout(connect=timeout, read=timeout)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(target.address, target.port, timeout=limits, retries=False, maxsize=1,
                                           server_hostname=target.host, assert_hostname=target.host,
                                           cert_reqs="CERT_REQUIRED")
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=limits, retries=False, maxsize=1)


def get(url: str, *, headers: dict | None = None, timeout: float = 10, max_bytes: int = 4_000_000,
        allowed=()) -> Response:
    """GET ``url`` within the rules above. Answers 2xx and 304 come back; anything else
    raises :class:`OutboundError`."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        target = check(url, allowed)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise OutboundError("unreachable")
        pool = _pool(target, remaining)
        try:
            response = pool.urlopen("GET", target.path, headers={**(headers or {}), "Host": _host_header(target)},
                                    redirect=False, preload_content=False, assert_same_host=False)
            try:
                if response.status in REDIRECTS and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status != 304 and not 200 <= response.status < 300:
                    raise OutboundError("http")
                body = _read(response, deadline, max_bytes)
                return Response(response.status, body, urllib3.HTTPHeaderDict(response.headers), url)
            finally:
                response.release_conn()
        except urllib3.exceptions.HTTPError:
            raise OutboundError("unreachable") from None
        except OSError:
            raise OutboundError("unreachable") from None
        finally:
            pool.close()
    raise OutboundError("redirects")


def _read(response, deadline: float, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = response.read1(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise OutboundError("too-large")
        if time.monotonic() > deadline:
            raise OutboundError("unreachable")
        chunks.append(chunk)
