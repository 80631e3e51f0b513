"""The words for a :class:`~portal.participation.budgeting.pabulib.PabulibError`, in the
reader's language: the pure reader raises a code and parameters, this module (the one
place that knows the sentences) turns them into a message through the catalogs. Used by
``flask --app wsgi budgeting import-pabulib`` and wherever an import error is shown."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.participation.budgeting.pabulib import PabulibError

MESSAGES = {
    "csv": _l("línea %(line)s: no se puede leer (%(detail)s)"),
    "null_bytes": _l("el archivo tiene caracteres nulos (0x00): no es un archivo .pb de texto"),
    "no_section": _l("línea %(line)s: se esperaba META, PROJECTS o VOTES"),
    "meta_pair": _l("línea %(line)s: en META cada línea es clave;valor"),
    "too_many_fields": _l("línea %(line)s: más campos (%(found)s) que la cabecera (%(expected)s)"),
    "missing_budget": _l("META: falta «budget» (el presupuesto)"),
    "missing_column": _l("%(section)s: falta la columna «%(column)s»"),
    "not_a_number": _l("%(section)s fila %(row)s, columna «%(column)s»: «%(text)s» no es un número"),
    "not_a_number_meta": _l("META %(column)s: «%(text)s» no es un número"),
    "not_an_integer": _l("META %(key)s: «%(text)s» no es un número entero"),
    "vote_type": _l("META vote_type: «%(value)s» no está soportado (approval, cumulative u ordinal)"),
    "project_id": _l("PROJECTS fila %(row)s: project_id vacío o repetido"),
    "unknown_project": _l("VOTES fila %(row)s: proyecto desconocido %(project)s"),
    "points": _l("VOTES fila %(row)s: «points» no corresponde a «vote»"),
    "mixed_vote_type": _l("vote_type %(found)s, el archivo 1 tiene %(first)s"),
    "duplicate_district": _l("ya hay un archivo para el distrito %(district)s"),
    "duplicate_city": _l("ya hay un archivo para todo el municipio"),
    "repeated_project": _l("project_id %(project)s ya está en otro archivo"),
}


def describe(error: PabulibError) -> str:
    """The error as a sentence in the current language, naming the file when there are
    several."""
    code = error.code
    if code == "not_a_number" and error.params.get("row") is None:
        code = "not_a_number_meta"
    elif code == "duplicate_district" and not error.params.get("district"):
        code = "duplicate_city"
    template = MESSAGES.get(code)
    text = str(template) % error.params if template is not None else str(error)
    if error.file is not None:
        return _("archivo %(number)s: %(problem)s", number=error.file, problem=text)
    return text
