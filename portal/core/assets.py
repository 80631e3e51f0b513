"""Static files under long-lived fingerprinted URLs, compressed once.

``url_for('static', filename='cabildo.css')`` gives ``/static/cabildo.<hash>.css``, where
``<hash>`` is the first 12 hex digits of the SHA-256 of the file's content: a new
version of a file gets a new URL, so each URL can be cached for a year
(``Cache-Control: public, max-age=31536000, immutable``). The plain name
(``/static/cabildo.css``: an old page, a bookmark, a tool) still answers, with
``no-cache`` so that it is revalidated through its ``ETag``; so does a fingerprint of an
earlier version (with the current content, not immutable).

Text files (CSS, JavaScript, SVG, JSON) are compressed once when first asked for, with
brotli and gzip, and sent in the encoding the browser prefers; everything else is sent as
it is. Files are read once per process; with the debugger on, a changed file is read again.
"""
import gzip
import hashlib
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import abort, current_app, request
from werkzeug.security import safe_join

YEAR = 31_536_000
HASH_LENGTH = 12
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/manifest+json")
_FINGERPRINTED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[A-Za-z0-9]+)$")


@dataclass(frozen=True)
class Asset:
    digest: str  # the first HASH_LENGTH hex digits of the content's SHA-256
    mimetype: str
    mtime: float
    body: bytes
    encoded: tuple  # ((encoding, bytes), ...), best first; empty when not worth it


def fingerprinted(filename: str, digest: str) -> str:
    """``offline/queue.js`` -> ``offline/queue.<digest>.js`` (no extension: appended)."""
    folder, _, name = filename.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    named = f"{stem}.{digest}.{ext}" if dot and stem else f"{name}.{digest}"
    return f"{folder}/{named}" if folder else named


def split_fingerprint(filename: str) -> tuple[str, str | None]:
    """The inverse: ``offline/queue.<digest>.js`` -> (``offline/queue.js``, digest);
    a name without a fingerprint -> (name, None)."""
    folder, _, name = filename.rpartition("/")
    match = _FINGERPRINTED.match(name)
    if not match:
        return filename, None
    plain = match["stem"] + match["ext"]
    return (f"{folder}/{plain}" if folder else plain), match["hash"]


def _load(path: Path) -> Asset:
    body = path.read_bytes()
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    encoded = ()
    if mimetype.startswith(COMPRESSIBLE) and len(body) >= 256:
        encoded = (("br", brotli.compress(body, quality=11)), ("gzip", gzip.compress(body, 9, mtime=0)))
        encoded = tuple((name, data) for name, data in encoded if len(data) < len(body))
    return Asset(hashlib.sha256(body).hexdigest()[:HASH_LENGTH], mimetype, path.stat().st_mtime, body, encoded)


class Assets:
    """The static folder's files, read (and compressed) once each."""

    def __init__(self, folder: str):
        self.folder = folder
        self._assets: dict[str, Asset | None] = {}
        self._lock = threading.Lock()

    def get(self, filename: str, reload: bool = False) -> Asset | None:
        asset = self._assets.get(filename)
        if asset is not None and not reload:
            return asset
        path = safe_join(self.folder, filename)
        if path is None or not Path(path).is_file():
            return None
        if asset is not None and Path(path).stat().st_mtime == asset.mtime:
            return asset
        with self._lock:
            asset = self._assets[filename] = _load(Path(path))
        return asset


def _assets() -> Assets:
    return current_app.extensions["cabildo_assets"]


def static_view(filename: str):
    """The ``static`` endpoint: the file, in the best encoding the browser accepts."""
    plain, digest = split_fingerprint(filename)
    asset = _assets().get(plain, reload=current_app.debug) if digest else None
    if asset is None:
        plain, digest = filename, None
        asset = _assets().get(filename, reload=current_app.debug)
    if asset is None:
        abort(404)
    body, encoding = asset.body, None
    for name, data in asset.encoded:
        if request.accept_encodings[name]:
            body, encoding = data, name
            break
    response = current_app.response_class(body, mimetype=asset.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if asset.encoded:
        response.vary.add("Accept-Encoding")
    response.set_etag(f"{asset.digest}-{encoding or 'identity'}")
    if digest == asset.digest:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def init_app(app):
    """Fingerprint ``url_for('static', ...)`` and serve the static folder through
    :func:`static_view`."""
    app.extensions["cabildo_assets"] = Assets(app.static_folder)
    app.view_functions["static"] = static_view

    @app.url_defaults
    def fingerprint_static_urls(endpoint, values):
        if endpoint != "static" or "filename" not in values:
            return
        asset = _assets().get(values["filename"], reload=app.debug)
        if asset is not None:
            values["filename"] = fingerprinted(values["filename"], asset.digest)
