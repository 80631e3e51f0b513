"""``flask --app wsgi demo staff``: a demo staff account that signs in."""
import re


def _credentials(output):
    email = re.search(r"e-mail:\s+(\S+)", output).group(1)
    password = re.search(r"password:\s+(\S+)", output).group(1)
    return email, password


def test_demo_staff_prints_an_account_that_signs_in_as_publisher(runner, client, muni):
    result = runner.invoke(args=["demo", "staff"])
    assert result.exit_code == 0, result.output
    email, password = _credentials(result.output)
    from portal.accounts.services import authenticate, find_by_email

    user = authenticate(email, password)
    assert user is not None and user.confirmed_at is not None
    assert {(m.municipality.slug, m.role) for m in find_by_email(email).memberships} == {("intipuca", "publisher")}
    again = runner.invoke(args=["demo", "staff"])
    assert _credentials(again.output)[0] == email and _credentials(again.output)[1] != password
    assert authenticate(email, password) is None  # each run gives a new password
    assert authenticate(email, _credentials(again.output)[1]) is not None


def test_demo_staff_takes_roles_and_refuses_unknown_ones(runner, muni):
    result = runner.invoke(args=["demo", "staff", "--role", "editor", "--role", "moderator"])
    assert result.exit_code == 0, result.output
    from portal.accounts.services import find_by_email

    user = find_by_email(_credentials(result.output)[0])
    assert sorted(m.role for m in user.memberships) == ["editor", "moderator"]
    assert runner.invoke(args=["demo", "staff", "--role", "mayor"]).exit_code != 0
    assert runner.invoke(args=["demo", "staff", "--municipality", "nowhere"]).exit_code != 0


def test_demo_staff_is_refused_in_production(runner, app, muni, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    result = runner.invoke(args=["demo", "staff"])
    assert result.exit_code != 0 and "production" in result.output


def test_readme_documents_the_port_and_the_demo_staff_command():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readme, makefile = (root / "README.md").read_text(), (root / "Makefile").read_text()
    assert "make run PORT=" in readme and "--bind $(HOST):$(PORT)" in makefile
    assert "flask --app wsgi demo staff" in readme and "make demo-staff" in readme
    assert re.search(r"^demo-staff:.*\n\t\$\(FLASK\) demo staff$", makefile, re.M)
