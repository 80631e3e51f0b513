"""Deleting an account (anonymized, contributions and the chain intact); members and
invitations; rate limits on the visitor-facing forms."""
import pytest
from sqlalchemy import select

from portal.accounts import services
from portal.accounts.models import Membership
from portal.audit.models import ChangeRecord
from portal.audit.services import acting_as, verify_chain

PASSWORD = "correct horse battery"


def _as_new_request():
    from flask import g

    g.pop("_login_user", None)


def test_deleting_an_account_anonymizes_it_and_keeps_the_record(client, db, make, login):
    town = make.municipality()
    user = make.user(role="editor", municipality=town, email="leaving@example.org")
    with acting_as("editor", user):
        town.population = 6100
        db.session.flush()
    db.session.flush()
    record = db.session.execute(select(ChangeRecord).where(ChangeRecord.actor_id == user.id)).scalar_one()
    count_before = db.session.execute(select(ChangeRecord).where(ChangeRecord.chain == str(town.id))).all()
    login(user)

    html = client.post("/cuenta/eliminar", data={"password": "wrong password", "sure": "y"}).get_data(as_text=True)
    assert "La contraseña actual no es correcta." in html and user.deleted_at is None
    response = client.post("/cuenta/eliminar", data={"password": PASSWORD, "sure": "y"})
    assert response.status_code == 302

    assert user.email is None and user.display_name == "—" and user.deleted_at is not None
    assert user.password_hash is None
    assert db.session.execute(select(Membership).where(Membership.user_id == user.id)).first() is None
    db.session.refresh(record)
    assert record.actor_id is None and record.actor_role == "editor"
    assert len(db.session.execute(select(ChangeRecord).where(ChangeRecord.chain == str(town.id))).all()) \
        == len(count_before)
    assert verify_chain(db.session, str(town.id)).ok
    _as_new_request()
    assert client.get("/cuenta/perfil").status_code == 302  # signed out
    assert services.authenticate("leaving@example.org", PASSWORD) is None


def test_delete_needs_the_checkbox(client, db, make, login):
    user = login(role="resident")
    html = client.post("/cuenta/eliminar", data={"password": PASSWORD}).get_data(as_text=True)
    assert "Marque la casilla para confirmar." in html and user.deleted_at is None


def test_admin_invites_and_the_invitation_creates_account_and_role(app, client, db, make, login, muni, mailbox):
    login(role="admin", municipality=muni)
    page = client.get("/m/intipuca/admin/members").get_data(as_text=True)
    assert "Miembros de Intipucá" in page
    response = client.post("/m/intipuca/admin/members/invite", data={"email": "New.Editor@example.org",
                                                                     "role": "editor"})
    assert response.status_code == 302
    link = mailbox.link("new.editor@example.org", "/cuenta/invitacion/")

    visitor = app.test_client()
    _as_new_request()
    assert "Crear cuenta y aceptar" in visitor.get(link).get_data(as_text=True)
    response = visitor.post(link, data={"password": "una clave bien larga", "confirm": "una clave bien larga",
                                        "display_name": "Nueva"})
    assert response.status_code == 302
    user = services.find_by_email("new.editor@example.org")
    assert user.confirmed_at is not None and user.roles_in(muni.id) == {"editor"}


def test_invitation_for_an_existing_account_asks_to_sign_in(app, db, make, muni, mailbox, client, login):
    existing = make.user(email="already.here@example.org")
    login(role="admin", municipality=muni)
    client.post("/m/intipuca/admin/members/invite", data={"email": existing.email, "role": "verifier"})
    link = mailbox.link(existing.email, "/cuenta/invitacion/")
    visitor = app.test_client()
    _as_new_request()
    assert "Entre con su cuenta para aceptar" in visitor.get(link).get_data(as_text=True)
    visitor.post(link, data={"password": "x" * 12, "confirm": "x" * 12})
    assert existing.roles_in(muni.id) == set()
    with visitor.session_transaction() as session:
        session["_user_id"] = existing.get_id()
    _as_new_request()
    assert visitor.post(link).status_code == 302
    assert existing.roles_in(muni.id) == {"verifier"}


def test_tampered_invitation_is_refused(client, db):
    assert client.get("/cuenta/invitacion/forged.token.here").status_code == 400


def test_admin_grants_and_revokes_roles_but_keeps_the_last_admin(client, db, make, login):
    town = make.municipality()
    admin = login(role="admin", municipality=town)
    editor = make.user(role="editor", municipality=town)
    base = f"/m/{town.slug}/admin/members"
    assert client.post(f"{base}/{editor.id}/grant", data={"role": "publisher"}).status_code == 302
    assert editor.roles_in(town.id) == {"editor", "publisher"}
    stranger = make.user()
    assert client.post(f"{base}/{stranger.id}/grant", data={"role": "admin"}).status_code == 404
    membership = next(m for m in editor.memberships if m.role == "editor")
    assert client.post(f"{base}/roles/{membership.id}/revoke").status_code == 302
    db.session.expire_all()
    assert editor.roles_in(town.id) == {"publisher"}
    own = next(m for m in admin.memberships if m.role == "admin")
    client.post(f"{base}/roles/{own.id}/revoke")
    db.session.expire_all()
    assert admin.roles_in(town.id) == {"admin"}
    assert "No se puede quitar al último administrador" in client.get(base).get_data(as_text=True)


def test_admin_of_another_municipality_cannot_revoke_here(client, db, make, login, muni):
    editor = make.user(role="editor", municipality=muni)
    login(role="admin", municipality=make.municipality())
    membership = editor.memberships[0]
    assert client.post(f"/m/intipuca/admin/members/roles/{membership.id}/revoke").status_code == 403


def test_members_page_runs_a_constant_number_of_queries(client, db, make, login, queries):
    town = make.municipality()
    login(role="admin", municipality=town)
    url = f"/m/{town.slug}/admin/members"
    client.get(url)
    with queries() as small:
        client.get(url)
    for _ in range(8):
        make.user(role="editor", municipality=town)
    with queries() as large:
        html = client.get(url).get_data(as_text=True)
    assert html.count("Quitar</button>") == 9
    assert large() == small()


def test_platform_admin_names_a_first_admin(client, db, make, login, mailbox):
    town = make.municipality()
    login(platform_admin=True)
    page = client.get(f"/admin/municipalities/first-admin?slug={town.slug}").get_data(as_text=True)
    assert f'<option selected value="{town.slug}">' in page
    response = client.post("/admin/municipalities/first-admin",
                           data={"municipality": town.slug, "email": "mayor@example.org"})
    assert response.status_code == 302
    assert "Administración" in mailbox.body(mailbox.last("mayor@example.org"))
    assert "/cuenta/invitacion/" in mailbox.body(mailbox.last("mayor@example.org"))


@pytest.mark.parametrize("url, data, allowed", [
    ("/cuenta/registro", {"email": "x@example.org", "password": "p" * 12, "confirm": "p" * 12}, 5),
    ("/cuenta/contrasena/olvido", {"email": "x@example.org"}, 5),
    ("/cuenta/entrar", {"email": "x@example.org", "password": "wrong-password"}, 10),
])
def test_visitor_forms_are_rate_limited(client, db, limits_on, url, data, allowed):
    """Per address: each attempt names another e-mail, the address is the same."""
    codes = [client.post(url, data={**data, "email": f"x{n}@example.org"}).status_code
             for n in range(allowed + 1)]
    assert 429 not in codes[:allowed]
    assert codes[-1] == 429
    assert "Demasiados intentos" in client.post(url, data=data).get_data(as_text=True)


@pytest.mark.parametrize("url, data", [
    ("/cuenta/registro", {"email": "victim@example.org", "password": "p" * 12, "confirm": "p" * 12}),
    ("/cuenta/contrasena/olvido", {"email": "victim@example.org"}),
])
def test_messages_to_one_mailbox_are_limited_whatever_the_address(client, db, limits_on, url, data):
    """Three messages an hour to one e-mail address, even from three different addresses."""
    codes = [client.post(url, data=data, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code
             for n in range(4)]
    assert 429 not in codes[:3] and codes[3] == 429
    other = client.post(url, data={**data, "email": "someone.else@example.org"},
                        environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code != 429


def test_failed_sign_ins_lock_the_address_even_for_the_right_password(client, db, make, limits_on):
    user = make.user()
    for _ in range(5):
        assert client.post("/cuenta/entrar", data={"email": user.email, "password": "nope nope"}).status_code == 200
    assert client.post("/cuenta/entrar", data={"email": user.email, "password": PASSWORD}).status_code == 429
    # Other addresses are not affected by the failures on this one.
    other = make.user()
    assert client.post("/cuenta/entrar", data={"email": other.email, "password": PASSWORD}).status_code == 302


def test_successful_sign_ins_do_not_count_as_failures(client, db, make, limits_on):
    user = make.user()
    for _ in range(6):
        assert client.post("/cuenta/entrar", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_the_only_admin_cannot_delete_the_account(client, db, make, login):
    town = make.municipality(name="Villa Sola")
    admin = login(role="admin", municipality=town)
    html = client.post("/cuenta/eliminar", data={"password": PASSWORD, "sure": "y"}).get_data(as_text=True)
    assert "única persona administradora de Villa Sola" in html and admin.deleted_at is None
    make.user(role="admin", municipality=town)
    assert client.post("/cuenta/eliminar", data={"password": PASSWORD, "sure": "y"}).status_code == 302
    assert admin.deleted_at is not None


def test_cli_grant_list_and_revoke(runner, db, make):
    town = make.municipality()
    user = make.user()
    keeper = make.user(role="admin", municipality=town)
    assert runner.invoke(args=["users", "grant", user.email, town.slug, "editor"]).exit_code == 0
    listing = runner.invoke(args=["users", "list", town.slug]).output
    assert f"{user.email}\teditor" in listing and f"{keeper.email}\tadmin" in listing
    result = runner.invoke(args=["users", "revoke", user.email, town.slug, "editor"])
    assert result.exit_code == 0, result.output
    assert user.email not in runner.invoke(args=["users", "list", town.slug]).output
    result = runner.invoke(args=["users", "revoke", keeper.email, town.slug, "admin"])
    assert result.exit_code == 1 and "último administrador" in result.output


def test_invitation_links_work_once_and_can_be_cancelled(app, client, db, make, login, muni, mailbox):
    login(role="admin", municipality=muni)
    client.post("/m/intipuca/admin/members/invite", data={"email": "once@example.org", "role": "moderator"})
    client.post("/m/intipuca/admin/members/invite", data={"email": "cancel.me@example.org", "role": "editor"})
    page = client.get("/m/intipuca/admin/members").get_data(as_text=True)
    assert "Invitaciones pendientes" in page and "once@example.org" in page and "cancel.me@example.org" in page
    once = mailbox.link("once@example.org", "/cuenta/invitacion/")
    cancelled = mailbox.link("cancel.me@example.org", "/cuenta/invitacion/")

    pending = {i.email: i for i in services.pending_invitations(muni)}
    assert client.post(f"/m/intipuca/admin/members/invitations/{pending['cancel.me@example.org'].id}/cancel"
                       ).status_code == 302
    visitor = app.test_client()
    _as_new_request()
    assert visitor.get(cancelled).status_code == 400

    data = {"password": "una clave bien larga", "confirm": "una clave bien larga"}
    assert visitor.post(once, data=data).status_code == 302
    user = services.find_by_email("once@example.org")
    assert user.roles_in(muni.id) == {"moderator"}
    # Revoked later, the old link cannot bring the role back.
    membership = user.memberships[0]
    _as_new_request()
    client.post(f"/m/intipuca/admin/members/roles/{membership.id}/revoke")
    _as_new_request()
    assert visitor.get(once).status_code == 400 and visitor.post(once).status_code == 400
    db.session.expire_all()
    assert user.roles_in(muni.id) == set()
    assert services.pending_invitations(muni) == []


def test_admin_of_another_municipality_cannot_cancel_invitations_here(app, client, db, make, login, muni, mailbox):
    with app.test_request_context():
        invitation = services.invite(muni, "kept@example.org", "editor")
    login(role="admin", municipality=make.municipality())
    _as_new_request()
    assert client.post(f"/m/intipuca/admin/members/invitations/{invitation.id}/cancel").status_code == 403
    assert invitation.is_pending
