"""The web and the command line accept the same e-mail addresses (one validator)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.accounts import services
from portal.accounts.addresses import InvalidAddress, clean_address
from portal.accounts.forms import EmailOnlyForm

SAMPLES = ["ana@example.org", "  Ana.Perez@Example.ORG ", "admin", "a@localhost", "a@b", "a@b.local",
           "ñandú@example.org", "a" * 250 + "@example.org", "a@@example.org", "", "a b@example.org",
           "x@cabildo.test", "name+tag@sub.example.org"]


def _web_accepts(app, text):
    with app.test_request_context(method="POST", data={"email": text}):
        form = EmailOnlyForm(meta={"csrf": False})
        return form.validate()


def _cli_accepts(runner, text):
    result = runner.invoke(args=["users", "create-admin", text, "--password", "una clave bien larga"])
    return result.exit_code == 0


def _rule_accepts(text):
    try:
        clean_address(text)
    except InvalidAddress:
        return False
    return True


@pytest.mark.parametrize("text", SAMPLES)
def test_web_and_command_line_accept_the_same_addresses(app, runner, text):
    web = _web_accepts(app, text)
    assert web == _cli_accepts(runner, text) == _rule_accepts(text), text


def test_the_command_line_refuses_an_address_the_web_refuses(runner, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    result = runner.invoke(args=["users", "create-admin", "admin", "--password", "una clave bien larga"])
    assert result.exit_code != 0 and "“admin” is not a valid e-mail address" in result.output
    assert services.find_by_email("admin") is None


def test_an_invitation_to_a_bad_address_is_refused(client, login, muni, mailbox):
    login(role="admin", municipality=muni)
    page = client.post("/m/intipuca/admin/members/invite", data={"email": "a@localhost", "role": "editor"})
    assert "Escriba una dirección de correo válida." in page.get_data(as_text=True)
    with pytest.raises(services.AccountError):
        services.invite(muni, "a@localhost", "editor")
    assert mailbox.messages == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80) | st.emails())
def test_the_rule_is_the_one_the_forms_use(app, text):
    assert _web_accepts(app, text) == (_rule_accepts(text) and len(text) <= 254 and bool(text.strip()))
