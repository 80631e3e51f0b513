"""Account journeys through the views, with e-mail through a real local SMTP server."""
from sqlalchemy import func, select

from portal.accounts import services, tokens
from portal.accounts.models import User

NEW_PASSWORD = "otra frase bastante larga"
PASSWORD = "correct horse battery"


def _flash(client):
    with client.session_transaction() as session:
        return [m for _, m in session.get("_flashes", [])]


def _signed_in(client):
    with client.session_transaction() as session:
        return session.get("_user_id")


def _as_new_request():
    """The test's app context (and so ``g``) is shared by its requests; a real request
    starts without a cached user."""
    from flask import g

    g.pop("_login_user", None)


def _signup(client, email, password=PASSWORD, confirm=None):
    return client.post("/cuenta/registro", data={"email": email, "password": password,
                                                  "confirm": confirm or password, "display_name": "Ana"})


def test_sign_up_confirm_and_sign_in(client, db, mailbox):
    email = "ana.signup@example.org"
    response = _signup(client, email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/cuenta/entrar")
    user = services.find_by_email(email)
    assert user is not None and user.confirmed_at is None
    assert user.password_hash.startswith("scrypt:")
    message = mailbox.last(email)
    assert "Confirme" in message["Subject"]
    link = mailbox.link(email, "/cuenta/confirmar/")

    # Not confirmed yet: the right password gets a fresh link, not a session.
    response = client.post("/cuenta/entrar", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302 and _signed_in(client) is None
    assert len(mailbox.to(email)) == 2

    response = client.get(link)
    assert response.status_code == 302
    assert user.confirmed_at is not None

    response = client.post("/cuenta/entrar", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302 and _signed_in(client) == user.get_id()
    assert "Mi cuenta" in client.get("/cuenta/perfil").get_data(as_text=True)


def test_sign_up_validates_length_and_confirmation(client, db, mailbox):
    html = _signup(client, "short@example.org", "corta", "corta").get_data(as_text=True)
    assert "Use al menos 10 caracteres." in html and 'value="short@example.org"' in html
    html = _signup(client, "mismatch@example.org", PASSWORD, PASSWORD + "x").get_data(as_text=True)
    assert "Las dos contraseñas no coinciden." in html
    assert services.find_by_email("short@example.org") is None and not mailbox.messages


def test_sign_up_answers_the_same_for_known_and_unknown_addresses(client, db, make, mailbox):
    known = make.user(email="known.signup@example.org")
    unknown = "unknown.signup@example.org"
    first = _signup(client, known.email)
    first_flash = _flash(client)
    second = _signup(client, unknown)
    second_flash = _flash(client)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert first_flash[-1].replace(known.email, "X") == second_flash[-1].replace(unknown, "X")
    # The owner of the known address is told, not the person who typed it.
    assert "Ya tiene una cuenta" in mailbox.last(known.email)["Subject"]
    count = db.session.execute(select(func.count(User.id)).where(User.email == known.email)).scalar_one()
    assert count == 1


def test_password_reset_link_works_once(client, db, make, mailbox):
    user = make.user(email="reset.me@example.org")
    client.post("/cuenta/contrasena/olvido", data={"email": user.email})
    known_flash = _flash(client)
    client.post("/cuenta/contrasena/olvido", data={"email": "nobody.here@example.org"})
    assert _flash(client)[-1] == known_flash[-1]
    assert mailbox.to("nobody.here@example.org") == [] and len(mailbox.messages) == 1
    link = mailbox.link(user.email, "/cuenta/contrasena/nueva/")

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    # The password changed, so the same link no longer works.
    assert client.get(link).status_code == 400
    assert client.post(link, data={"password": "y" * 12, "confirm": "y" * 12}).status_code == 400
    assert user.check_password(NEW_PASSWORD)


def test_tampered_and_expired_reset_links_are_refused(client, db, make, app):
    user = make.user()
    with app.test_request_context():
        token = tokens.make(app.config["SECRET_KEY"], tokens.RESET,
                            {"uid": user.id, "fp": tokens.fingerprint(user.password_hash)})
        assert services.user_for_reset(token) == user
    assert client.get(f"/cuenta/contrasena/nueva/{token}").status_code == 200
    assert client.get(f"/cuenta/contrasena/nueva/{token[:-3]}abc").status_code == 400
    confirm_token = tokens.make(app.config["SECRET_KEY"], tokens.CONFIRM, {"uid": user.id, "email": user.email})
    assert client.get(f"/cuenta/contrasena/nueva/{confirm_token}").status_code == 400
    html = client.get("/cuenta/confirmar/nonsense").get_data(as_text=True)
    assert "El enlace no es válido o caducó" in html


def test_change_password_signs_out_other_sessions(app, client, db, make, login):
    user = make.user()
    other = app.test_client()
    login(user)
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert other.get("/cuenta/perfil").status_code == 200
    _as_new_request()
    html = client.post("/cuenta/contrasena", data={"current_password": "wrong one!", "password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD}).get_data(as_text=True)
    assert "La contraseña actual no es correcta." in html
    response = client.post("/cuenta/contrasena", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                       "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    _as_new_request()
    assert client.get("/cuenta/perfil").status_code == 200          # this session stays
    _as_new_request()
    assert other.get("/cuenta/perfil").status_code == 302           # the other one ended


def test_change_email_needs_the_new_address_confirmed(client, db, make, login, mailbox):
    user = make.user(email="old.address@example.org")
    login(user)
    response = client.post("/cuenta/correo", data={"email": "New.Address@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert user.email == "old.address@example.org"
    link = mailbox.link("new.address@example.org", "/cuenta/correo/confirmar/")
    assert client.get(link).status_code == 302
    assert user.email == "new.address@example.org"
    assert client.get(link).status_code == 400  # the old address is gone: the link is spent


def test_change_email_to_a_taken_address_reveals_nothing(client, db, make, login, mailbox):
    taken = make.user(email="taken.address@example.org")
    login(make.user())
    response = client.post("/cuenta/correo", data={"email": taken.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "/cuenta/correo/confirmar/" not in mailbox.body(mailbox.last(taken.email))
