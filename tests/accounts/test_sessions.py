"""Signing out ends the session on the server: a copied cookie stops working (issue 18)."""
import pytest

PASSWORD = "correct horse battery"


def _sign_in(client, user, remember=False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/cuenta/entrar", data=data)
    assert response.status_code == 302


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_copied_cookie_stops_working_after_signing_out(app, client, make, cookie):
    user = make.user()
    _sign_in(client, user, remember=True)
    stolen = client.get_cookie(cookie)
    assert stolen is not None
    thief = app.test_client()
    thief.set_cookie(cookie, stolen.value)
    assert thief.get("/cuenta/perfil").status_code == 200  # the copy works while signed in

    assert client.post("/cuenta/salir").status_code == 302
    assert client.get("/cuenta/perfil").status_code == 302
    thief = app.test_client()
    thief.set_cookie(cookie, stolen.value)
    response = thief.get("/cuenta/perfil")
    assert response.status_code == 302 and "/cuenta/entrar" in response.location


def test_signing_in_again_after_signing_out_works(client, make):
    user = make.user()
    _sign_in(client, user)
    client.post("/cuenta/salir")
    _sign_in(client, user)
    assert client.get("/cuenta/perfil").status_code == 200
