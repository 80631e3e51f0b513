"""A form sent with an expired, stale or missing CSRF token comes back to the person with
everything they typed, never as a dead end.

How (one mechanism for every form of the portal):

* The attached files are put in a short-lived holding area (``UPLOAD_FOLDER/_held/<token>``,
  kept :data:`HOLD_SECONDS`), the token in the session; the next POST to the same
  address gets them back in ``request.files`` for each file field left empty, so the
  person does not choose the photo again.
* If the address also answers GET with the same view, that view runs again on the
  submitted data (:func:`replay`). Its forms fail validation (their token is the stale
  one), so it renders itself with the typed values, its own messages and a fresh token.
  The replay may never write: a commit during it raises :class:`ReplayWrite` (a view
  that does not validate a form, e.g. a survey page) and everything it flushed is rolled
  back.
* Otherwise (an action-only address, or a view that tried to write) the person gets a
  page that says what happened and sends the same values again with a fresh token at
  one tap (:func:`resend_page`).

Only a submission coming from one of the portal's own pages (its ``Origin`` or
``Referer``) is offered any of this; anything else gets the plain error page, so a
foreign site cannot walk a visitor through a forged form.
"""
import json
import re
import secrets
import shutil
import time
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, flash, g, render_template, request, session
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from portal.extensions import db

HELD_KEY = "_held_files"
HOLD_SECONDS = 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SUBMIT_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ReplayWrite(RuntimeError):
    """A view tried to commit while it was shown again after a rejected token."""


def _refuse_commit_during_replay(_session):
    if g and g.get("csrf_replay"):
        raise ReplayWrite()


def from_own_page() -> bool:
    """True when the submission names one of our pages as its origin."""
    source = request.headers.get("Origin") or request.referrer or ""
    return bool(source) and urlsplit(source).netloc == request.host


# -- the holding area -------------------------------------------------------------------

def _held_root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "_held"


def _sweep(root: Path, now: float) -> None:
    """Forget held files older than HOLD_SECONDS (nobody came back for them)."""
    if not root.is_dir():
        return
    for folder in root.iterdir():
        try:
            if now - folder.stat().st_mtime > HOLD_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:  # another request swept it first
            continue


def hold_files() -> list[str]:
    """Keep the request's chosen files for the next submission; return their names."""
    chosen = [(field, upload) for field, upload in request.files.items(multi=True) if upload and upload.filename]
    if not chosen:
        return []
    root = _held_root()
    _sweep(root, time.time())
    token = secrets.token_urlsafe(16)
    folder = root / token
    folder.mkdir(parents=True)
    manifest = []
    for index, (field, upload) in enumerate(chosen):
        (folder / str(index)).write_bytes(upload.read())
        manifest.append({"field": field, "filename": upload.filename, "type": upload.content_type})
    (folder / "manifest.json").write_text(json.dumps(manifest))
    session[HELD_KEY] = {"token": token, "path": request.path}
    return [upload.filename for _field, upload in chosen]


def restore_files() -> None:
    """Before a POST: give back the files held for this address to the empty file fields."""
    held = session.get(HELD_KEY) if request.method == "POST" else None
    if not isinstance(held, dict) or held.get("path") != request.path:
        return
    session.pop(HELD_KEY, None)
    token = str(held.get("token", ""))
    folder = _held_root() / token
    if not TOKEN.match(token) or not (folder / "manifest.json").is_file():
        return
    manifest = json.loads((folder / "manifest.json").read_text())
    files = MultiDict(request.files.items(multi=True))
    for index, entry in enumerate(manifest):
        field = entry["field"]
        if any(upload.filename for upload in files.getlist(field)):
            continue  # the person chose another file: theirs wins
        data = (folder / str(index)).read_bytes()
        for empty in files.getlist(field):
            empty.close()
        files.setlist(field, [FileStorage(BytesIO(data), filename=entry["filename"], name=field,
                                          content_type=entry["type"])])
    shutil.rmtree(folder, ignore_errors=True)
    request.files = ImmutableMultiDict(files)


# -- showing the form again -------------------------------------------------------------

def _same_view_answers_get() -> bool:
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, _args = adapter.match(method="GET")
    except (NotFound, MethodNotAllowed, HTTPException):
        return False
    return endpoint == request.endpoint


def replay():
    """The view again, on the submitted data and without the files (they are held);
    None when it cannot be shown that way."""
    if request.endpoint not in current_app.view_functions or not _same_view_answers_get():
        return None
    g.csrf_replay = True
    for upload in request.files.values():
        upload.close()  # held already; the request no longer closes them once replaced
    request.files = ImmutableMultiDict()
    try:
        view = current_app.view_functions[request.endpoint]
        return current_app.make_response(view(**(request.view_args or {})))
    except (ReplayWrite, HTTPException):
        return None
    finally:
        g.csrf_replay = False
        db.session.rollback()


def resend_page():
    fields = [(name, value) for name, value in request.form.items(multi=True) if not name.endswith("csrf_token")]
    back = request.referrer if from_own_page() and request.referrer else None
    return render_template("core/form_expired.html", fields=fields, back=back,
                           action=request.full_path.rstrip("?"), multipart=bool(request.files)), 400


def expired_form(plain_error):
    """The answer to a rejected CSRF token; ``plain_error(message)`` for the others."""
    message = _("El formulario caducó antes de enviarse; todavía no se guardó nada. "
                "Revise lo que escribió y envíelo de nuevo.")
    if request.method not in SUBMIT_METHODS or not from_own_page():
        return plain_error(_("El formulario caducó o no es válido. Vuelva a enviarlo."))
    names = hold_files()
    if names:
        message += " " + _("Se conservó el archivo que eligió: %(names)s.", names=", ".join(names))
    flash(message, "error")  # shown by the page that follows, whichever it is
    response = replay()
    if response is None:
        return resend_page()
    if response.status_code in (301, 302, 303, 307, 308):  # e.g. it was stored already: "nothing saved" is wrong
        session["_flashes"] = [(c, m) for c, m in session.get("_flashes", []) if m != message]
    return response


def init_app(app):
    if not event.contains(Session, "before_commit", _refuse_commit_during_replay):
        event.listen(Session, "before_commit", _refuse_commit_during_replay)
    app.before_request(restore_files)
