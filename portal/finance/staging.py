"""An uploaded import waits between preview and confirmation in a server-side file.

The form carries only a signed, expiring token naming the file, the municipality and
the options, never the file itself (and nothing of it goes into the session cookie)."""
import secrets
import time
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

MAX_AGE = 3600
MAX_BYTES = 5 * 1024 * 1024


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "finance-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="finance-import")


def keep(municipality, data: bytes, options: dict) -> str:
    """Store the file; return the signed token for the confirmation form."""
    _sweep()
    name = secrets.token_urlsafe(18)
    (_folder() / name).write_bytes(data)
    return _serializer().dumps({"file": name, "municipality": municipality.id, **options})


def load(municipality, token: str) -> tuple[bytes, dict] | None:
    """The file and options for a valid token of this municipality, or None."""
    try:
        options = _serializer().loads(token, max_age=MAX_AGE)
    except BadSignature:
        return None
    if options.get("municipality") != municipality.id:
        return None
    path = _folder() / options["file"]
    if "/" in options["file"] or not path.is_file():
        return None
    return path.read_bytes(), options


def discard(options: dict) -> None:
    (_folder() / options["file"]).unlink(missing_ok=True)


def _sweep():
    cutoff = time.time() - MAX_AGE
    for path in _folder().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # confirmed or swept by another request meanwhile
            continue
