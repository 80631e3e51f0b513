"""Comparison pages, downloads, the home card, the method page, the refresh button and CLI."""
import csv
import io
from decimal import Decimal as D

from portal.compare import services


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_comparison_page_shows_groups_positions_expected_and_trend(client):
    page = client.get("/comparar/?indicador=finance.autonomia_financiera&agrupacion=pais").get_data().decode("utf-8-sig")
    assert "Autonomía financiera" in page and "El Salvador" in page
    assert "Ciudad Nueva (ejemplo)" in page and "Intipucá" in page
    assert "1 de 7" in page  # seven Salvadoran municipalities publish a budget
    assert "Datos desactualizados" in page  # Intipucá's 2013 budget
    assert "Esperado y diferencia" in page and "desde 2012" in page
    assert "<form method=\"get\"" in page  # works without JavaScript


def test_unknown_choices_fall_back_and_unknown_csv_is_404(client):
    assert client.get("/comparar/?indicador=nope&agrupacion=x&orden=y").status_code == 200
    assert client.get("/comparar/nope.csv").status_code == 404


def test_csv_matches_the_page(client):
    rows = _csv(client.get("/comparar/finance.autonomia_financiera.csv?agrupacion=pais"))
    assert list(rows[0]) == services.CSV_COLUMNS
    by_slug = {r["slug"]: r for r in rows}
    ciudad = by_slug["ejemplo-sv-ciudad"]
    assert ciudad["posicion"] == "1" and ciudad["tamano_grupo"] == "7" and ciudad["grupo"] == "SV"
    assert ciudad["ejemplo"] == "si" and ciudad["desactualizado"] == "no" and ciudad["verificado"] == "si"
    assert D(ciudad["valor"]) == (D(23100000) / D(43500000)).quantize(D("1e-8"))
    assert D(ciudad["diferencia"]) == D(ciudad["valor"]) - D(ciudad["esperado"])
    assert by_slug["intipuca"]["periodo"] == "2013" and by_slug["intipuca"]["desactualizado"] == "si"
    page = client.get("/comparar/?indicador=finance.autonomia_financiera&agrupacion=pais").get_data().decode("utf-8-sig")
    shown = D(ciudad["valor"]) * 100
    assert f"{shown:.1f}".replace(".", ",") in page or f"{shown:.1f}" in page


def test_diagnostic_comparison_badges_unverified_and_can_include_it(client):
    page = client.get("/comparar/?indicador=diagnostic.global&agrupacion=pais").get_data().decode("utf-8-sig")
    assert "Autoevaluación no verificada" in page and "fuera del ranking" in page
    rows = {r["slug"]: r for r in _csv(client.get("/comparar/diagnostic.global.csv?agrupacion=pais"))}
    assert rows["ejemplo-sv-cerro"]["posicion"] == "" and rows["ejemplo-sv-cerro"]["en_ranking"] == "no"
    rows = {r["slug"]: r for r in _csv(client.get(
        "/comparar/diagnostic.global.csv?agrupacion=pais&no_verificados=1"))}
    assert rows["ejemplo-sv-cerro"]["posicion"] != ""


def test_municipality_page_and_home_card(client):
    page = client.get("/m/intipuca/comparar/").get_data().decode("utf-8-sig")
    assert "Datos de capacidad" in page and "Índice de capacidad" in page
    assert "Índice de gestión municipal (ejemplo)" in page and "Gran desacuerdo" in page
    assert "Reclamos resueltos dentro del plazo" in page
    rows = _csv(client.get("/m/intipuca/comparar/datos.csv?agrupacion=poblacion"))
    assert {r["slug"] for r in rows} == {"intipuca"} and {r["agrupacion"] for r in rows} == {"poblacion"}
    assert {r["grupo"] for r in rows} == {"5000-20000"}
    home = client.get("/m/intipuca/").get_data().decode("utf-8-sig")
    assert "Comparación con pares" in home and "en su grupo" in home
    assert client.get("/m/no-such/comparar/").status_code == 404


def test_method_page_publishes_coefficients(client):
    page = client.get("/comparar/metodo").get_data().decode("utf-8-sig")
    assert "Intercepto" in page and "Índice de capacidad" in page and "R²" in page


def test_refresh_button_is_for_platform_admins_and_cli_refreshes(client, login, runner):
    login(role="admin")
    assert client.post("/comparar/recalcular").status_code == 403
    client.get("/cuenta/salir")
    login(platform_admin=True)
    response = client.post("/comparar/recalcular")
    assert response.status_code == 302
    page = client.get("/comparar/").get_data().decode("utf-8-sig")
    assert "Recalcular ahora" in page and "se recalcula aparte" in page
    from sqlalchemy import select

    from portal.core.jobs_ledger import JobRun
    from portal.extensions import db

    asked = db.session.execute(select(JobRun).where(JobRun.name == "compare.refresh-all",
                                                    JobRun.key == "button")).scalars().all()
    assert [run.status for run in asked] == ["queued"]  # the worker runs it, not the request
    result = runner.invoke(args=["compare", "refresh", "--today", "2026-06-01"])
    assert result.exit_code == 0 and "regressions" in result.output


def test_cli_set_inputs(runner, db):
    from portal.municipalities.services import get_by_slug

    result = runner.invoke(args=["compare", "set-inputs", "ejemplo-bo", "--urban-share", "0.5", "--poverty", "0.3",
                                 "--source", "INE 2024"])
    assert result.exit_code == 0, result.output
    profile = services.profile_of(get_by_slug("ejemplo-bo"))
    assert profile.urban_share == D("0.5") and profile.source == "INE 2024"
    bad = runner.invoke(args=["compare", "set-inputs", "ejemplo-bo", "--poverty", "2"])
    assert bad.exit_code != 0 and "between 0 and 1" in bad.output
    assert runner.invoke(args=["compare", "set-inputs", "nowhere"]).exit_code != 0


def test_page_says_when_publications_came_after_the_last_refresh(client, db):
    from datetime import timedelta

    from portal.compare.models import ComparisonGroup, ComparisonValue, Regression

    page = client.get("/comparar/").get_data().decode("utf-8-sig")
    assert "después del cálculo" not in page
    # The refresh is stamped once, on the regressions (its values keep when each was computed).
    for model in (ComparisonValue, Regression, ComparisonGroup):
        for row in db.session.execute(services.select(model)).scalars():
            row.computed_at = row.computed_at - timedelta(days=3650)  # as if computed long before the demo
    db.session.flush()
    page = client.get("/comparar/").get_data().decode("utf-8-sig")
    assert "cambios publicados después del cálculo" in page


def test_publishers_declare_capacity_inputs_as_percentages(client, login, db):
    from portal.municipalities.services import get_by_slug

    bo = get_by_slug("ejemplo-bo")
    assert client.get("/m/ejemplo-bo/comparar/capacidad").status_code in (302, 401)
    login(role="editor", municipality=bo)
    assert client.get("/m/ejemplo-bo/comparar/capacidad").status_code == 403
    client.get("/cuenta/salir")
    login(role="publisher", municipality=bo)
    form = client.get("/m/ejemplo-bo/comparar/capacidad").get_data().decode("utf-8-sig")
    assert 'value="45' in form  # the demo's 0.45 shown as 45 %
    bad = client.post("/m/ejemplo-bo/comparar/capacidad", data={"urban_share": "140", "source": "INE"})
    assert bad.status_code == 200 and "Entre 0 y 100." in bad.get_data().decode("utf-8-sig")
    assert 'value="INE"' in bad.get_data().decode("utf-8-sig")  # what was typed is kept
    done = client.post("/m/ejemplo-bo/comparar/capacidad",
                       data={"urban_share": "52.5", "poverty_rate": "30", "source": "INE 2024"})
    assert done.status_code == 302
    profile = services.profile_of(bo)
    assert profile.urban_share == D("0.525") and profile.poverty_rate == D("0.3") and profile.source == "INE 2024"
    assert client.get("/m/intipuca/comparar/capacidad").status_code == 403  # another municipality


def test_imported_index_is_shown_beside_the_compared_indicator(client):
    page = client.get("/comparar/?indicador=diagnostic.global&agrupacion=pais").get_data().decode("utf-8-sig")
    assert "Índice Nacional de Gestión (ejemplo): 0" in page and "Gran desacuerdo" in page
    rows = {r["slug"]: r for r in _csv(client.get("/comparar/diagnostic.global.csv?agrupacion=pais"))}
    assert rows["intipuca"]["desacuerdo_grande"] == "si"
    assert "Índice de gestión municipal (ejemplo) 2023 = 0.38" in rows["intipuca"]["indices_externos"]
    assert rows["ejemplo-sv-cerro"]["desacuerdo_grande"] == "no"  # 0.52 against its own 63/100
    assert rows["ejemplo-sv-laguna"]["indices_externos"] == ""


def test_comparison_page_is_paged_with_jumps_to_each_group(client, monkeypatch):
    from portal.compare import views

    monkeypatch.setattr(views, "PER_PAGE", 4)
    url = "/comparar/?indicador=finance.autonomia_financiera&agrupacion=pais"
    first = client.get(url).get_data().decode("utf-8-sig")
    assert "Página 1 de" in first and "Ir al grupo:" in first and 'rel="next"' in first
    assert first.count('<th scope="row">') <= 4
    second = client.get(url + "&pagina=2").get_data().decode("utf-8-sig")
    assert "Página 2 de" in second and "continúa de la página anterior" in second
    assert 'rel="prev"' in second
    last = int(first.split("Página 1 de ")[1].split("<")[0])
    assert client.get(url + f"&pagina={last}").status_code == 200
    assert client.get(url + f"&pagina={last + 1}").status_code == 404
    rows = _csv(client.get("/comparar/finance.autonomia_financiera.csv?agrupacion=pais"))
    assert len(rows) > 4 * (last - 1)  # the download holds every municipality
