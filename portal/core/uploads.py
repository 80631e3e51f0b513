"""Uploaded files: photos checked, resized and stripped of metadata; documents checked.

Files are stored under ``UPLOAD_DIR/<municipality id>/`` with random names and served
by ``core.upload`` (public; names are unguessable and only referenced from published
or owner-visible pages).
"""
import io
import secrets
from pathlib import Path

from flask import current_app

IMAGE_TYPES = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
DOCUMENT_TYPES = {b"%PDF-": "pdf"}
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_DOCUMENT_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1600


class UploadError(ValueError):
    """The file is not acceptable; the message says why."""


def _folder(municipality_id: int) -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / str(int(municipality_id))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_image(municipality_id: int, data: bytes) -> str:
    """Validate an image by decoding it, resize to MAX_SIDE, drop EXIF/GPS; return its name."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise UploadError("The file is empty.")
    if len(data) > MAX_IMAGE_BYTES:
        raise UploadError("The photo is larger than 8 MB.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in IMAGE_TYPES:
            raise UploadError("Only JPEG, PNG or WebP photos are accepted.")
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.width * image.height > 40_000_000:
                raise UploadError("The photo has too many pixels.")
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True)  # no exif= : metadata dropped
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, UploadError):
            raise
        raise UploadError("The file is not a valid image.") from None
    name = f"{secrets.token_urlsafe(16)}.jpg"
    (_folder(municipality_id) / name).write_bytes(out.getvalue())
    return name


def save_document(municipality_id: int, data: bytes, allow_images: bool = True) -> str:
    """Evidence: a PDF (checked by its signature) or an image (re-encoded)."""
    if data[:5] == b"%PDF-":
        if len(data) > MAX_DOCUMENT_BYTES:
            raise UploadError("The document is larger than 15 MB.")
        name = f"{secrets.token_urlsafe(16)}.pdf"
        (_folder(municipality_id) / name).write_bytes(data)
        return name
    if allow_images:
        return save_image(municipality_id, data)
    raise UploadError("Only PDF documents are accepted.")


def path_for(municipality_id: int, name: str) -> Path | None:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = Path(current_app.config["UPLOAD_DIR"]) / str(int(municipality_id)) / name
    return path if path.is_file() else None
