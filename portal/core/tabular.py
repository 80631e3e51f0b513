"""Reading the spreadsheets councils live in: CSV or XLSX, Spanish or English headers.

:func:`read_table` returns rows as dicts keyed by canonical column names, each with
``_row`` (the row number a person sees in Excel: the header is row 1). Every
problem is collected as a :class:`Problem` naming the row and column and saying how
to fix it; callers validate all rows, then raise :class:`TableError` with every
problem at once so nothing is written from a bad file.

Input is bounded here for every importer: at most ``IMPORT_MAX_ROWS`` rows (the
setting, 50,000 by default; an XLSX is read as a stream and abandoned at the limit),
text without control characters, numbers and dates within :mod:`portal.core.bounds`.
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
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.message


class TableError(ValueError):
    """A file that cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:20]))


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


def _cells_from_csv(data: bytes, limit: int):
    text = data.decode("utf-8-sig")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t") else \
        ("\t" if sample.count("\t") > sample.count(",") else ",")
    return _capped(csv.reader(io.StringIO(text), delimiter=delimiter), limit)


def _cells_from_xlsx(data: bytes, sheet: str | None, limit: int):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)  # streamed, row by row
    try:
        worksheet = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
        return _capped(worksheet.iter_rows(values_only=True), limit)
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
        raise TableError([Problem(None, None, "The file is not UTF-8 text; save it as 'CSV UTF-8' or as XLSX.")]) from None
    except Exception as error:  # a corrupt workbook: say so, never crash
        raise TableError([Problem(None, None, f"The file could not be read as a spreadsheet ({type(error).__name__}).")]) from None
    raise TableError([Problem(None, None, f"Unsupported file type '{suffix}'; use CSV or XLSX.")])


def read_table(data: bytes, filename: str, columns: dict[str, tuple[str, ...]],
               required: tuple[str, ...] = (), sheet: str | None = None) -> list[dict]:
    """Rows keyed by canonical names. ``columns`` maps each canonical name to its
    accepted header spellings (Spanish and English); headers are matched without
    accents, case or punctuation. Unknown or missing required columns are errors."""
    cells = read_cells(data, filename, sheet)
    while cells and all(c in (None, "") for c in cells[-1]):
        cells.pop()
    if not cells:
        raise TableError([Problem(None, None, "The file is empty: the first row must hold the column names.")])
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
            problems.append(Problem(1, str(cells[0][index]),
                                    f"unknown column; expected some of: {', '.join(columns)}"))
        elif canonical in positions:
            problems.append(Problem(1, str(cells[0][index]), "this column appears twice"))
        else:
            positions[canonical] = index
    for name in required:
        if name not in positions:
            spelled = " / ".join((name, *columns[name]))
            problems.append(Problem(1, name, f"required column is missing (header: {spelled})"))
    if problems:
        raise TableError(problems)
    rows = []
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
        raise ValueError("expected a number")
    if isinstance(value, (int, Decimal)):
        return _bounded(Decimal(value))
    if isinstance(value, float):
        return _bounded(Decimal(repr(value)))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").lstrip("$")
    pattern = _COMMA if decimal_comma else _DOT
    if not pattern.match(text):
        hint = "use 1.234,56" if decimal_comma else "use 1234.56 or 1,234.56 (a dot for decimals)"
        raise ValueError(f"'{value}' is not a number ({hint})")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return _bounded(Decimal(text))
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a number") from None


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
