"""Importing a country's municipalities: the pure checks and slugs, the service, the
command and the platform admin's upload with preview."""
import io
import re
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.tabular import TableError, parse_decimal
from portal.municipalities import onboarding

COUNTRIES = {"SV", "GT", "BR"}


def _check(rows, **options):
    numbered = [{"_row": n, **row} for n, row in enumerate(rows, start=2)]
    return onboarding.check(numbered, countries=COUNTRIES, parse_decimal=parse_decimal, **options)


@pytest.mark.parametrize("name, expected", [
    ("San José", "san-jose"), ("  Ñuñoa  ", "nunoa"), ("São Paulo d'Oeste", "sao-paulo-d-oeste"), ("***", "")])
def test_slugify(name, expected):
    assert onboarding.slugify(name) == expected


@pytest.mark.parametrize("row, column, code", [
    ({"code": "", "name": "A", "country": "SV"}, "code", "code_empty"),
    ({"code": "1", "name": "", "country": "SV"}, "name", "name_empty"),
    ({"code": "1", "name": "A", "country": "XX"}, "country", "country_unknown"),
    ({"code": "1", "name": "A"}, "country", "country_empty"),
    ({"code": "1", "name": "A", "country": "SV", "population": "12a"}, "population", "not_a_number"),
    ({"code": "1", "name": "A", "country": "SV", "population": "12.5"}, "population", "population_whole"),
    ({"code": "1", "name": "A", "country": "SV", "population": "-3"}, "population", "population_range"),
    ({"code": "1", "name": "A", "country": "SV", "urban_share": "1.5"}, "urban_share", "share_range"),
    ({"code": "1", "name": "A", "country": "SV", "currency": "DOLLAR"}, "currency", "currency_bad"),
    ({"code": "1", "name": "A", "country": "SV", "slug": "Bad Slug"}, "slug", "slug_bad"),
    ({"code": "1" * 21, "name": "A", "country": "SV"}, "code", "too_long"),
])
def test_each_bad_cell_is_named_by_column(row, column, code):
    _, issues = _check([row])
    assert [(i.row, i.column, i.code) for i in issues] == [(2, column, code)]


def test_a_code_repeated_names_the_first_row_and_a_country_option_is_the_default():
    candidates, issues = _check([{"code": "01", "name": "A"}, {"code": "02", "name": "B", "country": "sv"},
                                 {"code": "01", "name": "C"}, {"code": "03", "name": "D", "country": "GT"}],
                                country="sv")
    assert [c.country for c in candidates] == ["SV", "SV", "SV", "GT"]
    assert [(i.row, i.code, i.params.get("first")) for i in issues] == [(4, "code_repeated", 2), (5, "country_other", None)]


def test_shares_take_a_percent_sign_and_districts_are_split_once():
    candidates, issues = _check([{"code": 101.0, "name": "A", "country": "SV", "urban_share": "45%",
                                  "population": "1,200", "districts": "Norte; Sur;norte;; Este "}])
    assert issues == []
    (c,) = candidates
    assert (c.code, c.urban_share, c.population, c.districts) == ("101", D("0.45"), 1200, ("Norte", "Sur", "Este"))


def _candidate(row, name, department="", code=None, country="SV", slug=""):
    return onboarding.Candidate(row, code or str(row), name, country, department, slug)


def test_slugs_add_the_department_only_where_names_repeat_and_keep_existing_ones():
    candidates = [_candidate(2, "San José", "Chalatenango"), _candidate(3, "San José", "La Unión"),
                  _candidate(4, "Intipucá", "La Unión"), _candidate(5, "Cerro", "Norte", code="77")]
    slugs, issues = onboarding.assign_slugs(candidates, current={("SV", "77"): "cerro-viejo"},
                                            taken={"intipuca": ("SV", "1411"), "cerro-viejo": ("SV", "77")})
    assert issues == []
    assert slugs == {2: "san-jose-chalatenango", 3: "san-jose-la-union", 4: "intipuca-la-union", 5: "cerro-viejo"}


def test_a_given_slug_owned_by_another_municipality_is_refused():
    slugs, issues = onboarding.assign_slugs([_candidate(2, "A", slug="intipuca")], current={},
                                            taken={"intipuca": ("SV", "1411")})
    assert slugs == {} and [(i.row, i.column, i.code) for i in issues] == [(2, "slug", "slug_taken")]


names = st.text(alphabet="aáeéñoöu ABC-", min_size=1, max_size=70)


@settings(deadline=None)  # a shared machine: time is not what this checks
@given(st.lists(st.tuples(names, st.sampled_from(["", "Norte", "Sur", "Él Este"])), min_size=1, max_size=30))
def test_slugs_are_unique_valid_and_the_same_on_a_second_run(rows):
    candidates = [_candidate(n, name, department) for n, (name, department) in enumerate(rows, start=2)]
    slugs, issues = onboarding.assign_slugs(candidates, current={}, taken={})
    given_rows = set(slugs) | {i.row for i in issues}
    assert given_rows == {c.row for c in candidates}
    assert len(set(slugs.values())) == len(slugs)
    assert all(onboarding.SLUG.match(s) for s in slugs.values())
    current = {("SV", c.code): slugs[c.row] for c in candidates if c.row in slugs}
    again, _ = onboarding.assign_slugs(candidates, current=current, taken={s: ("SV", str(r)) for r, s in slugs.items()})
    assert {r: s for r, s in again.items() if r in slugs} == slugs


# ------------------------------------------------------------------ service and command

CSV = ("codigo,nombre,departamento,pais,poblacion,proporcion_urbana,moneda,formato,distritos\n"
       "0901,San José,Chalatenango,SV,1200,0.3,,,Centro;Norte\n"
       "0902,San José,La Unión,SV,\"2,300\",45%,,,\n"
       "0903,Ciudad Grande,San Salvador,SV,1000000,0.9,,pt_BR,\n")


def test_import_creates_then_updates_by_code_and_feeds_the_peer_groups(db, runner, tmp_path):
    from portal.compare.services import urban_shares
    from portal.municipalities import importing
    from portal.municipalities.services import by_code

    result = importing.import_file(CSV.encode(), "m.csv")
    assert result == {"created": 3, "updated": 0, "unchanged": 0}
    first = by_code("SV", "0901")
    assert (first.slug, first.locale, first.currency, [d.name for d in first.districts]) == \
        ("san-jose-chalatenango", "es_SV", "USD", ["Centro", "Norte"])
    assert by_code("SV", "0903").locale == "pt_BR"
    assert urban_shares([first.id, by_code("SV", "0902").id]) == {first.id: D("0.3"), by_code("SV", "0902").id: D("0.45")}

    changed = CSV.replace("1200,0.3,,,Centro;Norte", "1300,0.3,,,Centro;Sur").replace("Ciudad Grande", "Ciudad Mayor")
    path = tmp_path / "again.csv"
    path.write_text(changed)
    result = runner.invoke(args=["municipalities", "import", str(path)])
    assert result.exit_code == 0 and "0 created, 2 updated, 1 unchanged" in result.output
    again = by_code("SV", "0901")
    assert again.population == 1300 and {d.name for d in again.districts} == {"Centro", "Norte", "Sur"}
    assert by_code("SV", "0903").slug == "ciudad-grande"  # the address does not move with the name


BAD = ("Código;Nombre;País;Población;Proporción Urbana\n"
       "0101;San José;XX;12a;1.5\n"
       "0101;;SV;-3;\n")


@pytest.mark.parametrize("language, expected", [
    ("es", "Fila 2, columna «País»: «XX» no es un código de país"),
    ("en", "Row 2, column «País»: “XX” is not a country code"),
    ("pt", "Linha 2, coluna «País»: «XX» não é um código de país"),
])
def test_a_bad_file_is_refused_whole_naming_row_column_as_written_and_the_fix(runner, db, tmp_path, language,
                                                                               expected):
    from portal.municipalities.services import by_code

    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    result = runner.invoke(args=["municipalities", "import", str(path), "--language", language])
    assert result.exit_code == 1
    assert expected in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert len(lines) == 5  # country, population and share of row 2; name and population of row 3
    assert "Población" in result.output and "«Proporción Urbana»" in result.output
    assert by_code("SV", "0101") is None


def test_unknown_and_missing_columns_are_named(db):
    from flask_babel import force_locale

    from portal.municipalities import importing

    with force_locale("es"), pytest.raises(TableError) as error:
        importing.plan(b"nombre,color\nA,rojo\n", "m.csv")
    with force_locale("es"):
        texts = [importing.describe(p) for p in error.value.problems]
    assert any("«color»" in t for t in texts) and any("«codigo»" in t for t in texts)


def test_create_takes_a_code_unique_in_its_country(runner, db):
    from portal.municipalities.services import by_code

    ok = runner.invoke(args=["municipalities", "create", "villa-codigo", "--name", "Villa", "--country", "BR",
                             "--code", "3550308"])
    assert ok.exit_code == 0, ok.output
    assert by_code("BR", "3550308").locale == "pt_BR"
    twice = runner.invoke(args=["municipalities", "create", "villa-otra", "--name", "Otra", "--country", "BR",
                                "--code", "3550308"])
    assert twice.exit_code != 0 and "code" in twice.output


# ------------------------------------------------------------------ pages

def _upload(client, text, name="m.csv", **fields):
    response = client.post("/admin/municipalities/import", data={"file": (io.BytesIO(text.encode()), name), **fields},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.fullmatch(r"/admin/importaciones/\d+", location)
    return location


def _confirm(client, location):
    from portal.core import jobs

    response = client.post(f"{location}/confirmar")
    assert response.status_code == 302 and response.headers["Location"] == location
    jobs.run_queued()
    return client.get(location).get_data(as_text=True)


def test_upload_runs_as_a_job_previews_then_writes_what_is_confirmed(client, login, db, job_queue):
    from portal.core import jobs
    from portal.municipalities.services import by_code

    login(platform_admin=True)
    location = _upload(client, CSV)
    waiting = client.get(location).get_data(as_text=True)
    assert "Importación de municipios" in waiting and 'http-equiv="refresh"' in waiting
    assert by_code("SV", "0902") is None  # nothing written by the request
    jobs.run_queued()
    preview = client.get(location).get_data(as_text=True)
    assert "Nada se ha guardado todavía" in preview and 'http-equiv="refresh"' not in preview
    assert "<strong>3</strong> municipios nuevos" in preview and "Se crea" in preview
    assert "/m/san-jose-la-union/" in preview  # each row's address as it will be
    assert by_code("SV", "0902") is None  # checked and shown, not written
    done = _confirm(client, location)
    assert "Creados: 3; actualizados: 0; sin cambios: 0." in done and 'http-equiv="refresh"' not in done
    assert 'href="/"' in done  # what was imported: the list of municipalities
    assert by_code("SV", "0902").slug == "san-jose-la-union"
    assert client.post(f"{location}/confirmar").status_code == 302  # confirmed twice: written once
    assert jobs.run_queued() == 0
    again = _upload(client, CSV)
    jobs.run_queued()
    assert "<strong>3</strong> municipios sin cambios" in client.get(again).get_data(as_text=True)
    assert "Creados: 0; actualizados: 0; sin cambios: 3." in _confirm(client, again)
    assert f'href="{again}"' in client.get("/admin/municipalities/import").get_data(as_text=True)


def test_a_confirmation_checks_the_file_again(client, login, db, job_queue):
    """What changed between the preview and the confirmation is seen: a municipality
    created meanwhile is updated, not created twice."""
    from portal.core import jobs
    from portal.municipalities.services import by_code

    login(platform_admin=True)
    first, second = _upload(client, CSV), _upload(client, CSV)
    jobs.run_queued()
    assert "<strong>3</strong> municipios nuevos" in client.get(second).get_data(as_text=True)
    assert "Creados: 3;" in _confirm(client, first)
    assert "Creados: 0; actualizados: 0; sin cambios: 3." in _confirm(client, second)
    assert by_code("SV", "0902") is not None


def test_upload_lists_problems_and_writes_nothing(client, login, db, job_queue):
    from portal.core import jobs
    from portal.municipalities.services import by_code

    login(platform_admin=True)
    location = _upload(client, BAD, "bad.csv", country="sv")
    jobs.run_queued()
    html = client.get(location).get_data(as_text=True)
    assert "<td>3</td><td>Nombre</td><td>vacío; escriba el nombre del municipio</td>" in html
    assert "<td>2</td><td>País</td><td>«XX» no es un código de país" in html
    assert by_code("SV", "0101") is None
    without_country = _upload(client, "codigo,nombre\n0999,Lejano\n", country="gt")  # the option reaches the job
    jobs.run_queued()
    assert "Creados: 1;" in _confirm(client, without_country)
    assert by_code("GT", "0999").name == "Lejano"


def test_a_platform_import_is_for_platform_staff(client, login, db, muni, job_queue):
    login(platform_admin=True)
    location = _upload(client, CSV)
    login(role="admin", municipality=muni)
    assert client.get(location).status_code == 403
    run_id = location.rsplit("/", 1)[1]
    assert client.get(f"/m/intipuca/importaciones/{run_id}").status_code == 404
    from portal.core import imports, jobs

    jobs.run_queued()
    assert client.post(f"{location}/confirmar").status_code == 403
    assert client.post(f"/m/intipuca/importaciones/{run_id}/confirmar").status_code == 404
    assert db.session.get(imports.ImportRun, int(run_id)).status == imports.AWAITING  # still waiting


@pytest.mark.parametrize("url", ["/admin/municipalities/import", "/m/intipuca/codigo"])
def test_only_platform_admins_import_or_edit_codes(client, login, db, muni, url):
    login(role="admin", municipality=muni)
    assert client.get(url).status_code == 403


def test_platform_admin_edits_the_code_shown_on_the_home(client, login, db, muni, make):
    make.municipality("otro-con-codigo", country="SV", code="0999")
    login(platform_admin=True)
    taken = client.post("/m/intipuca/codigo", data={"code": "0999"}).get_data(as_text=True)
    assert "Ese código ya lo usa otro municipio" in taken and 'value="0999"' in taken
    assert client.post("/m/intipuca/codigo", data={"code": " 1412 "}).status_code == 302
    assert "<code>1412</code>" in client.get("/m/intipuca/").get_data(as_text=True)
    assert client.get("/api/v1/municipalities?country=SV").get_json()["items"][0].keys() >= {"code", "slug"}


def test_the_code_is_in_the_open_data(client, db, muni):
    assert "SV-1411" in client.get("/m/intipuca/catalog.ttl").get_data(as_text=True)
    listing = client.get("/api/v1/municipalities/intipuca/datasets").get_json()
    assert {item["municipality_code"] for item in listing["items"]} == {"1411"}
    rows = client.get("/api/v1/municipalities?format=csv&country=SV").get_data(as_text=True).splitlines()
    assert rows[0].lstrip("\ufeff").split(",")[:2] == ["slug", "code"] and any(r.startswith("intipuca,1411,") for r in rows)
