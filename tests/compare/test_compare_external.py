"""Importing national indices: the CLI and the platform admin's page, whole-file
validation naming rows and columns, XLSX, replacement, and disagreements."""
import io
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.compare import external
from portal.compare.models import ExternalValue
from portal.core.tabular import TableError

GOOD = """codigo_municipio,indicador,periodo,valor,banda,escala_min,escala_max,compara_con
EJ03,Ranking de la Gestión Municipal,2024,0.20,Baja,0,1,diagnostic.global
EJ05,Ranking de la Gestión Municipal,2024,"0.71",Media alta,0,1,
"""


def _count(db):
    return db.session.execute(select(func.count(ExternalValue.id))).scalar_one()


def test_cli_imports_and_flags_a_large_disagreement(runner, db, tmp_path):
    before = _count(db)
    path = tmp_path / "rgm.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["compare", "import-external", str(path), "--source", "RGM (ejemplo)",
                                 "--date", "2025-02-01", "--country", "SV"])
    assert result.exit_code == 0, result.output
    assert "2 values imported" in result.output
    assert _count(db) == before + 2
    row = db.session.execute(select(ExternalValue).where(ExternalValue.source == "RGM (ejemplo)",
                                                         ExternalValue.period == "2024")
                             .order_by(ExternalValue.value)).scalars().first()
    assert row.value == D("0.20") and row.band == "Baja" and str(row.published_on) == "2025-02-01"
    flagged = {(d.external.source, d.external.municipality.slug): d for d in external.disagreements()}
    # San Juan's own diagnostic (58/100 = 0.58) against the index's 0.20: a gap of 0.38
    san_juan = flagged[("RGM (ejemplo)", "ejemplo-sv-sanjuan")]
    assert san_juan.gap == D("0.20") - D("0.58")
    # importing again replaces rather than duplicates
    assert runner.invoke(args=["compare", "import-external", str(path), "--source", "RGM (ejemplo)"]).exit_code == 0
    assert _count(db) == before + 2


def test_bad_file_names_every_row_and_column_and_writes_nothing(runner, db, tmp_path):
    before = _count(db)
    path = tmp_path / "bad.csv"
    path.write_text("codigo_municipio,indicador,periodo,valor,fecha,compara_con\n"
                    "EJ03,Índice,2024,abc,2024-13-01,\n"
                    "NOPE,Índice,2024,1,,\n"
                    "EJ04,Índice,2024,0.5,,no.such\n"
                    "EJ05,,2024,0.5,,diagnostic.global\n", encoding="utf-8")
    result = runner.invoke(args=["compare", "import-external", str(path), "--source", "X"])
    assert result.exit_code == 1
    output = result.output
    assert "fila 2, columna «valor»" in output and "fila 2, columna «fecha»" in output
    assert "fila 3, columna «codigo_municipio»: ningún municipio tiene el código «NOPE»" in output
    assert "fila 4, columna «compara_con»" in output
    assert "fila 5, columna «indicador»" in output and "fila 5, columna «escala_min»" in output
    assert _count(db) == before


def test_missing_columns_and_source_and_duplicates(db):
    with pytest.raises(TableError) as error:
        external.read(b"codigo_municipio,indicador\nEJ01,x\n", "a.csv")
    assert {p.column for p in error.value.problems} == {"periodo", "valor"}
    with pytest.raises(TableError) as error:
        external.read(b"codigo_municipio,indicador,periodo,valor\nEJ01,x,2024,1\nEJ01,x,2024,2\n", "a.csv")
    messages = [str(p) for p in error.value.problems]
    assert any("fila 2, columna «fuente»" in m for m in messages)
    assert any("fila 3, columna «periodo»: repite la fila 2" in m for m in messages)


@pytest.mark.parametrize("link, refused", [("javascript:alert(1)", True), ("data:text/html,x", True),
                                           ("//evil.example/x", True), ("https://www.iegm.example/2024", False),
                                           ("HTTP://iegm.example", False)])
def test_a_source_link_must_be_a_web_address(db, link, refused):
    data = f"codigo_municipio,indicador,periodo,valor,fuente,url\nEJ01,x,2024,1,IEGM,{link}\n".encode()
    if refused:
        with pytest.raises(TableError) as error:
            external.read(data, "a.csv")
        assert [(p.row, p.column) for p in error.value.problems] == [(2, "url")]
    else:
        external.read(data, "a.csv")


def test_xlsx_with_english_headers_and_decimal_comma(db):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["municipality_code", "indicator", "period", "value", "source", "date", "band"])
    sheet.append(["1411", "IEGM (ejemplo)", 2024, "0,61", "IEGM", "2025-01-15", "C+"])
    buffer = io.BytesIO()
    book.save(buffer)
    count = external.import_file(buffer.getvalue(), "iegm.xlsx", decimal_comma=True)
    assert count == 1
    row = db.session.execute(select(ExternalValue).where(ExternalValue.source == "IEGM")).scalar_one()
    assert row.value == D("0.61") and row.period == "2024" and row.band == "C+"


def test_web_import_is_for_platform_admins_and_runs_as_a_job(client, login, db, job_queue):
    from portal.core import jobs

    form = {"file": (io.BytesIO(GOOD.encode()), "rgm.csv"), "source": "RGM web", "country": "SV"}
    login(role="admin")
    assert client.post("/comparar/importar", data=form, content_type="multipart/form-data").status_code == 403
    client.get("/cuenta/salir")
    login(platform_admin=True)
    page = client.get("/comparar/importar")
    assert page.status_code == 200 and "codigo_municipio" in page.get_data(as_text=True)
    bad = client.post("/comparar/importar", data={"file": (io.BytesIO(b"codigo_municipio,indicador,periodo,valor\n"
                                                                       b"ZZ9,x,2024,1\n"), "x.csv"),
                                                  "source": "Web"}, content_type="multipart/form-data")
    assert bad.status_code == 302 and "/admin/importaciones/" in bad.headers["Location"]
    jobs.run_queued()
    text = client.get(bad.headers["Location"]).get_data(as_text=True)
    assert "<td>2</td><td>codigo_municipio</td>" in text and "ZZ9" in text and "No se guardó nada" in text
    form = {"file": (io.BytesIO(GOOD.encode()), "rgm.csv"), "source": "RGM web", "country": "SV",
            "published_on": "2024-05-01"}
    done = client.post("/comparar/importar", data=form, content_type="multipart/form-data")
    assert done.status_code == 302
    assert db.session.execute(select(ExternalValue).where(ExternalValue.source == "RGM web")).first() is None
    jobs.run_queued()
    progress = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "valores importados" in progress and 'href="/comparar/desacuerdos"' in progress
    stored = db.session.execute(select(ExternalValue).where(ExternalValue.source == "RGM web")).scalars().all()
    assert stored and {row.published_on.isoformat() for row in stored} == {"2024-05-01"}  # the options reach the job
    page = client.get("/comparar/desacuerdos").get_data(as_text=True)
    assert "San Juan del Río (ejemplo)" in page and "RGM web" in page
    municipal = client.get("/m/ejemplo-sv-sanjuan/comparar/").get_data(as_text=True)
    assert "Ranking de la Gestión Municipal" in municipal and "Gran desacuerdo" in municipal
