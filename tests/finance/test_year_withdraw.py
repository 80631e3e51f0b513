"""Publishing a budget year asks for confirmation; a published year can be withdrawn
(back to draft) with its reason kept in the change record."""
from decimal import Decimal as D

from sqlalchemy import select

from portal.finance import services

BASE = "/m/intipuca/finanzas"


def _draft(db, muni, year=2042):
    row = services.ensure_year(muni, year)
    services.set_line(muni, row, "11", "Impuestos", {"accrued": D(5)})
    db.session.commit()
    return row


def test_publishing_a_year_asks_first(client, db, login, muni):
    _draft(db, muni)
    login(role="publisher")
    manage = client.get(f"{BASE}/gestion").get_data(as_text=True)
    assert f'<a href="{BASE}/gestion/anos/2042/publicar">Publicar 2042</a>' in manage  # a link, not a button
    confirm = client.get(f"{BASE}/gestion/anos/2042/publicar").get_data(as_text=True)
    assert "¿Publicar el presupuesto 2042?" in confirm and "Se publicará 1 línea" in confirm
    assert "Sí, publicar 2042" in confirm and "podrá retirarlo después" in confirm
    assert services.get_year(muni, 2042) is None  # looking at the question publishes nothing
    assert client.post(f"{BASE}/gestion/anos/2042/publicar").status_code == 302
    assert services.get_year(muni, 2042) is not None


def test_a_published_year_is_withdrawn_with_its_reason_recorded(client, db, login, muni):
    from portal.audit.models import ChangeRecord

    row = _draft(db, muni)
    services.publish_year(muni, row)
    db.session.commit()
    login(role="publisher")
    manage = client.get(f"{BASE}/gestion").get_data(as_text=True)
    assert f'<a href="{BASE}/gestion/anos/2042/retirar">Retirar 2042</a>' in manage
    empty = client.post(f"{BASE}/gestion/anos/2042/retirar", data={"reason": ""})
    assert empty.status_code == 422 and "Escriba el motivo." in empty.get_data(as_text=True)
    assert services.get_year(muni, 2042) is not None  # still published
    done = client.post(f"{BASE}/gestion/anos/2042/retirar", data={"reason": "Cifras de otro municipio"})
    assert done.status_code == 302
    assert services.get_year(muni, 2042) is None and services.get_year(muni, 2042, published_only=False)
    record = db.session.scalars(select(ChangeRecord).where(
        ChangeRecord.municipality_id == muni.id, ChangeRecord.object_type == "BudgetYear",
        ChangeRecord.object_id == str(row.id)).order_by(ChangeRecord.seq.desc())).first()
    assert record.note == "Cifras de otro municipio" and "draft" in str(record.changes)
    assert client.get(f"{BASE}/presupuesto/2042").status_code == 404


def test_only_publishers_withdraw(client, db, login, muni):
    login(role="editor")
    assert client.get(f"{BASE}/gestion/anos/2013/retirar").status_code == 403
    assert client.post(f"{BASE}/gestion/anos/2013/retirar", data={"reason": "porque sí"}).status_code == 403
    assert services.get_year(muni, 2013) is not None
