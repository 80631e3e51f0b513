"""Uploaded files: photos checked, resized and stripped of metadata; documents checked.

Layout under ``UPLOAD_FOLDER`` (one directory every portal server shares, see
docs/deployment.md)::

    <municipality id>/<random name>.jpg|.pdf    served by ``core.upload`` (public)
    withdrawn/<municipality id>/<random name>   removed by a moderator: kept, never served
    finance-imports/                            staged finance imports (staff only)
    imports/                                    files of imports run as jobs (staff only,
                                                never served; see portal.core.imports)

Images are checked from their header **before** anything is decoded: a picture of more
than :data:`MAX_PIXELS` pixels is refused without allocating its pixels (a 656 KB PNG can
claim 225 megapixels). JPEGs are decoded at a reduced scale (``draft``), so decoding one
never needs more memory than its resized copy.

Files follow the database transaction that stored them: a file written during a
transaction that does not commit (an invalid form, an error, a lost race) is deleted
when the transaction ends; a withdrawal takes effect when its transaction commits.
"""
import io
import secrets
import shutil
import warnings
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

IMAGE_TYPES = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_DOCUMENT_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; decoding one PNG this size takes ~160 MB
WITHDRAWN = "withdrawn"


class UploadError(ValueError):
    """The file is not acceptable; ``str(error)`` is a translated message for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def _folder(municipality_id: int) -> Path:
    folder = upload_folder() / str(int(municipality_id))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _decode(data: bytes):
    """Open ``data`` as a photo and return it resized to MAX_SIDE, in RGB.

    The format and the dimensions come from the header (``Image.open`` reads no pixels);
    only a picture within :data:`MAX_PIXELS` is decoded."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard, for every decode in the process
    too_many = UploadError(_l("La foto tiene demasiados píxeles (el máximo es %(n)s megapíxeles).",
                              n=MAX_PIXELS // 1_000_000))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_TYPES:
                    raise UploadError(_l("Solo se aceptan fotos JPEG, PNG o WebP."))
                width, height = image.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    raise too_many
                if image.format == "JPEG":
                    image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 scale
                image.load()
                picture = image.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, UploadError):
            raise
        raise UploadError(_l("El archivo no es una imagen válida.")) from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    return picture


def save_image(municipality_id: int, data: bytes) -> str:
    """Validate a photo from its header, decode it within bounds, resize to MAX_SIDE and
    re-encode as JPEG without EXIF/GPS; return its new random name."""
    if not data:
        raise UploadError(_l("El archivo está vacío."))
    if len(data) > MAX_IMAGE_BYTES:
        raise UploadError(_l("La foto pesa más de 8 MB."))
    picture = _decode(data)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=82, optimize=True)  # no exif= : metadata dropped
    return _write(municipality_id, "jpg", out.getvalue())


def save_document(municipality_id: int, data: bytes, allow_images: bool = True) -> str:
    """Evidence: a PDF (checked by its signature) or an image (checked and re-encoded)."""
    if not data:
        raise UploadError(_l("El archivo está vacío."))
    if data[:5] == b"%PDF-":
        if len(data) > MAX_DOCUMENT_BYTES:
            raise UploadError(_l("El documento pesa más de 15 MB."))
        return _write(municipality_id, "pdf", data)
    if allow_images:
        return save_image(municipality_id, data)
    raise UploadError(_l("Solo se aceptan documentos PDF."))


def _valid_name(name: str | None) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def path_for(municipality_id: int, name: str) -> Path | None:
    """The served file, or None (unknown, or withdrawn by a moderator)."""
    if not _valid_name(name):
        return None
    path = upload_folder() / str(int(municipality_id)) / name
    return path if path.is_file() else None


def withdraw(municipality_id: int, name: str | None) -> None:
    """Stop serving a file when the current transaction commits; it is kept under
    ``withdrawn/`` (the moderation record names it) and can be restored."""
    if _valid_name(name):
        _pending()["moves"].append((_served(municipality_id, name), _withdrawn(municipality_id, name)))


def restore(municipality_id: int, name: str | None) -> None:
    """Serve a withdrawn file again when the current transaction commits."""
    if _valid_name(name):
        _pending()["moves"].append((_withdrawn(municipality_id, name), _served(municipality_id, name)))


def _served(municipality_id, name) -> Path:
    return upload_folder() / str(int(municipality_id)) / name


def _withdrawn(municipality_id, name) -> Path:
    return upload_folder() / WITHDRAWN / str(int(municipality_id)) / name


# --- files follow the transaction ----------------------------------------------------

def _session() -> Session:
    from portal.extensions import db

    return db.session()


def _pending(session: Session | None = None) -> dict:
    session = session or _session()
    return session.info.setdefault("uploads", {"written": [], "moves": [], "removed": []})


def _write(municipality_id: int, extension: str, content: bytes) -> str:
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    path = _folder(municipality_id) / name
    path.write_bytes(content)
    _pending()["written"].append(path)
    return name


def track_written(path: Path) -> None:
    """A file written elsewhere under the upload folder that follows this transaction too
    (deleted if it does not commit)."""
    _pending()["written"].append(path)


def remove_after_commit(path: Path) -> None:
    """Delete a stored file once the current transaction commits (kept if it does not)."""
    _pending()["removed"].append(path)


def keep(municipality_id: int, name: str) -> None:
    """Keep a file written in this transaction even though it does not commit (a photo
    held for the person's next try of the same form)."""
    written = _pending()["written"]
    path = _served(municipality_id, name)
    if path in written:
        written.remove(path)


def _after_commit(session):
    pending = session.info.pop("uploads", None)
    if not pending:
        return
    for source, target in pending["moves"]:
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
    for path in pending.get("removed", ()):
        path.unlink(missing_ok=True)


def _after_transaction_end(session, transaction):
    if transaction.parent is not None or transaction.nested:
        return
    pending = session.info.pop("uploads", None)  # still there: the transaction did not commit
    if not pending:
        return
    for path in pending["written"]:
        path.unlink(missing_ok=True)


def install() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
