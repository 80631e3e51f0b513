"""Roadmap pages, API and access."""
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.roadmap.models import Activity, Horizon, Plan

BASE = "/m/intipuca/hoja-de-ruta"


def test_plans_list_and_home_section(client, prfm, world_bank):
    page = client.get(f"{BASE}/").get_data().decode("utf-8-sig")
    assert prfm.title in page and world_bank.title in page
    home = client.get("/m/intipuca/").get_data().decode("utf-8-sig")
    assert "Hoja de ruta" in home


def test_plan_page_shows_totals_list_gantt_and_goals(client, prfm):
    response = client.get(f"{BASE}/{prfm.id}")
    page = response.get_data().decode("utf-8-sig")
    assert response.status_code == 200
    assert "$44,696.42" in page and "$79,696.42" in page
    assert "Levantamiento de Catastro Tributario Municipal" in page
    assert '<svg class="gantt"' in page and "g-delayed" in page and "g-m-milestone" in page
    assert "Autonomía financiera" in page and "Sin datos" in page
    assert "Revisión del tercer trimestre de 2014" in page
    # the list comes before the Gantt (list first on phones, without JavaScript)
    assert page.index('id="actividades"') < page.index('id="gantt"')


@pytest.mark.parametrize("query, shown, hidden", [
    ("estado=delayed", "Mecanización del Área Tributaria", "Creación de Comisión Financiera"),
    ("fuente=Cooperantes", "Campaña de cultura tributaria", "Levantamiento de Catastro"),
    ("responsable=UATM", "Depuración de la mora", "Levantamiento de Catastro"),
    ("area=Financiera", "Creación de Comisión Financiera", "Levantamiento de Catastro"),
    ("plazo=late", "Depuración de la mora", "Creación de Comisión Financiera"),
])
def test_plan_filters(client, prfm, query, shown, hidden):
    page = client.get(f"{BASE}/{prfm.id}?{query}").get_data().decode("utf-8-sig")
    list_part = page[page.index('id="actividades"'):page.index('id="gantt"')]
    assert shown in list_part and hidden not in list_part


def test_horizon_filter(client, db, prfm):
    medium = next(h for h in prfm.horizons if h.name == "Mediano plazo")
    page = client.get(f"{BASE}/{prfm.id}?horizonte={medium.id}").get_data().decode("utf-8-sig")
    list_part = page[page.index('id="actividades"'):page.index('id="gantt"')]
    assert "Plan Estratégico Participativo" in list_part and "Catastro Tributario" not in list_part


def test_activity_page_with_history_and_evidence(client, prfm, activity_no):
    activity = activity_no("1")
    page = client.get(f"{BASE}/{prfm.id}/actividades/{activity.id}").get_data(as_text=True)
    assert "acuerdo-creacion-uatm.pdf" in page and "Historial" in page
    assert "estado: Sin iniciar → " in page and "not_started" not in page  # the state by its name
    assert client.get(f"{BASE}/{prfm.id + 999}/actividades/{activity.id}").status_code == 404


def test_matrix_page(client, prfm):
    page = client.get(f"{BASE}/{prfm.id}/matriz").get_data().decode("utf-8-sig")
    assert "Matriz de seguimiento y evaluación del Plan de Acción" in page
    assert "Período programado" in page and "2014-02 – 2014-03" in page


def test_template_download(client):
    response = client.get(f"{BASE}/plantilla.csv")
    assert response.status_code == 200 and response.data.decode("utf-8-sig").startswith("number,horizon,area,action,activity")


def test_api_lists_and_returns_plan(client, prfm):
    listing = client.get("/api/v1/municipalities/intipuca/roadmap").get_json()
    assert prfm.id in [p["id"] for p in listing["items"]]
    data = client.get(f"/api/v1/municipalities/intipuca/roadmap/{prfm.id}").get_json()
    assert data["totals"]["by_horizon"][0] == {"horizon": "Corto plazo", "amount": "44696.42"}
    cross = {row["horizon"]: {s["funding_source"]: s["amount"] for s in row["sources"]}
             for row in data["totals"]["by_horizon_and_source"]}
    assert cross["Corto plazo"]["PFGL"] == "35596.42"
    assert Decimal(cross["Corto plazo"]["FODES"]) + Decimal(cross["Corto plazo"]["Cooperantes"]) == Decimal("9100")
    assert len(data["activities"]) == 19 and len(data["milestones"]) == 5
    eight = next(a for a in data["activities"] if a["number"] == "8")
    assert eight["progress"] == "60" and eight["status"] == "delayed" and eight["cost"] == "5300"
    assert data["goals"][0]["target"] == "0.25" and data["goals"][0]["source"] == "finance.autonomia_financiera"


def test_drafts_are_hidden_from_the_public(client, draft):
    assert client.get(f"{BASE}/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/municipalities/intipuca/roadmap/{draft.id}").status_code == 404
    assert "Plan en borrador" not in client.get(f"{BASE}/").get_data().decode("utf-8-sig")


def test_drafts_are_shown_to_staff(client, draft, login):
    login(role="editor")
    assert client.get(f"{BASE}/{draft.id}").status_code == 200
    assert "Plan en borrador" in client.get(f"{BASE}/").get_data().decode("utf-8-sig")


def test_other_municipality_objects_answer_404(client, db, make, prfm, activity_no):
    other = make.municipality("otro-muni")
    db.session.flush()
    assert client.get(f"/m/otro-muni/hoja-de-ruta/{prfm.id}").status_code == 404
    assert client.get(f"/m/otro-muni/hoja-de-ruta/{prfm.id}/actividades/{activity_no('1').id}").status_code == 404
    assert client.get(f"/api/v1/municipalities/otro-muni/roadmap/{prfm.id}").status_code == 404
    assert other.id != prfm.municipality_id


@pytest.mark.parametrize("role, expected", [(None, 302), ("resident", 403), ("moderator", 403),
                                            ("editor", 200), ("publisher", 200)])
def test_follow_up_form_access(client, login, prfm, activity_no, role, expected):
    if role:
        login(role=role)
    url = f"{BASE}/{prfm.id}/actividades/{activity_no('13').id}/seguimiento"
    assert client.get(url).status_code == expected
    assert client.get(f"{BASE}/importar").status_code == expected


def test_staff_of_another_municipality_cannot_update(client, login, make, prfm, activity_no):
    login(role="admin", municipality=make.municipality())
    assert client.get(f"{BASE}/{prfm.id}/actividades/{activity_no('13').id}/seguimiento").status_code == 403


def test_follow_up_in_a_few_taps(client, db, login, prfm, activity_no):
    login(role="editor")
    activity = activity_no("13")
    url = f"{BASE}/{prfm.id}/actividades/{activity.id}/seguimiento"
    response = client.post(url, data={"state": "done", "verification_url": "https://example.org/plan.pdf",
                                      "document": (io.BytesIO(b"%PDF-1.4 x"), "acta.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert activity.done and activity.verification_file.endswith(".pdf")
    page = client.get(response.headers["Location"]).get_data().decode("utf-8-sig")
    assert "Seguimiento guardado." in page and "Documento" in page


def test_follow_up_keeps_input_on_error(client, login, prfm, activity_no):
    login(role="editor")
    url = f"{BASE}/{prfm.id}/actividades/{activity_no('13').id}/seguimiento"
    page = client.post(url, data={"state": "in_progress", "progress": "150", "observations": "texto escrito"}
                       ).get_data().decode("utf-8-sig")
    assert "texto escrito" in page and 'class="error-summary"' in page
    assert activity_no("13").progress == Decimal(40)


def test_import_page_shows_every_problem(client, db, login):
    login(role="editor")
    data = "number,activity,start\n1,A,mayo\n,B,2025-01\n".encode()
    page = client.post(f"{BASE}/importar", data={"plan": "Plan web", "file": (io.BytesIO(data), "p.csv")},
                       content_type="multipart/form-data").get_data().decode("utf-8-sig")
    assert "Fila 2" in page and "Fila 3" in page and "Plan web" in page
    assert db.session.execute(select(Plan).where(Plan.title == "Plan web")).first() is None


def test_query_count_constant_as_activities_grow(client, db, make, queries):
    municipality = make.municipality("conteo")
    plan = Plan(municipality_id=municipality.id, title="Plan grande")
    db.session.add(plan)
    horizon = Horizon(municipality_id=municipality.id, plan=plan, name="Corto plazo", position=0)
    db.session.add(horizon)
    plan.publish()
    db.session.flush()

    def add(n):
        from portal.roadmap.services import funding_source

        source = funding_source(municipality, "PFGL")
        for i in range(n):
            db.session.add(Activity(municipality_id=municipality.id, plan=plan, horizon=horizon, number=str(i),
                                    title=f"Actividad {i}", starts_on=date(2025, 1 + i % 12, 1),
                                    ends_on=date(2025, 1 + i % 12, 28), cost=Decimal("10.01"), funding_source=source))
        db.session.flush()
        db.session.flush()  # the change records of the first flush

    def measure():
        counts = []
        for url in (f"/m/conteo/hoja-de-ruta/{plan.id}", f"/m/conteo/hoja-de-ruta/{plan.id}/matriz",
                    f"/api/v1/municipalities/conteo/roadmap/{plan.id}", "/m/conteo/hoja-de-ruta/"):
            with queries() as n:
                assert client.get(url).status_code == 200
            counts.append(n())
        return counts

    add(3)
    small = measure()
    add(40)
    assert measure() == small


def test_follow_up_refuses_an_image_bomb_in_spanish_keeps_input_and_writes_nothing(client, app, login, prfm,
                                                                                  activity_no):
    from pathlib import Path

    from tests.core.test_uploads import files_in, png_claiming

    login(role="editor")
    folder = Path(app.config["UPLOAD_FOLDER"])
    before = files_in(folder)
    url = f"{BASE}/{prfm.id}/actividades/{activity_no('13').id}/seguimiento"
    page = client.post(url, data={"state": "in_progress", "observations": "texto escrito",
                                  "document": (io.BytesIO(png_claiming(15000, 15000)), "acta.png")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "La foto tiene demasiados píxeles" in page and "texto escrito" in page
    assert files_in(folder) == before and activity_no("13").verification_file in (None, "")


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_import_into_a_published_plan_waits_for_a_publisher(client, db, login, prfm, activity_no, role):
    """An editor's import cannot change a published plan's costs; a publisher's can."""
    login(role=role)
    assert prfm.is_published
    before = activity_no("13").cost
    data = "number,activity,start,cost\n13,Actividad cambiada,2025-01,1\n".encode()
    response = client.post(f"{BASE}/importar", data={"plan": prfm.title, "file": (io.BytesIO(data), "p.csv")},
                           content_type="multipart/form-data")
    db.session.expire_all()
    if role == "editor":
        page = response.get_data().decode("utf-8-sig")
        assert response.status_code == 200
        assert "ya está publicado" in page and "publicador" in page, page[page.find("<main"):][:3000]
        assert activity_no("13").cost == before
    else:
        assert response.status_code == 302
        assert activity_no("13").cost == Decimal(1)


def test_an_import_of_one_activity_says_so_in_the_singular(client, login):
    login(role="editor")
    data = "number,activity,start,cost\n1,Una sola,2025-01,10\n".encode()
    page = client.post(f"{BASE}/importar", data={"plan": "Plan de una", "file": (io.BytesIO(data), "p.csv")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "Plan importado: 1 actividad nueva, 0 actualizadas" in page
