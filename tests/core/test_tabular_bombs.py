"""A spreadsheet reads in bounded memory and time whatever it declares about itself:
a tiny XLSX that claims 16,384 columns, or unpacks to hundreds of megabytes, is read
within its real content or refused with a clear message; a CSV cell too long is named."""
import csv
import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from portal.core import tabular
from portal.core.tabular import TableError, read_cells


def _workbook_with_rows(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(data: bytes, change) -> bytes:
    """The same workbook with its parts passed through ``change(name, bytes)``."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return out.getvalue()


def test_a_sheet_declaring_the_widest_dimension_is_read_as_what_it_holds(app):
    data = _workbook_with_rows([["codigo", "nombre"], ["01", "Uno"]] + [[None]] * 1998 + [["99", "Fin"]])
    bomb = _rewrite(data, lambda name, body: body.replace(b'<dimension ref="A1:B2001"/>',
                                                          b'<dimension ref="A1:XFD2001"/>')
                    if name.endswith("sheet1.xml") else body)
    assert b"XFD2001" in zipfile.ZipFile(io.BytesIO(bomb)).read("xl/worksheets/sheet1.xml")
    tracemalloc.start()
    started = time.perf_counter()
    with app.app_context():
        cells = read_cells(bomb, "bomba.xlsx")
    took, (_, peak) = time.perf_counter() - started, tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert cells[0] == ["codigo", "nombre"] and cells[-1] == ["99", "Fin"]
    assert max(len(row) for row in cells) == 2
    assert peak < 40 * 2**20, peak  # before: every row padded to 16,384 cells, 288 MB


def test_cells_beyond_the_column_limit_are_not_read(app):
    wide = [[f"c{i}" for i in range(tabular.MAX_COLUMNS + 50)]]
    with app.app_context():
        assert len(read_cells(_workbook_with_rows(wide), "ancho.xlsx")[0]) == tabular.MAX_COLUMNS


@pytest.mark.parametrize("part, size", [("xl/worksheets/sheet1.xml", tabular.MAX_XLSX_UNPACKED + 1),
                                        ("xl/sharedStrings.xml", tabular.MAX_SHARED_STRINGS + 1)])
def test_a_workbook_that_unpacks_too_big_is_refused_before_it_is_read(app, part, size):
    data = _workbook_with_rows([["codigo"], ["01"]])
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item.filename, body + b" " * size if item.filename == part else body)
        if part not in source.namelist():
            target.writestr(part, b" " * size)
    bomb = out.getvalue()
    assert len(bomb) < 2 * 2**20  # a small upload
    with app.app_context(), pytest.raises(TableError) as refused:
        read_cells(bomb, "bomba.xlsx")
    assert "descomprimido" in str(refused.value.problems[0].message)


def test_a_csv_cell_too_long_is_named(app):
    data = ("codigo,nombre\n01," + "x" * 200_000 + "\n").encode()
    with app.app_context(), pytest.raises(TableError) as refused:
        read_cells(data, "largo.csv")
    assert "demasiado larga" in str(refused.value.problems[0].message)


def test_a_long_cell_is_refused_even_after_a_library_raised_the_csv_limit(app):
    """The csv module's cell limit is process-wide; a library (frictionless) raises it when
    imported, and the reader must still refuse a 200,000-character cell."""
    before = csv.field_size_limit(10**9)
    try:
        data = ("codigo,nombre\n01," + "x" * 200_000 + "\n").encode()
        with app.app_context(), pytest.raises(TableError) as refused:
            read_cells(data, "largo.csv")
        assert "demasiado larga" in str(refused.value.problems[0].message)
    finally:
        csv.field_size_limit(before)
