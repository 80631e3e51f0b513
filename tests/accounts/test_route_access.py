"""Walks every route in the URL map: each view declares its policy, and every
non-public route refuses anonymous visitors, residents and staff of another
municipality. A new route that forgets its decorator fails here."""
import pytest

PUBLIC = "public"


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, app.view_functions[rule.endpoint]


def _url(rule):
    values = {}
    for arg in rule.arguments:
        converter = rule._converters.get(arg)
        if converter is None:  # an argument the rule fills from its defaults
            continue
        name = type(converter).__name__
        if arg == "slug":
            values[arg] = "intipuca"
        elif name in ("IntegerConverter", "FloatConverter"):
            values[arg] = 1
        elif name == "AnyConverter":
            values[arg] = sorted(converter.items)[0]
        else:
            values[arg] = "x"
    return rule, values


def test_every_route_declares_its_policy(app):
    missing = [rule.rule for rule, view in _routes(app) if not getattr(view, "access", None)]
    assert not missing, f"routes without a permission decorator: {missing}"


def _protected(app):
    out = []
    for rule, view in _routes(app):
        if view.access == PUBLIC:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((rule, method, view.access))
    return out


def _call(client, app, rule, method):
    with app.test_request_context():
        from flask import url_for

        _, values = _url(rule)
        url = url_for(rule.endpoint, **values)
    return client.open(url, method=method)


def test_anonymous_visitors_are_refused(app, client):
    checked = 0
    for rule, method, access in _protected(app):
        response = _call(client, app, rule, method)
        assert response.status_code in (302, 401, 403, 404), (rule.rule, method, response.status_code)
        if response.status_code == 302:
            assert "/cuenta/entrar" in response.headers["Location"], rule.rule
        checked += 1
    assert checked > 0


def test_residents_are_refused_on_staff_routes(app, client, login):
    login(role="resident")
    for rule, method, access in _protected(app):
        if access == "signed_in":
            continue
        response = _call(client, app, rule, method)
        assert response.status_code in (403, 404), (rule.rule, method, response.status_code)


def test_staff_of_another_municipality_are_refused(app, client, login, make):
    other = make.municipality()
    login(role="admin", municipality=other)
    for rule, method, access in _protected(app):
        if access == "signed_in" or "slug" not in rule.arguments:
            continue
        response = _call(client, app, rule, method)
        assert response.status_code in (403, 404), (rule.rule, method, response.status_code)


@pytest.mark.parametrize("role, allowed", [
    ("editor", {"editor"}), ("publisher", {"publisher", "editor"}), ("moderator", {"moderator"}),
    ("admin", {"editor", "publisher", "moderator", "admin", "verifier"}), ("verifier", {"verifier"}),
])
def test_role_implications(db, make, muni, role, allowed):
    from portal.accounts.permissions import effective_roles

    user = make.user(role=role, municipality=muni)
    assert effective_roles(user, muni) == allowed
    assert effective_roles(user, make.municipality()) == set()
