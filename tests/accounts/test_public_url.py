"""Absolute links come from PUBLIC_URL, never from the request's Host header; requests
for a host that is not the portal's are refused (issue 18, item 1)."""
import pytest
from flask import url_for

from portal.config import ConfigurationError, build_config

PUBLIC = "http://localhost"
PASSWORD = "correct horse battery"  # the suite's PUBLIC_URL (tests/conftest.py)


@pytest.mark.parametrize("method", ["get", "post"])
def test_reset_asked_through_a_foreign_host_is_refused_and_sends_nothing(client, make, mailbox, method):
    user = make.user(email="victim.host@example.org")
    response = getattr(client, method)("/cuenta/contrasena/olvido", data={"email": user.email},
                                       headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Esta dirección no corresponde a este portal." in response.get_data(as_text=True)
    assert "evil.example" not in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_the_api_refuses_a_foreign_host_with_json(client):
    response = client.get("/api/v1/municipalities", headers={"Host": "evil.example:80"})
    assert response.status_code == 400 and response.json["error"]["status"] == 400


@pytest.fixture
def any_host(app):
    """Every host trusted for one test, to show links never follow the request."""
    saved = app.config["TRUSTED_HOSTS"]
    app.config["TRUSTED_HOSTS"] = None
    yield "evil.example"
    app.config["TRUSTED_HOSTS"] = saved


def test_every_account_mail_links_to_the_public_url(client, make, muni, mailbox, any_host):
    headers = {"Host": any_host}
    user = make.user(email="victim.links@example.org")
    client.post("/cuenta/contrasena/olvido", data={"email": user.email}, headers=headers)
    assert mailbox.link(user.email, "/cuenta/contrasena/nueva/").startswith(PUBLIC + "/cuenta/")
    client.post("/cuenta/registro", data={"email": "new.links@example.org", "password": "correct horse battery",
                                          "confirm": "correct horse battery"}, headers=headers)
    client.post("/cuenta/registro", data={"email": user.email, "password": "correct horse battery",
                                          "confirm": "correct horse battery"}, headers=headers)
    admin = make.user(role="admin", municipality=muni)  # signs in through the same host
    client.post("/cuenta/entrar", data={"email": admin.email, "password": PASSWORD}, headers=headers)
    client.post("/m/intipuca/admin/members/invite", data={"email": "invited.links@example.org", "role": "editor"},
                headers=headers)
    assert mailbox.link(user.email, "/cuenta/entrar").startswith(PUBLIC + "/cuenta/")
    assert mailbox.link("new.links@example.org", "/cuenta/confirmar/").startswith(PUBLIC + "/cuenta/")
    assert mailbox.link("invited.links@example.org", "/cuenta/invitacion/").startswith(PUBLIC + "/cuenta/")
    assert len(mailbox.messages) == 4
    for message in mailbox.messages:
        assert any_host not in mailbox.body(message)


@pytest.mark.parametrize("path", ["/data.json", "/m/intipuca/data.json", "/feed.atom", "/m/intipuca/feed.atom",
                                  "/api/v1/", "/open311/v2/discovery.json", "/catalog.ttl",
                                  "/api/v1/municipalities/intipuca/datasets/presupuesto/datapackage.json"])
def test_feeds_catalogs_and_discovery_link_to_the_public_url(client, any_host, path):
    response = client.get(path, headers={"Host": any_host})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and any_host not in body and PUBLIC in body


def test_links_built_outside_a_request_use_the_public_url(app):
    saved = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = "https://portal.example.org/cabildo/"
    try:
        with app.app_context():
            assert url_for("accounts.login") == "https://portal.example.org/cabildo/cuenta/entrar"
        with app.test_request_context("/", base_url="http://127.0.0.1:8000/x"):
            assert url_for("accounts.login", _external=True) == "https://portal.example.org/cabildo/cuenta/entrar"
            assert url_for("accounts.login") == "/x/cuenta/entrar"  # links inside a page stay relative
    finally:
        app.config["PUBLIC_URL"] = saved


def test_production_needs_a_public_url_and_a_long_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    key = "k" * 32
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        build_config(str(tmp_path), {"PRODUCTION": True, "SECRET_KEY": key})
    with pytest.raises(ConfigurationError, match="SECRET_KEY is too short"):
        build_config(str(tmp_path), {"PRODUCTION": True, "SECRET_KEY": "k" * 31, "PUBLIC_URL": "https://a.example"})
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        build_config(str(tmp_path), {"PRODUCTION": True, "SECRET_KEY": key, "PUBLIC_URL": "javascript:alert(1)"})
    monkeypatch.setenv("TRUSTED_HOSTS", "www.a.example, .b.example")
    config = build_config(str(tmp_path), {"PRODUCTION": True, "SECRET_KEY": key,
                                          "PUBLIC_URL": "https://portal.a.example"})
    assert config["TRUSTED_HOSTS"] == ["portal.a.example", "www.a.example", ".b.example"]
    assert config["PREFERRED_URL_SCHEME"] == "https"
    local = build_config(str(tmp_path), {"SECRET_KEY": "short"})  # a local run keeps working
    assert local["PUBLIC_URL"] == "http://127.0.0.1:5000" and "localhost" in local["TRUSTED_HOSTS"]
