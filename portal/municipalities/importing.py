"""Importing a country's municipalities from one CSV or XLSX file.

``flask --app wsgi municipalities import FILE [--country CC]`` and the platform admin's
upload (``/admin/municipalities/import``, run as a job by :mod:`portal.core.imports`, with
a progress page) both call
:func:`plan` (read and validate the whole file, decide what each row creates or updates;
nothing is written) and :func:`apply` (write the plan; flush only, the caller commits
once: hundreds of rows in one transaction). Rows are matched to municipalities already
on the portal by country and national statistics code, so re-importing a file updates
them and creates nothing twice. A problem names the row, the column as the file wrote
it, and the fix, translated (:func:`describe`).
"""
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.audit.services import acting_as
from portal.core import imports, registry
from portal.core.tabular import Problem, TableError, normalize_header, parse_decimal, read_cells, read_table
from portal.extensions import db
from portal.municipalities import onboarding, services
from portal.municipalities.models import District, Municipality

MAX_ROWS = 20_000
MAX_FILE_BYTES = 5 * 1024 * 1024


def N_(msgid: str) -> str:
    """Marks a message id for extraction; translated where shown (:func:`_message`)."""
    return msgid


MESSAGES = {
    "unknown_column": N_("columna desconocida; use algunas de: %(expected)s"),
    "column_twice": N_("esta columna aparece dos veces; deje solo una"),
    "column_missing": N_("falta esta columna obligatoria; agréguela en la primera fila (%(spelled)s)"),
    "unreadable": N_("no se pudo leer el archivo; guárdelo como «CSV UTF-8» o como XLSX"),
    "too_big": N_("el archivo pasa de %(limit)s; divídalo en varios archivos"),
    "empty_file": N_("el archivo no tiene filas; la primera fila lleva los nombres de las columnas"),
    "too_many_rows": N_("el archivo tiene más de %(limit)s filas; divídalo en varios archivos"),
    "code_empty": N_("vacío; escriba el código nacional de estadística del municipio"),
    "code_repeated": N_("el código «%(value)s» ya está en la fila %(first)s; cada municipio lleva un código distinto"),
    "name_empty": N_("vacío; escriba el nombre del municipio"),
    "too_long": N_("tiene más de %(limit)s caracteres; acórtelo"),
    "country_empty": N_("vacío; escriba el código de país de dos letras (por ejemplo SV) o indique el país al importar"),
    "country_unknown": N_("«%(value)s» no es un código de país; use el código ISO de dos letras, por ejemplo SV o GT"),
    "country_other": N_("dice %(value)s, pero se importa para %(country)s; corrija el país o importe sin elegir país"),
    "not_a_number": N_("«%(value)s» no es un número; escríbalo con punto decimal, por ejemplo 1234 o 0.45"),
    "population_whole": N_("«%(value)s» no es un número entero de habitantes; escríbalo sin decimales"),
    "population_range": N_("«%(value)s» está fuera de rango; escriba de 0 a 100.000.000 habitantes"),
    "share_range": N_("«%(value)s» no es una proporción; escriba un número entre 0 y 1 (0.45) o un porcentaje (45%%)"),
    "currency_bad": N_("«%(value)s» no es un código de moneda; use tres letras, por ejemplo USD o GTQ"),
    "locale_bad": N_("«%(value)s» no es un formato regional conocido; use uno como es_SV o pt_BR"),
    "slug_bad": N_("«%(value)s» no sirve como identificador; use de 2 a 59 minúsculas, dígitos o guiones"),
    "slug_repeated": N_("el identificador «%(value)s» ya está en la fila %(first)s; use otro o deje la celda vacía"),
    "slug_taken": N_("el identificador «%(value)s» ya es de otro municipio; use otro o deje la celda vacía"),
    "district_long": N_("un distrito tiene más de %(limit)s caracteres; acórtelo (sepárelos con «;»)"),
    "slug_impossible": N_("no se pudo formar un identificador para «%(value)s»; escriba uno en la columna slug"),
}
FIELDS = ("name", "department", "population", "currency", "locale", "slug", "code")


def describe(problem: Problem) -> str:
    """One problem as a person reads it: row, column as the file wrote it, and the fix."""
    if problem.row is not None and problem.column:
        return _("Fila %(row)s, columna «%(column)s»: %(message)s", row=problem.row, column=problem.column,
                 message=problem.message)
    if problem.row is not None:
        return _("Fila %(row)s: %(message)s", row=problem.row, message=problem.message)
    return str(problem.message)


def _message(code: str, **params):
    return _l(MESSAGES[code], **params)


def _problem(issue: onboarding.Issue, written: dict) -> Problem:
    column = written.get(issue.column, issue.column) if issue.column else None
    return Problem(issue.row, column, _message(issue.code, **issue.params))


@dataclass
class Row:
    """What one row of the file does."""
    candidate: onboarding.Candidate
    slug: str
    action: str  # "create" | "update" | "same"
    changed: tuple = ()  # for updates: the fields that change (keys of onboarding.COLUMNS)
    municipality: Municipality | None = None


@dataclass
class Plan:
    rows: list = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


def _headers(data: bytes, filename: str) -> dict:
    """{column key: header as written}; raises TableError (translated) on unknown, repeated or
    missing columns."""
    try:
        cells = read_cells(data, filename)
    except TableError:
        raise TableError([Problem(None, None, _message("unreadable"))]) from None
    if not cells or all(c in (None, "") for c in cells[0]):
        raise TableError([Problem(None, None, _message("empty_file"))])
    if len(cells) > MAX_ROWS + 1:
        raise TableError([Problem(None, None, _message("too_many_rows", limit=MAX_ROWS))])
    aliases = {normalize_header(s): key for key, spellings in onboarding.COLUMNS.items() for s in (key, *spellings)}
    written, problems = {}, []
    for cell in cells[0]:
        name = normalize_header(cell)
        if not name:
            continue
        key = aliases.get(name)
        if key is None:
            problems.append(Problem(1, str(cell), _message("unknown_column",
                                                          expected=", ".join(onboarding.SPANISH.values()))))
        elif key in written:
            problems.append(Problem(1, str(cell), _message("column_twice")))
        else:
            written[key] = str(cell).strip()
    for key in onboarding.REQUIRED:
        if key not in written:
            problems.append(Problem(1, onboarding.SPANISH[key], _message("column_missing",
                                                                       spelled=f"{onboarding.SPANISH[key]} / {key}")))
    if problems:
        raise TableError(problems)
    return written


def plan(data: bytes, filename: str, country: str = "", progress=None) -> Plan:
    """Read and validate the whole file; raise TableError listing every problem. Writes
    nothing. ``progress`` (:class:`portal.core.imports.Progress`) hears the row count."""
    if len(data) > MAX_FILE_BYTES:
        raise TableError([Problem(None, None, _message("too_big", limit="5 MB"))])
    written = _headers(data, filename)
    rows = read_table(data, filename, onboarding.COLUMNS, onboarding.REQUIRED)
    if not rows:
        raise TableError([Problem(None, None, _message("empty_file"))])
    if progress is not None:
        progress.total(len(rows))
    countries = services.country_codes()
    candidates, issues = onboarding.check(rows, countries=countries, parse_decimal=parse_decimal, country=country,
                                          currency_of=services.default_currency, locale_ok=services.locale_ok)
    places = sorted({c.country for c in candidates if c.country in countries})
    existing = {(m.country, m.code): m for m in db.session.execute(
        select(Municipality).where(Municipality.country.in_(places), Municipality.code.is_not(None))
        .options(selectinload(Municipality.districts))).scalars()}
    taken = {slug: (place, code) for slug, place, code in db.session.execute(
        select(Municipality.slug, Municipality.country, Municipality.code))}
    current = {key: m.slug for key, m in existing.items()}
    slugs, more = onboarding.assign_slugs([c for c in candidates if c.code and c.country], current, taken)
    issues += more
    if issues:
        raise TableError([_problem(i, written) for i in sorted(issues, key=lambda i: (i.row or 0, i.column or ""))])
    shares = registry.urban_shares([m.id for m in existing.values()])
    out = Plan()
    for c in candidates:
        municipality = existing.get((c.country, c.code))
        if municipality is None:
            out.rows.append(Row(c, slugs[c.row], "create"))
            continue
        changed = []
        wanted = {"name": c.name, "slug": slugs[c.row], "department": c.department, "population": c.population,
                  "currency": c.currency, "locale": c.locale}
        for key, value in wanted.items():
            if (key in c.given or key == "slug") and value != getattr(municipality, key):
                changed.append(key)
        names = {d.name.lower() for d in municipality.districts}
        if any(d.lower() not in names for d in c.districts):
            changed.append("districts")
        if "urban_share" in c.given and c.urban_share != shares.get(municipality.id):
            changed.append("urban_share")
        out.rows.append(Row(c, slugs[c.row], "update" if changed else "same", tuple(changed), municipality))
    return out


WRITE_BATCH = 500


def apply(plan_: Plan, progress=None) -> dict:
    """Write the plan (flush only): {"created": n, "updated": n, "unchanged": n}.
    ``progress`` hears how many rows were written, every :data:`WRITE_BATCH`."""
    shares = {}
    made = []
    for number, row in enumerate(plan_.rows, start=1):
        if progress is not None and number % WRITE_BATCH == 0:
            db.session.flush()
            progress.written(number)
        c = row.candidate
        if row.action == "create":
            municipality = Municipality(
                slug=row.slug, code=c.code, name=c.name, country=c.country, department=c.department,
                population=c.population, currency=c.currency or services.default_currency(c.country),
                locale=c.locale or services.default_locale(c.country),
                districts=[District(name=d) for d in c.districts])
            db.session.add(municipality)
            made.append((municipality, c))
        elif row.action == "update":
            municipality = row.municipality
            for key in row.changed:
                if key in ("name", "slug", "department", "population", "currency", "locale"):
                    setattr(municipality, key, row.slug if key == "slug" else getattr(c, key))
            names = {d.name.lower() for d in municipality.districts}
            for district in c.districts:
                if district.lower() not in names:
                    municipality.districts.append(District(name=district))
            if "urban_share" in row.changed:
                shares[municipality.id] = c.urban_share
    db.session.flush()
    shares.update({m.id: c.urban_share for m, c in made if c.urban_share is not None})
    if shares:
        registry.set_urban_shares(shares)
    return {"created": plan_.count("create"), "updated": plan_.count("update"), "unchanged": plan_.count("same")}


def import_file(data: bytes, filename: str, country: str = "") -> dict:
    return apply(plan(data, filename, country))


# --- the platform's upload runs as a job (portal.core.imports) ------------------------

def _check_run(run, data, progress):
    return plan(data, run.filename, run.option_data.get("country", ""), progress)


def _write_run(run, plan_, progress):
    with acting_as("platform_admin"):
        result = apply(plan_, progress)
    return {**result, "written": len(plan_.rows)}


PREVIEW_ROWS = 500  # rows that change, listed on the preview; the rest are counted


def _preview(run, plan_) -> dict:
    """What confirming will do: the counts, and the rows that create or change a municipality."""
    changing = [r for r in plan_.rows if r.action != "same"]
    return {"created": plan_.count("create"), "updated": plan_.count("update"), "unchanged": plan_.count("same"),
            "rows": [{"row": r.candidate.row, "name": r.candidate.name, "department": r.candidate.department,
                      "country": r.candidate.country, "code": r.candidate.code, "slug": r.slug, "action": r.action,
                      "changed": list(r.changed)} for r in changing[:PREVIEW_ROWS]],
            "more": max(len(changing) - PREVIEW_ROWS, 0),
            "same": [[r.candidate.name, r.candidate.code] for r in plan_.rows if r.action == "same"][:PREVIEW_ROWS]}


def _summary(result):
    return _("Importación terminada. Creados: %(created)s; actualizados: %(updated)s; sin cambios: %(same)s.",
             created=result.get("created", 0), updated=result.get("updated", 0), same=result.get("unchanged", 0))


def _list_page(run):
    return url_for("municipalities.index")


def _upload_page(run):
    return url_for("municipalities.import_file")


IMPORT = imports.importer("municipalities.import", _l("Importación de municipios"), check=_check_run,
                          write=_write_run, summary=_summary, done_url=_list_page, again_url=_upload_page,
                          preview=_preview, preview_template="municipalities/_import_preview.html")


def template_rows() -> list[list]:
    """Example rows of the downloadable template (Spanish headers)."""
    return [["0101", "", "Ahuachapán", "Ahuachapán", "SV", "119724", "0.62", "USD", "es_SV", "Centro; El Barro"],
            ["1411", "", "Intipucá", "La Unión", "SV", "7567", "0.35", "", "", ""]]

