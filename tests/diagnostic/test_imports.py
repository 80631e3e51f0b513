"""Importing catalogs and scores: good files work, a bad file is refused whole."""
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.core.tabular import TableError
from portal.diagnostic import imports, services
from portal.diagnostic.models import Assessment, Catalog, Indicator, Score

GOOD_CATALOG = """área,subárea,código,nombre,descripción,peso,peso_subarea,peso_area,dimensiones
Gestión Financiera,Organización,t01,Estructura,Mide la estructura,1,2,1,Eficiencia:1;Transparencia:2
Gestión Financiera,Organización,t02,Manual,,1,2,1,Eficiencia
Gestión Financiera,Contabilidad,t03,Registro,,2,1,1,Sostenibilidad:1
Atención al Ciudadano,Ventanilla,t04,Ventanilla única,,1,1,3,Efectividad
""".encode()

BAD_CATALOG = """area,subarea,code,name,description,weight,subarea_weight,area_weight,dimensions
Gestión Financiera,Organización,b01,Estructura,,uno,1,1,Eficiencia:1
Gestión Financiera,Organización,b01,Repetido,,1,1,1,Eficiencia:x
Atención,Organización,b03,,,-1,1,1,
""".encode()


def _count(model):
    from portal.extensions import db

    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_import_catalog_spanish_headers(db, muni):
    catalog = imports.import_catalog(GOOD_CATALOG, "catalogo.csv", "Prueba", municipality=muni)
    assert catalog.version == 1 and [a.name for a in catalog.areas] == ["Gestión Financiera", "Atención al Ciudadano"]
    assert catalog.areas[1].weight == 3 and catalog.areas[0].subareas[0].weight == 2
    t01 = next(i for i in services.indicator_list(catalog) if i.code == "t01")
    assert {(t.dimension.name, t.weight) for t in t01.tags} == {("Eficiencia", 1), ("Transparencia", 2)}
    assert services.adopted_catalog(muni).id == catalog.id
    again = imports.import_catalog(GOOD_CATALOG, "catalogo.csv", "Prueba", municipality=muni)
    assert again.version == 2  # a new version, the old one kept for the assessments made with it


def test_bad_catalog_names_every_problem_and_writes_nothing(db):
    before = (_count(Catalog), _count(Indicator))
    with pytest.raises(TableError) as caught:
        imports.import_catalog(BAD_CATALOG, "bad.csv", "Mala")
    problems = {(p.row, p.column) for p in caught.value.problems}
    assert {(2, "weight"), (3, "code"), (3, "dimensions"), (4, "name"), (4, "weight"), (4, "subarea")} <= problems
    assert (_count(Catalog), _count(Indicator)) == before


def test_import_scores_states_and_bad_file(db, muni):
    catalog = imports.import_catalog(GOOD_CATALOG, "c.csv", "Prueba", municipality=muni)
    data = b"code,score,note,evidence_url\nt01,80,ok,https://x.org/a.pdf\nt02,N/A,,\nt03,,sin dato,\n"
    assessment = imports.import_scores(muni, date(2020, 5, 1), data, "s.csv", catalog=catalog)
    result = services.staff_result(muni, assessment)
    assert result.scores["t01"].value == 80 and result.scores["t02"].state == "na"
    assert result.scores["t03"].state == "nr" and result.scores["t04"].state == "nr"
    assert result.score("subareas", "organizacion") == 80  # no aplica is not zero
    assert not assessment.is_published

    before = _count(Score), _count(Assessment)
    bad = b"codigo,puntaje,nota,evidencia\nt01,120,,\nzz,10,,\nt02,abc,,ftp://x\nt01,5,,\n"
    with pytest.raises(TableError) as caught:
        imports.import_scores(muni, date(2021, 1, 1), bad, "bad.csv", catalog=catalog)
    problems = {(p.row, p.column) for p in caught.value.problems}
    # Columns are named as the file wrote them (Spanish headers here).
    assert {(2, "puntaje"), (3, "codigo"), (4, "puntaje"), (4, "evidencia"), (5, "codigo")} <= problems
    assert (_count(Score), _count(Assessment)) == before


def test_import_scores_publish_and_published_history_is_fixed(db, muni):
    catalog = imports.import_catalog(GOOD_CATALOG, "c.csv", "Prueba", municipality=muni)
    data = b"code,score\nt01,50\n"
    assessment = imports.import_scores(muni, date(2020, 6, 1), data, "s.csv", catalog=catalog, publish=True)
    assert assessment.is_published and not assessment.is_verified
    with pytest.raises(TableError):
        imports.import_scores(muni, date(2020, 6, 1), data, "s.csv", catalog=catalog)


def test_xlsx_import(db, muni):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["area", "subarea", "code", "name", "weight", "dimensions"])
    sheet.append(["Compras", "Planificación", "x1", "Plan de compras", 1, "Visión Estratégica:1"])
    buffer = io.BytesIO()
    book.save(buffer)
    catalog = imports.import_catalog(buffer.getvalue(), "c.xlsx", "Excel")
    assert services.indicator_list(catalog)[0].code == "x1"


def test_cli_import_catalog_and_scores(runner, db, tmp_path):
    path = tmp_path / "cat.csv"
    path.write_bytes(GOOD_CATALOG)
    result = runner.invoke(args=["diagnostic", "import-catalog", str(path), "--name", "CLI"])
    assert result.exit_code == 0, result.output
    assert "version 1" in result.output
    scores = tmp_path / "scores.csv"
    scores.write_bytes(b"code,score,note,evidence_url\nt01,70,,\n")
    result = runner.invoke(args=["diagnostic", "import-scores", "intipuca", "2022-02-02", str(scores),
                                 "--catalog", "CLI", "--publish"])
    assert result.exit_code == 0, result.output
    assert "published" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"code,score\nnope,500\n")
    result = runner.invoke(args=["diagnostic", "import-scores", "intipuca", "2022-03-03", str(bad), "--catalog", "CLI"])
    assert result.exit_code != 0 and "fila 2, columna «code»" in result.output and "nothing was imported" in result.output
