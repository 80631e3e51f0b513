from portal.municipalities.bands import band_for


def test_population_bands():
    assert [band_for(n) for n in (None, 0, 19_999, 20_000, 100_000, 100_001)] == \
        [None, "small", "small", "medium", "medium", "large"]


def test_cli_creates_a_municipality(runner, db):
    result = runner.invoke(args=["municipalities", "create", "nueva-villa", "--name", "Nueva Villa",
                                 "--country", "hn", "--population", "4200", "--currency", "HNL"])
    assert result.exit_code == 0, result.output
    from portal.municipalities.services import get_by_slug

    created = get_by_slug("nueva-villa")
    assert (created.country, created.currency, created.locale, created.population) == ("HN", "HNL", "es_HN", 4200)


def test_cli_names_the_bad_field(runner, db):
    result = runner.invoke(args=["municipalities", "create", "intipuca", "--name", "X", "--country", "SV"])
    assert result.exit_code != 0
    assert "slug" in result.output and "«intipuca» ya está en uso" in result.output


def test_cli_names_the_bad_field_in_the_operators_language(runner, db, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    result = runner.invoke(args=["municipalities", "create", "intipuca", "--name", "X", "--country", "SV"])
    assert result.exit_code != 0
    assert "slug" in result.output and "“intipuca” is already taken" in result.output


def test_platform_admin_creates_municipality_on_a_page(client, login, db):
    login(platform_admin=True)
    response = client.post("/admin/municipalities/new", data={
        "slug": "pueblo-nuevo", "name": "Pueblo Nuevo", "country": "GT", "population": "3000",
        "currency": "GTQ", "districts": "Norte\nSur"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/m/pueblo-nuevo/")
    html = client.get("/m/pueblo-nuevo/").get_data(as_text=True)
    assert "Pueblo Nuevo" in html and "Norte" in html


def test_create_page_keeps_what_was_typed_on_error(client, login, db):
    login(platform_admin=True)
    response = client.post("/admin/municipalities/new", data={
        "slug": "Bad Slug!", "name": "Lugar Escrito", "country": "GT", "currency": "GTQ"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Lugar Escrito"' in html
    assert "minúsculas" in html


def test_residents_cannot_create_municipalities(client, login, db):
    login(role="resident")
    assert client.get("/admin/municipalities/new").status_code == 403


def test_municipality_objects_carry_their_tenant(db, make):
    other = make.municipality(districts=["A"])
    assert other.districts[0].municipality_id == other.id


def test_default_locale_is_the_countrys_likely_one():
    from portal.municipalities.services import default_locale as likely_locale

    assert [likely_locale(c) for c in ("SV", "br", "PL", "HN", "US")] == ["es_SV", "pt_BR", "pl_PL", "es_HN", "en_US"]


def test_cli_creates_a_municipality_outside_the_spanish_speaking_world(runner, db):
    from portal.municipalities.services import get_by_slug

    for slug, country, locale in (("gmina-nowa", "PL", "pl_PL"), ("vila-nova", "BR", "pt_BR")):
        result = runner.invoke(args=["municipalities", "create", slug, "--name", slug, "--country", country])
        assert result.exit_code == 0, result.output
        assert get_by_slug(slug).locale == locale
