"""A resident's whole account life in Chromium at phone size, with the e-mails
really travelling through the local SMTP server."""
import os
import time

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-test_browser_accounts")]

PASSWORD = "una frase larga de prueba"
NEW_PASSWORD = "otra frase larga distinta"


def _no_sideways_scroll(page):
    assert page.page_width() <= 360


def _sign_in(page, base, email, password):
    page.goto(f"{base}/cuenta/entrar")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(password)
    page.get_by_role("button", name="Entrar").click()


def test_sign_up_confirm_sign_in_reset_and_delete(phone, live_server, live_app, live_mailbox):
    page, base = phone, live_server
    email = f"vecina-{os.getpid()}-{time.time_ns()}@example.org"

    page.goto(f"{base}/")
    page.get_by_role("link", name="Crear cuenta").click()
    page.get_by_label("Nombre que verán los demás").fill("Vecina")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repita la contraseña").fill(PASSWORD)
    _no_sideways_scroll(page)
    page.shot("accounts-signup")
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page.locator("main")).to_contain_text("Le enviamos un mensaje")

    page.goto(live_mailbox.link(email, "/cuenta/confirmar/"))
    expect(page.locator("main")).to_contain_text("Su dirección quedó confirmada")

    _sign_in(page, base, email, PASSWORD)
    expect(page.locator("main")).to_contain_text("Sesión iniciada")
    page.get_by_role("link", name="Vecina").click()
    assert email in page.inner_text("main")
    _no_sideways_scroll(page)
    page.shot("accounts-profile")
    page.get_by_role("button", name="Salir").click()
    expect(page.locator("main")).to_contain_text("Sesión cerrada")

    page.goto(f"{base}/cuenta/entrar")
    page.get_by_role("link", name="¿Olvidó su contraseña?").click()
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_role("button", name="Enviar enlace").click()
    expect(page.locator("main")).to_contain_text("Si la dirección tiene una cuenta")
    page.goto(live_mailbox.link(email, "/cuenta/contrasena/nueva/"))
    page.get_by_label("Nueva contraseña").fill(NEW_PASSWORD)
    page.get_by_label("Repita la contraseña").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Guardar contraseña").click()
    expect(page.locator("main")).to_contain_text("Su contraseña cambió")

    _sign_in(page, base, email, PASSWORD)
    expect(page.locator("main")).to_contain_text("no son correctos")
    _sign_in(page, base, email, NEW_PASSWORD)
    expect(page.locator("main")).to_contain_text("Sesión iniciada")

    page.goto(f"{base}/cuenta/perfil")
    page.get_by_role("link", name="Eliminar mi cuenta").click()
    page.get_by_label("Contraseña actual").fill(NEW_PASSWORD)
    page.get_by_label("Entiendo que mi cuenta se elimina").check()
    _no_sideways_scroll(page)
    page.shot("accounts-delete")
    page.get_by_role("button", name="Eliminar mi cuenta").click()
    expect(page.locator("main")).to_contain_text("Su cuenta fue eliminada")
    assert page.get_by_role("link", name="Entrar").count() == 1

    with live_app.app_context():
        from portal.accounts.services import find_by_email

        assert find_by_email(email) is None
    _sign_in(page, base, email, NEW_PASSWORD)
    expect(page.locator("main")).to_contain_text("no son correctos")


def test_history_page_at_phone_size_without_javascript(phone_nojs, live_server):
    page = phone_nojs
    page.goto(f"{live_server}/m/intipuca/")
    page.get_by_role("link", name="Historial de cambios").first.click()
    assert page.get_by_role("heading", name="Historial de cambios").count() == 1
    page.get_by_label("Desde").fill("2000-01-01")
    page.get_by_role("button", name="Filtrar").click()
    assert "desde=2000-01-01" in page.url
    expect(page.locator("main")).to_contain_text("Huella más reciente")
    _no_sideways_scroll(page)
    page.shot("audit-history")


def test_admin_invites_a_colleague_at_phone_size(phone, live_server, live_app, live_mailbox):
    from portal.accounts import services
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    admin_email = f"alcaldia-{os.getpid()}-{time.time_ns()}@example.org"
    colleague = f"colega-{os.getpid()}-{time.time_ns()}@example.org"
    with live_app.app_context():
        admin = services.create_user(admin_email, PASSWORD, display_name="Alcaldía", confirmed=True)
        services.grant(admin, get_by_slug("intipuca"), "admin")
        db.session.commit()
    page = phone
    _sign_in(page, live_server, admin_email, PASSWORD)
    page.goto(f"{live_server}/m/intipuca/admin/members")
    page.get_by_label("Correo electrónico").fill(colleague)
    page.get_by_label("Rol", exact=True).select_option("editor")
    page.get_by_role("button", name="Enviar invitación").click()
    expect(page.locator("main")).to_contain_text("Invitación enviada")
    _no_sideways_scroll(page)
    page.shot("accounts-members")

    page.get_by_role("button", name="Salir").click()
    page.goto(live_mailbox.link(colleague, "/cuenta/invitacion/"))
    page.get_by_label("Contraseña", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repita la contraseña").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Crear cuenta y aceptar").click()
    expect(page.locator("main")).to_contain_text("Ahora colabora con Intipucá")
    expect(page.locator("main")).to_contain_text("Edición (personal municipal)")
