"""Reading the spreadsheets councils live in: CSV or XLSX, Spanish or English headers.

:func:`read_table` returns rows as dicts keyed by canonical column names, each with
``_row`` (the row number a person sees in Excel: the header is row 1). Every
problem is collected as a :class:`Problem` naming the row and column and saying how
to fix it; callers validate all rows, then raise :class:`TableError` with every
problem at once so nothing is written from a bad file.

Input is bounded here for every importer: at most ``IMPORT_MAX_ROWS`` rows (the
setting, 50,000 by default; an XLSX is read as a stream and abandoned at the limit),
text without control characters, numbers and dates within :mod:`portal.core.bounds`.

Messages are lazy strings of the catalogs (Spanish ids), read in the reader's
language. Problems name a column as the file wrote it: rows come back as
:class:`Rows`, whose ``headers`` map each canonical name to the file's own header;
``TableError(problems, rows.headers)`` puts the file's spelling in every problem.
:func:`detect_decimal_comma` tells which decimal mark a file's numbers use.
"""
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core import bounds
from portal.core.downloads import csv_bytes
from portal.core.text import clean_text

MAX_ROWS = 50_000  # without an application (the setting IMPORT_MAX_ROWS overrides it)


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(str(_l("fila %(row)s", row=self.row)))
        if self.column:
            where.append(str(_l("columna «%(column)s»", column=self.column)))
        return (", ".join(where) + ": " if where else "") + str(self.message)


class Rows(list):
    """The rows of a table; ``headers`` maps each canonical column to the header the file wrote."""

    def __init__(self, rows=(), headers=None):
        super().__init__(rows)
        self.headers = dict(headers or {})


class TableError(ValueError):
    """A file that cannot be imported; ``problems`` lists every reason, each column named
    as the file wrote it when ``headers`` (canonical -> written) is given."""

    def __init__(self, problems: list[Problem], headers: dict | None = None):
        headers = headers or {}
        self.problems = [Problem(p.row, headers.get(p.column, p.column), p.message) for p in problems]
        super().__init__(self.problems[0].message if self.problems else "")

    def __str__(self):
        return "; ".join(str(p) for p in self.problems[:20])


def normalize_header(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def max_rows() -> int:
    """Rows one file may hold besides its header: the ``IMPORT_MAX_ROWS`` setting."""
    return int(current_app.config.get("IMPORT_MAX_ROWS", MAX_ROWS)) if has_app_context() else MAX_ROWS


class TooManyRows(Exception):
    pass


def _capped(rows, limit: int) -> list[list]:
    """The first rows of an iterator, the header and at most ``limit`` more; beyond
    that the file is refused without reading the rest (a stream stops there)."""
    cells = []
    for row in rows:
        if len(cells) > limit:
            raise TooManyRows
        cells.append([clean_text(c) for c in row])
    return cells


MAX_CELL = 131_072  # characters of one CSV cell (the csv module's default limit)


def _cells_from_csv(data: bytes, limit: int):
    csv.field_size_limit(MAX_CELL)  # process-wide: a library may have raised it (frictionless does)
    text = data.decode("utf-8-sig")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t") else \
        ("\t" if sample.count("\t") > sample.count(",") else ",")
    return _capped(csv.reader(io.StringIO(text), delimiter=delimiter), limit)


MAX_COLUMNS = 200  # columns read from a sheet; no import has more than a few dozen
MAX_XLSX_UNPACKED = 128 * 2**20  # bytes of the workbook's parts once decompressed
MAX_SHARED_STRINGS = 32 * 2**20  # bytes of its shared-strings part (read whole by openpyxl)


class TooBigUnpacked(Exception):
    pass


def _check_unpacked(data: bytes) -> None:
    """Refuse a workbook that would only fit in memory once decompressed (a 1 KB file can
    declare a million rows of 16,384 columns, or a million shared strings)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    if sum(p.file_size for p in parts) > MAX_XLSX_UNPACKED or any(
            p.filename.lower().endswith("sharedstrings.xml") and p.file_size > MAX_SHARED_STRINGS for p in parts):
        raise TooBigUnpacked


def _trimmed(rows):
    """Each row without the empty cells that end it."""
    for row in rows:
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        yield row[:end]


def _cells_from_xlsx(data: bytes, sheet: str | None, limit: int):
    from openpyxl import load_workbook

    _check_unpacked(data)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)  # streamed, row by row
    try:
        worksheet = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
        worksheet.reset_dimensions()  # never trust the size the sheet declares for itself
        return _capped(_trimmed(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)), limit)
    finally:
        workbook.close()


def read_cells(data: bytes, filename: str, sheet: str | None = None) -> list[list]:
    """Raw cells of a CSV or XLSX file (text without control characters); raises
    TableError if it is neither, or holds more rows than :func:`max_rows`."""
    suffix = Path(filename or "").suffix.lower()
    limit = max_rows()
    try:
        if suffix == ".xlsx" or data[:2] == b"PK":
            return _cells_from_xlsx(data, sheet, limit)
        if suffix in (".csv", ".txt", ".tsv", ""):
            return _cells_from_csv(data, limit)
    except TooManyRows:
        raise TableError([Problem(None, None, _(
            "El archivo tiene más de %(limit)s filas, el máximo que se puede importar de una vez; "
            "divídalo en partes más pequeñas.", limit=f"{limit:,}"))]) from None
    except UnicodeDecodeError:
        raise TableError([Problem(None, None, _l("El archivo no es texto UTF-8; guárdelo como «CSV UTF-8» o como "
                                                 "XLSX."))]) from None
    except TooBigUnpacked:
        raise TableError([Problem(None, None, _l(
            "El libro XLSX ocupa demasiado una vez descomprimido; guárdelo como CSV o divídalo en partes más "
            "pequeñas."))]) from None
    except csv.Error:
        raise TableError([Problem(None, None, _l(
            "Una celda del archivo es demasiado larga o tiene comillas sin cerrar; revise el archivo y guárdelo "
            "otra vez como CSV."))]) from None
    except Exception:  # a corrupt workbook: say so, never crash
        raise TableError([Problem(None, None, _l("El archivo no se pudo leer como hoja de cálculo."))]) from None
    raise TableError([Problem(None, None, _l("Tipo de archivo no admitido «%(suffix)s»; use CSV o XLSX.",
                                             suffix=suffix))])


def read_table(data: bytes, filename: str, columns: dict[str, tuple[str, ...]],
               required: tuple[str, ...] = (), sheet: str | None = None) -> Rows:
    """Rows keyed by canonical names. ``columns`` maps each canonical name to its
    accepted header spellings (Spanish and English); headers are matched without
    accents, case or punctuation. Unknown or missing required columns are errors."""
    cells = read_cells(data, filename, sheet)
    while cells and all(c in (None, "") for c in cells[-1]):
        cells.pop()
    if not cells:
        raise TableError([Problem(None, None, _l("El archivo está vacío: la primera fila debe tener los nombres "
                                                 "de las columnas."))])
    aliases = {}
    for canonical, spellings in columns.items():
        for spelling in (canonical, *spellings):
            aliases[normalize_header(spelling)] = canonical
    header = [normalize_header(c) for c in cells[0]]
    problems = []
    positions = {}
    for index, name in enumerate(header):
        if not name:
            continue
        canonical = aliases.get(name)
        if canonical is None:
            problems.append(Problem(1, str(cells[0][index]), _l(
                "columna desconocida; se esperan algunas de estas: %(names)s",
                names=", ".join(spellings[0] if spellings else canonical for canonical, spellings in columns.items()))))
        elif canonical in positions:
            problems.append(Problem(1, str(cells[0][index]), _l("esta columna aparece dos veces")))
        else:
            positions[canonical] = index
    # A missing column is named the way the file names the others: canonical (English) or by its first alias.
    canonical_headers = sum(1 for name in header if name in columns)
    spanish = canonical_headers * 2 < sum(1 for name in header if name)
    for name in required:
        if name not in positions:
            spellings = (columns[name][0], name) if spanish and columns[name] else (name, *columns[name][:1])
            problems.append(Problem(1, spellings[0], _l("falta esta columna obligatoria (encabezado: %(names)s)",
                                                        names=" / ".join(dict.fromkeys(spellings)))))
    if problems:
        raise TableError(problems)
    rows = Rows(headers={name: str(cells[0][index]).strip() for name, index in positions.items()})
    for number, raw in enumerate(cells[1:], start=2):
        if all(c in (None, "") or (isinstance(c, str) and not c.strip()) for c in raw):
            continue
        row = {"_row": number}
        for name, index in positions.items():
            value = raw[index] if index < len(raw) else None
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    value = None
            row[name] = value
        rows.append(row)
    return rows


_DOT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def parse_decimal(value, decimal_comma: bool = False) -> Decimal | None:
    """A cell as an exact Decimal (None when empty).

    Dot decimals with optional thousands commas (``1,064,147.34``) by default; with
    ``decimal_comma`` the reverse (``1.064.147,34``). Anything else, including a
    comma that cannot be a thousands separator in dot mode, raises ValueError.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_l("se esperaba un número"))
    if isinstance(value, (int, Decimal)):
        return _bounded(Decimal(value))
    if isinstance(value, float):
        return _bounded(Decimal(repr(value)))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").lstrip("$")
    pattern = _COMMA if decimal_comma else _DOT
    if not pattern.match(text):
        if decimal_comma:
            raise ValueError(_l("«%(value)s» no es un número (use 1.234,56: coma decimal)", value=value))
        raise ValueError(_l("«%(value)s» no es un número (use 1234.56 o 1,234.56: punto decimal)", value=value))
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return _bounded(Decimal(text))
    except InvalidOperation:
        raise ValueError(_l("«%(value)s» no es un número", value=value)) from None


def detect_decimal_comma(rows, columns) -> bool | None:
    """Whether the text numbers in ``columns`` of ``rows`` use a decimal comma (``1.234,56``,
    ``12,5``): True, False for a decimal point (``1,234.56``, ``12.5``), None when no cell
    tells (no text numbers, or only ambiguous ones like ``1,234`` or ``1200``) or when the
    cells disagree (then each bad cell is reported, rather than guessing)."""
    comma = dot = 0
    for row in rows:
        for column in columns:
            value = row.get(column)
            if not isinstance(value, str):
                continue  # numbers from a workbook carry no decimal mark
            text = value.strip().replace("\u00a0", "").replace(" ", "").lstrip("$")
            as_comma, as_dot = bool(_COMMA.match(text)), bool(_DOT.match(text))
            if as_comma and not as_dot:
                comma += 1
            elif as_dot and not as_comma:
                dot += 1
            elif as_comma and as_dot and ("," in text) != ("." in text):
                mark = "," if "," in text else "."
                digits_after = len(text) - text.rfind(mark) - 1
                if digits_after != 3:  # "12,5" or "3.75": only a decimal mark reads that way
                    comma, dot = (comma + 1, dot) if mark == "," else (comma, dot + 1)
    if comma and not dot:
        return True
    if dot and not comma:
        return False
    return None


def _bounded(number: Decimal) -> Decimal:
    """A cell's number within the portal's bounds (finite, at most 12 integer digits).
    Decimals are not limited here: a spreadsheet's floats carry binary noise
    (0.30000000000000004) that the importer rounds."""
    try:
        return bounds.decimal_value(number, _("El valor"), places=60)
    except bounds.OutOfBounds as error:
        raise ValueError(str(error)) from None


def parse_date(value) -> date | None:
    """``YYYY-MM-DD`` text or an Excel date; None when empty; ValueError otherwise."""
    if value is None or value == "":
        return None
    if not isinstance(value, date):
        try:
            date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)") from None
    try:
        return bounds.date_value(value, _("La fecha"))
    except bounds.OutOfBounds as error:
        raise ValueError(str(error)) from None


def template_csv(columns: list[str], example_rows: list[list] = ()) -> bytes:
    """A downloadable template: the header and a few example rows (through the one CSV
    writer, :func:`portal.core.downloads.csv_bytes`; serve it with ``csv_file_response``)."""
    return csv_bytes(columns, example_rows)
