"""The foundation: pages, languages, formats, headers, errors, health."""
import pathlib
from decimal import Decimal

import pytest


def test_platform_home_lists_demo_municipalities(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Intipucá" in html and "San Isidro (ejemplo)" in html
    assert '<html lang="es">' in html


@pytest.mark.parametrize("query, present, absent", [
    ("q=intip", "Intipucá", "San Isidro"),
    ("country=BO", "San Isidro", "Intipucá"),
    ("band=small", "Intipucá", "Villa Rica"),
    ("band=medium", "Santa Luzia", "Intipucá"),
    ("band=large", "Villa Rica", "Santa Luzia"),
])
def test_platform_home_search_and_filters(client, query, present, absent):
    html = client.get(f"/?{query}").get_data(as_text=True)
    assert present in html
    assert absent not in html


def test_platform_home_empty_search_says_so(client):
    html = client.get("/?q=zzzz-nothing").get_data(as_text=True)
    assert "Ningún municipio coincide" in html


def test_municipality_home_and_unknown_slug(client):
    assert client.get("/m/intipuca/").status_code == 200
    response = client.get("/m/no-such-place/")
    assert response.status_code == 404
    assert "No encontramos" in response.get_data(as_text=True)


@pytest.mark.parametrize("header, lang, word", [
    ("en-US,en;q=0.9", "en", "Sign in"),
    ("pt-BR,pt;q=0.9", "pt", "Entrar"),
    ("fr-FR", "es", "Entrar"),
])
def test_language_from_accept_language(client, header, lang, word):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert word in html


def test_language_choice_is_remembered_in_a_cookie(client):
    response = client.get("/lang/en?next=/m/intipuca/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/m/intipuca/")
    html = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="en">' in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get(f"/lang/pt?next={target}")
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("slug, lang, expected", [
    ("intipuca", "es", "$1,064,147.34"),
    ("ejemplo-bo", "es", "1.064.147,34"),
    ("exemplo-br", "pt", "1.064.147,34"),
])
def test_money_uses_language_and_country(app, db, slug, lang, expected):
    from portal.core.i18n import money
    from portal.municipalities.services import get_by_slug

    with app.test_request_context("/", headers={"Accept-Language": lang}):
        assert expected in money(Decimal("1064147.335"), municipality=get_by_slug(slug))


def test_money_rounds_half_up(app, db):
    from portal.core.i18n import money
    from portal.municipalities.services import get_by_slug

    with app.test_request_context("/"):
        assert money(Decimal("0.125"), municipality=get_by_slug("intipuca")) == "$0.13"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "default-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_api_clients_get_json_errors(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json and response.json["error"]["status"] == 404
    response = client.get("/m/nowhere/", headers={"Accept": "application/json"})
    assert response.is_json


def test_error_pages_speak_the_visitors_language(client):
    html = client.get("/m/nowhere/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "We could not find this page" in html


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    from portal.config import ConfigurationError, build_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("CABILDO_ENV", "production")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        build_config(str(tmp_path))


def test_local_secret_is_generated_once(monkeypatch, tmp_path):
    from portal.config import build_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CABILDO_ENV", raising=False)
    first = build_config(str(tmp_path))["SECRET_KEY"]
    assert len(first) == 64
    assert build_config(str(tmp_path))["SECRET_KEY"] == first


def test_settings_documented_in_the_readme_come_from_the_environment(monkeypatch, tmp_path):
    from portal.config import build_config

    monkeypatch.setenv("OPENDATA_LICENSE", "CC0-1.0")
    monkeypatch.setenv("OPENDATA_LICENSES", '{"intipuca": "ODbL-1.0"}')
    monkeypatch.setenv("JOBS_URL", "redis://queue.example:6379/2")
    monkeypatch.setenv("JOBS_RETRIES", "5")
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    config = build_config(str(tmp_path))
    assert config["OPENDATA_LICENSE"] == "CC0-1.0"
    assert config["OPENDATA_LICENSES"] == {"intipuca": "ODbL-1.0"}
    assert config["JOBS_URL"] == "redis://queue.example:6379/2" and config["JOBS_RETRIES"] == 5
    assert config["RATELIMIT_ENABLED"] is False
    for name in ("OPENDATA_LICENSE", "OPENDATA_LICENSES", "JOBS_URL", "JOBS_RETRIES",
                 "RATELIMIT_ENABLED", "CACHE_URL", "CACHE_TYPE", "DATABASE_URL", "SECRET_KEY"):
        assert f"`{name}" in (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text(), name


def test_stylesheet_is_small_and_has_no_web_fonts(client):
    with client.get("/static/cabildo.css") as response:
        css = response.get_data(as_text=True)
    assert "@font-face" not in css and "@import" not in css
    import gzip

    assert len(gzip.compress(css.encode())) < 8_000  # bytes on the wire
