"""Error pages in the visitor's language; JSON errors for API clients."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.core.resubmit import expired_form
from portal.extensions import db


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _messages():
    return {
        400: _("La solicitud no se pudo entender."),
        403: _("No tiene permiso para ver esta página."),
        404: _("No encontramos esta página."),
        405: _("Este método no está permitido aquí."),
        413: _("El archivo es demasiado grande."),
        429: _("Demasiados intentos. Espere un momento y vuelva a intentarlo."),
        500: _("Algo salió mal de nuestro lado. Ya quedó registrado; intente de nuevo más tarde."),
        503: _("El servicio no está disponible en este momento. Intente de nuevo en unos minutos."),
    }


def render_error(status: int, detail: str | None = None):
    message = detail or _messages().get(status, _("Ocurrió un error."))
    if wants_json():
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("core/error.html", status=status, message=message), status


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return expired_form(lambda message: render_error(400, message))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        detail = None
        if error.code in (400, 409, 422) and error.description and not error.description.startswith("The "):
            detail = error.description
        return render_error(error.code, detail)

    @app.errorhandler(Exception)
    def unhandled(error):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        if isinstance(error, OperationalError):
            return render_error(503)
        if isinstance(error, DataError):  # a value the database cannot hold (a NUL byte...)
            return render_error(400)
        return render_error(InternalServerError.code)
