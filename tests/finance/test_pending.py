"""Published figures change only when a publisher publishes: an editor's import into a
published year or scenario waits as a staged change; drafts and new years import at once."""
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.audit.models import ChangeRecord
from portal.finance import services
from portal.finance.models import StagedImport

BASE = "/m/intipuca/finanzas"
API = "/api/v1/municipalities/intipuca/finance/budget?year=2013"


def _import(client, data: bytes, kind="lines", **extra):
    page = client.post(f"{BASE}/importar", data={"file": (io.BytesIO(data), "l.csv"), "kind": kind, **extra},
                       content_type="multipart/form-data").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    return client.post(f"{BASE}/importar/confirmar", data={"token": token}, follow_redirects=True)


def _line(client, code):
    return next(line for line in client.get(API).json["lines"] if line["code"] == code)


def _change_count(db, muni):
    return db.session.scalar(select(func.count(ChangeRecord.id)).where(ChangeRecord.municipality_id == muni.id))


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_an_import_into_a_published_year_waits_for_a_publisher(client, db, login, muni, role):
    assert services.get_year(muni, 2013) is not None  # the demo publishes 2013
    before, changes = _line(client, "11")["accrued"], _change_count(db, muni)
    login(role=role)
    page = _import(client, b"year,code,name,accrued\n2013,11,Impuestos,1.00\n").get_data(as_text=True)
    assert "Esperan a que alguien con permiso de publicación las publique" in page
    assert _line(client, "11")["accrued"] == before  # the public figure did not move
    assert _change_count(db, muni) == changes
    staged = db.session.scalars(select(StagedImport).where(StagedImport.municipality_id == muni.id)).one()
    assert staged.target == "2013" and staged.rows == 1
    manage = client.get(f"{BASE}/gestion").get_data(as_text=True)
    assert "Cambios a cifras publicadas que esperan publicación" in manage
    assert ("Publicar cambios" in manage) == (role == "publisher")
    if role == "editor":
        assert client.post(f"{BASE}/gestion/pendientes/{staged.id}/publicar").status_code == 403
        login(role="publisher")
    assert client.post(f"{BASE}/gestion/pendientes/{staged.id}/publicar").status_code == 302
    assert Decimal(_line(client, "11")["accrued"]) == Decimal("1")
    assert _change_count(db, muni) > changes  # the publication is in the change record
    assert db.session.scalar(select(func.count(StagedImport.id))) == 0


def test_a_discarded_change_leaves_the_figures(client, db, login, muni):
    before = _line(client, "11")["accrued"]
    login(role="editor")
    _import(client, b"year,code,name,accrued\n2013,11,Impuestos,2.00\n")
    staged = db.session.scalars(select(StagedImport)).one()
    assert client.post(f"{BASE}/gestion/pendientes/{staged.id}/descartar").status_code == 302
    assert db.session.scalar(select(func.count(StagedImport.id))) == 0
    assert _line(client, "11")["accrued"] == before


def test_a_publisher_who_publishes_at_import_applies_at_once(client, db, login, muni):
    login(role="publisher")
    _import(client, b"year,code,name,accrued\n2013,11,Impuestos,3.00\n", publish="y")
    assert Decimal(_line(client, "11")["accrued"]) == Decimal("3")
    assert db.session.scalar(select(func.count(StagedImport.id))) == 0


def test_drafts_and_new_years_import_at_once(client, db, login, muni):
    login(role="editor")
    _import(client, b"year,code,name,accrued\n2044,11,Impuestos,4.00\n")
    row = services.get_year(muni, 2044, published_only=False)
    assert row is not None and not row.is_published and row.lines[0].accrued == Decimal("4")
    assert db.session.scalar(select(func.count(StagedImport.id))) == 0


def test_a_published_scenario_waits_too(client, db, login, muni):
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    assert scenario is not None and scenario.is_published
    login(role="editor")
    _import(client, b"year,code,name,amount\n2015,11,Impuestos,5.00\n", kind="scenario", scenario="PRFM 2014-2018")
    staged = db.session.scalars(select(StagedImport)).one()
    assert staged.target == "PRFM 2014-2018"


def test_the_command_line_stages_too_unless_it_publishes(runner, db, muni, tmp_path, client):
    path = tmp_path / "lines.csv"
    path.write_bytes(b"year,code,name,accrued\n2013,11,Impuestos,6.00\n")
    before = _line(client, "11")["accrued"]
    result = runner.invoke(args=["finance", "import", "intipuca", str(path), "--yes"])
    assert result.exit_code == 0 and "staged for a publisher" in result.output
    assert _line(client, "11")["accrued"] == before
    staged = db.session.scalars(select(StagedImport)).one()
    assert staged.target == "2013" and staged.filename == "lines.csv"
    result = runner.invoke(args=["finance", "import", "intipuca", str(path), "--yes", "--publish"])
    assert result.exit_code == 0 and "published" in result.output
    assert Decimal(_line(client, "11")["accrued"]) == Decimal("6")


def test_an_editor_cannot_change_the_rules_of_a_published_scenario(client, db, login, muni):
    scenario = services.get_scenario(muni, name="PRFM 2014-2018")
    rules_before = len(scenario.rules)
    login(role="editor")
    page = client.post(f"{BASE}/gestion/escenarios/{scenario.id}/reglas",
                       data={"code": "14", "method": "percentage", "rate": "0.10", "from_year": "2014",
                             "to_year": "2015"}).get_data(as_text=True)
    assert "Este escenario está publicado" in page
    assert client.post(f"{BASE}/gestion/escenarios/{scenario.id}/reglas/{scenario.rules[0].id}/borrar").status_code \
        == 403
    db.session.expire_all()
    assert len(services.get_scenario(muni, name="PRFM 2014-2018").rules) == rules_before
