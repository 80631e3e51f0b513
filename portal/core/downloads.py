"""The one writer of every CSV and XLSX file the portal serves.

Every download (open-data datasets, API lists as CSV, staff exports, survey answers, the
change record, import templates) goes through :func:`csv_response`, :func:`xlsx_response`
or :func:`csv_bytes`, so a rule written here holds for all of them:

* **No live formulas.** A text value that starts with ``= + - @``, a tab or a carriage
  return gets a leading ``'`` (:func:`neutralise`), in CSV and XLSX alike: a complaint
  written as ``=HYPERLINK(...)`` opens as text, never as a formula (OWASP "CSV
  injection"). Only text is touched: numbers (negative ones included) and dates are
  written as numbers and dates.
* **Opens right in Excel.** CSV is UTF-8 with a byte-order mark, so Excel reads the
  accents; ``?bom=0`` leaves the mark out for programs that do not expect it. Dot
  decimals, ISO dates. XLSX cells carry numbers as numbers (with a number format showing
  the value's decimals) and dates as dates (``yyyy-mm-dd``); characters XML cannot hold
  (control characters) are dropped.
* **Read whole.** A CSV streams, and the stream runs after the view's database session
  has closed (Flask pushes the request context again, with a new session). So ``rows``
  is a list that is already read, or a function called inside the stream that loads its
  rows there: it must not reach ORM instances of the view (use :func:`fresh` to load the
  municipality again). A lazy iterator is refused (:class:`TypeError`), because it is the
  shape that used to end a download early with status 200.
* One ``Content-Type`` with one charset.
"""
import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timezone
from decimal import Decimal

from flask import Response, request, stream_with_context

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024
# Characters an XML 1.0 document (so an XLSX sheet) cannot hold: C0 controls but tab and
# line breaks (openpyxl's own ILLEGAL_CHARACTERS_RE), kept here so CSV and XLSX agree.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Rows = Sequence | Callable[[], Iterable]


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula
    (it starts with ``= + - @``, a tab or a carriage return); otherwise unchanged."""
    return "'" + text if text.startswith(FORMULA_START) else text


def exact(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``Decimal("1.50E+3")`` -> ``"1500"``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return text


def csv_value(value) -> str:
    """One CSV cell: empty for None, exact decimals with a dot, ISO dates, ``True``/``False``
    for booleans, and any other value as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return exact(value)
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return neutralise(_ILLEGAL.sub("", str(value)))


def _values(row, columns: list[str]) -> list:
    return [row.get(c) for c in columns] if isinstance(row, dict) else list(row)


def _lines(columns: list[str], rows: Iterable):
    """The CSV text of the header and rows, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_value(str(c)) for c in columns])
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_value(v) for v in _values(row, columns)])
        yield buffer.getvalue()


def wants_bom() -> bool:
    """The byte-order mark, unless the request asks ``?bom=0`` (a program reading the file)."""
    return request.args.get("bom", "1").strip().lower() not in ("0", "false", "no")


def csv_bytes(columns: list[str], rows: Iterable = (), *, bom: bool = True) -> bytes:
    """A whole CSV file as bytes (import templates, files written to disk)."""
    return ((BOM if bom else "") + "".join(_lines(columns, rows))).encode("utf-8")


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _rows_of(rows: Rows) -> Iterable:
    if callable(rows):
        return rows()
    if isinstance(rows, Sequence):
        return rows
    raise TypeError("rows must be a list or a function that loads them inside the stream, "
                    f"not {type(rows).__name__}: a lazy iterator outlives the view's database session")


def csv_response(rows: Rows, columns: list[str], filename: str) -> Response:
    """Stream ``rows`` (dicts keyed by ``columns``, or sequences in their order) as CSV."""
    if not callable(rows):
        _rows_of(rows)  # refuse a lazy iterator now, not half-way through the stream
    bom = wants_bom()

    def generate():
        if bom:
            yield BOM
        yield from _lines(columns, _rows_of(rows))
    return Response(stream_with_context(generate()), content_type=CSV_TYPE, headers=_attachment(filename))


def csv_file_response(data: bytes, filename: str) -> Response:
    """A CSV made by :func:`csv_bytes` (a template); ``?bom=0`` drops its byte-order mark."""
    if not wants_bom() and data.startswith(BOM.encode()):
        data = data[len(BOM.encode()):]
    return Response(data, content_type=CSV_TYPE, headers=_attachment(filename))


def decimal_format(value: Decimal) -> str:
    """The XLSX number format that shows ``value``'s decimals: ``#,##0.00`` for 2 places."""
    places = max(-value.as_tuple().exponent, 0) if value.is_finite() else 0
    return "#,##0" + ("." + "0" * min(places, 10) if places else "")


def xlsx_cell(sheet, value):
    """One XLSX cell: numbers as numbers (decimals with a format showing their places),
    dates as dates, text as neutralised text without control characters."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = decimal_format(value)
        return cell
    if isinstance(value, datetime):
        if value.tzinfo is not None:  # Excel has no time zones: write the UTC time
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return neutralise(_ILLEGAL.sub("", str(value)))


def write_xlsx(target, rows: Iterable, columns: list[str], sheet: str = "data") -> None:
    """Write ``rows`` as a one-sheet workbook to ``target`` (a path or a binary file),
    with openpyxl's write-only mode: cells typed and neutralised by :func:`xlsx_cell`."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_ILLEGAL.sub("", sheet)[:31] or "data")
    worksheet.append([xlsx_cell(worksheet, str(c)) for c in columns])
    for row in rows:
        worksheet.append([xlsx_cell(worksheet, v) for v in _values(row, columns)])
    workbook.save(target)


def xlsx_response(rows: Iterable, columns: list[str], filename: str, sheet: str = "data") -> Response:
    """``rows`` as a one-sheet workbook, written now (inside the view's session) with
    openpyxl's write-only mode into a temporary file that is then sent in chunks, so the
    table is never held in memory."""
    spool = tempfile.TemporaryFile()
    write_xlsx(spool, rows, columns, sheet)
    size = spool.tell()
    spool.seek(0)

    def chunks():
        with spool:
            while block := spool.read(CHUNK):
                yield block
    response = Response(chunks(), content_type=XLSX_TYPE,
                        headers={"Content-Length": str(size), **_attachment(filename)})
    response.call_on_close(spool.close)  # also when the body is never read (HEAD, a dropped client)
    return response


def fresh(instance):
    """``instance`` loaded again in the current session (inside a stream, where the view's
    session is closed and its instances detached); None if it is gone."""
    from sqlalchemy import inspect

    from portal.extensions import db

    return db.session.get(type(instance), inspect(instance).identity)
