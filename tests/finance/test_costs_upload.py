"""The staff upload of a year's cost study: the columns of ``finance costs``, the preview
(what the year's study is now and what it becomes, every figure with its numbers), the
confirmation (a draft, or published by a publisher, in the change record), a bad file's
problems by row and column as written in Spanish and English, roles and municipalities."""
import io
import json
from decimal import Decimal as D

from sqlalchemy import func, select

from portal.audit.models import ChangeRecord
from portal.finance import costs_import, costs_services
from tests.finance.test_costs import GOOD

BASE = "/m/intipuca/finanzas"
UPLOAD = f"{BASE}/costos-servicios/importar"
SPANISH_BAD = ("código,nombre,hogares,personal,percibido,proporcion_indirectos\n"
               "12.DS,Desechos,0,100,,\n"           # 2: households
               "12.AP,Alumbrado,10,,,\n"            # 3: no direct cost
               "12.DS,Repetido,5,1,abc,\n").encode()  # 4: repeated, not a number
ENGLISH_BAD = b"code,name,households,staff,collected\n12.DS,Waste,-3,100,\n12.AP,Lighting,10,1x,\n"


def post(client, data: bytes, filename="c.csv", **fields):
    form = {"file": (io.BytesIO(data), filename), "year": "2031", "indirect": "10000", "key": "share", **fields}
    return client.post(UPLOAD, data=form, content_type="multipart/form-data")


def token_of(page: str) -> str:
    return page.split('name="token" type="hidden" value="')[1].split('"')[0]


def test_preview_shows_the_study_and_writes_nothing_then_confirm_saves_a_draft(client, db, login, muni):
    login(role="editor")
    page = client.get(UPLOAD).get_data(as_text=True)
    assert "plantillas/costos-servicios.csv" in page and 'name="indirect"' in page and 'name="key"' in page
    page = post(client, GOOD).get_data(as_text=True)
    assert "Vista previa" in page and "No hay estudio de 2031" in page
    # 12.DS: 48,000 direct + 60 % of the 10,000 pool; subsidy 54,000 - 24,000
    assert "<strong>$54,000.00</strong> = $48,000.00 + $6,000.00" in page
    assert "$30,000.00</strong> = costo $54,000.00 − percibido $24,000.00" in page
    assert costs_services.get_study(muni, 2031, published_only=False) is None  # a preview writes nothing
    response = client.post(f"{UPLOAD}/confirmar", data={"token": token_of(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/gestion/costos-servicios")
    study = costs_services.get_study(muni, 2031, published_only=False)
    assert study.status == "draft" and study.allocation_key == "share" and study.indirect_costs == D("10000")
    assert [r.code for r in study.services] == ["12.DS", "12.AP"]
    assert "Guardado el estudio de costos de 2031: 2 servicios." in client.get(
        f"{BASE}/gestion/costos-servicios").get_data(as_text=True)
    # the token is spent: confirming twice writes nothing more and says the preview expired
    again = client.post(f"{UPLOAD}/confirmar", data={"token": token_of(page)})
    assert again.headers["Location"].endswith("/costos-servicios/importar")


def test_a_second_upload_previews_against_the_current_study(client, db, login, muni):
    plan = costs_import.read(muni, GOOD, "c.csv", 2031, D("10000"), "share")
    costs_services.replace(muni, 2031, plan)
    db.session.commit()
    login(role="editor")
    page = post(client, GOOD.replace(b"30000", b"40000")).get_data(as_text=True)
    # now: 60,000 direct + 10,000 indirect; the file adds 10,000 of staff to 12.DS
    assert "Ahora (borrador)" in page
    assert "2 servicios: costo $70,000.00" in page and "2 servicios: costo $80,000.00" in page


def test_a_publisher_publishes_on_confirm_and_the_change_record_has_it(client, db, login, muni):
    before = db.session.scalar(select(func.max(ChangeRecord.id)))
    login(role="publisher")
    page = post(client, GOOD, publish="y").get_data(as_text=True)
    client.post(f"{UPLOAD}/confirmar", data={"token": token_of(page)})
    study = costs_services.get_study(muni, 2031)
    assert study is not None and study.is_published
    records = db.session.scalars(select(ChangeRecord).where(ChangeRecord.id > before)).all()
    published = [r for r in records if r.object_type == "CostStudy" and r.action == "publish_contents"]
    assert published and "12.DS" in json.loads(published[0].changes)
    assert any(r.object_type == "CostStudy" and r.action == "publish" for r in records)


def test_a_publisher_replacing_the_published_study_leaves_each_change_in_the_record(client, db, login, muni):
    before = db.session.scalar(select(func.max(ChangeRecord.id)))
    current = costs_services.get_study(muni, 2012)
    lighting = next(r for r in current.services if r.code == "12.AP")
    login(role="publisher")
    data = costs_import.template().replace(b"\xef\xbb\xbf", b"").split(b"\n")[0] + b"\n" + \
        f"12.AP,{lighting.name},{lighting.households},,1234.56,,,,,,\n".encode()
    page = post(client, data, year="2012", indirect="0", key="direct").get_data(as_text=True)
    assert "Ahora (publicado)" in page
    client.post(f"{UPLOAD}/confirmar", data={"token": token_of(page)})
    study = costs_services.get_study(muni, 2012)
    assert [(r.code, r.supplies) for r in study.services] == [("12.AP", D("1234.56"))]
    records = db.session.scalars(select(ChangeRecord).where(ChangeRecord.id > before)).all()
    kinds = {(r.object_type, r.action) for r in records}
    assert ("CostService", "delete") in kinds and any(
        r.object_type == "CostService" and "1234.56" in (r.changes or "") for r in records), kinds


def test_an_editor_may_not_publish_nor_replace_a_published_study(client, db, login, muni):
    login(role="editor")
    page = post(client, GOOD, publish="y").get_data(as_text=True)
    client.post(f"{UPLOAD}/confirmar", data={"token": token_of(page)})
    assert costs_services.get_study(muni, 2031, published_only=False).status == "draft"
    page = post(client, GOOD, year="2012").get_data(as_text=True)  # the demo's published study
    assert "El estudio de 2012 está publicado" in page and "Vista previa" not in page
    login(role="publisher")
    token = token_of(post(client, GOOD, year="2012").get_data(as_text=True))
    login(role="editor")
    assert client.post(f"{UPLOAD}/confirmar", data={"token": token}).status_code == 403
    assert costs_services.get_study(muni, 2012).services[0].code != "12.DS"


def test_a_bad_spanish_file_names_rows_and_columns_as_written_and_keeps_the_form(client, login):
    login(role="editor")
    page = post(client, SPANISH_BAD, indirect="250.50", key="households").get_data(as_text=True)
    assert "El archivo no se importó" in page and "Vista previa" not in page
    for text in ("Fila 2, columna «hogares»: escriba el número de hogares servidos",
                 "Fila 3, columna «personal»: el servicio no tiene ningún costo directo",
                 "Fila 4, columna «código»: repetido: el código 12.DS ya está en la fila 2",
                 "Fila 4, columna «percibido»"):
        assert text in page, text
    assert 'value="2031"' in page and 'value="250.50"' in page
    assert '<option selected value="households">' in page or 'value="households" selected' in page


def test_a_bad_english_file_in_english(client, login):
    login(role="editor")
    client.get("/lang/en")
    page = post(client, ENGLISH_BAD, key="direct").get_data(as_text=True)
    assert "Row 2, column “households”" in page or "Row 2, column «households»" in page, page
    assert "Row 3, column “staff”" in page or "Row 3, column «staff»" in page
    assert "número de hogares" not in page and "Fila" not in page


def test_the_form_bounds_its_fields(client, login):
    login(role="editor")
    page = post(client, GOOD, indirect="-5", year="3000").get_data(as_text=True)
    assert "no pueden ser negativos" in page and "Un año entre 1900 y 2200" in page and "Vista previa" not in page
    assert post(client, GOOD, key="everything").status_code == 200
    assert "Vista previa" not in post(client, GOOD, key="everything").get_data(as_text=True)


def test_tokens_stay_with_their_import_and_their_municipality(client, db, login, make, muni):
    login(role="editor")
    token = token_of(post(client, GOOD).get_data(as_text=True))
    response = client.post(f"{BASE}/ingresos-potenciales/importar/confirmar", data={"token": token})
    assert response.headers["Location"].endswith("/ingresos-potenciales/importar")
    other = make.municipality()
    db.session.commit()
    login(role="editor", municipality=other)
    response = client.post(f"/m/{other.slug}/finanzas/costos-servicios/importar/confirmar", data={"token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/costos-servicios/importar")
    assert client.get(UPLOAD).status_code == 403  # not staff of Intipucá
    assert client.get("/m/no-such-town/finanzas/costos-servicios/importar").status_code == 404
    assert costs_services.get_study(muni, 2031, published_only=False) is None
    assert costs_services.get_study(other, 2031, published_only=False) is None


def test_anonymous_people_are_sent_to_sign_in_and_the_template_has_the_cli_columns(client):
    assert client.get(UPLOAD).status_code in (302, 401)
    response = client.get(f"{BASE}/plantillas/costos-servicios.csv")
    assert response.status_code == 200
    header = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.split(",") == list(costs_import.COLUMNS)


def test_a_publisher_who_lost_the_role_since_the_preview_saves_a_draft(client, db, login, muni):
    """Whether a confirmation publishes is decided with the roles of the confirmation, not
    with those of the preview carried in the token."""
    from portal.accounts import services as accounts

    user = login(role="publisher")
    page = post(client, GOOD, publish="y").get_data(as_text=True)
    assert "Vista previa" in page
    accounts.grant(user, muni, "editor")  # the council took the publisher's role away meanwhile
    for membership in list(user.memberships):
        if membership.role == "publisher":
            accounts.revoke(muni, membership.id)
    db.session.commit()
    client.post(f"{UPLOAD}/confirmar", data={"token": token_of(page)})
    study = costs_services.get_study(muni, 2031, published_only=False)
    assert study is not None and not study.is_published
