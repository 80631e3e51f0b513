"""A form sent with a stale or missing CSRF token comes back with everything typed in it
and a fresh token (or, where the page cannot be shown again, a one-tap resend of the same
values), never a dead end; the files chosen are kept for the next send; nothing is written."""
import io
import os
import re
import time

import pytest
from PIL import Image

from tests.surface.forms import TEXT_TYPES, read_forms
from tests.surface.pages import make_staff, pages

pytestmark = pytest.mark.xdist_group("browser-test_expired_forms")  # shares the live app with the browser tests


@pytest.fixture(autouse=True)
def _live(live_server):
    """The live app's connections are closed by the live server's teardown (PostgreSQL
    warns about any left open), so these tests hold it too."""

STALE = "IjU5ZjY1YTVlNzY3ZDY1ZTUi.stale.token"
EXPIRED = "El formulario caducó antes de enviarse"


def _client(live_app, role, staff_id=None):
    client = live_app.test_client()
    if role == "staff":
        from portal.accounts.models import User
        from portal.extensions import db

        with live_app.app_context():
            user_id = db.session.get(User, staff_id).get_id()
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
    return client


def _fill(form):
    """What a person would type into every control they can reach: (data, expected)."""
    data, expected = [], {}
    groups = {}
    for number, control in enumerate(form.controls):
        if control.name.endswith("csrf_token"):
            data.append((control.name, STALE))
        elif control.type == "hidden" or control.hidden_by_page or control.type in ("submit", "button", "file",
                                                                                     "password", "image", "reset"):
            if control.type in ("hidden",) or control.hidden_by_page and control.type in TEXT_TYPES:
                data.append((control.name, control.value))
        elif control.type in TEXT_TYPES or control.type == "textarea":
            value = f"kept{number}@example.org" if control.type == "email" or "mail" in control.name \
                else f"Escrito {number} ñandú"
            data.append((control.name, value))
            expected[control.name] = value
        elif control.type == "number":
            data.append((control.name, str(40 + number)))
            expected[control.name] = str(40 + number)
        elif control.type == "date":
            value = f"2031-01-{number % 27 + 1:02d}"
            data.append((control.name, value))
            expected[control.name] = value
        elif control.tag == "select":
            values = [value for value, _selected in control.options if value]
            if values:
                data.append((control.name, values[-1]))
                expected[control.name] = values[-1]
        elif control.type in ("checkbox", "radio"):
            groups.setdefault(control.name, []).append(control)
    for name, controls in groups.items():
        chosen = controls[-1]
        data.append((name, chosen.value or "y"))
        if len(controls) == 1 or chosen.type == "radio":
            expected[name] = chosen.value or "y"
    return data, expected


def _post(client, url, data, multipart):
    from werkzeug.datastructures import MultiDict

    body = MultiDict(data)
    return client.post(url, data=body, headers={"Origin": "http://localhost", "Referer": "http://localhost" + url},
                       content_type="multipart/form-data" if multipart else None)


def _check(page, form, response, expected):
    """Problems with the answer to a stale send of ``form`` (empty when it is right)."""
    html = response.get_data(as_text=True)
    if response.status_code >= 500 or response.status_code in (302, 303):
        return [f"answered {response.status_code}"]
    path = form.path(page.url.split("?")[0])
    again = [f for f in read_forms(html) if f.method == "post" and f.path(path) == path]
    if not again:
        return ["no form to send again"]
    problems = []
    if EXPIRED not in html:
        problems.append("no message")
    target = again[0] if len(again) == 1 else next(
        (f for f in again if all(f.value(name) is not None for name in expected)), again[0])
    token = next((target.value(c.name) for c in target.controls if c.name.endswith("csrf_token")), None)
    if not token or token == STALE:
        problems.append(f"token {token!r}")
    for name, value in expected.items():
        if target.value(name) != value:
            problems.append(f"{name}: {target.value(name)!r} != {value!r}")
    return problems


def test_every_form_sent_with_a_stale_token_comes_back_with_what_was_typed(live_app):
    """Every form on every page (public pages as a visitor and as staff), one per address
    it posts to: a form whose page shows it again, and an action button (a POST-only
    address) offered again with a fresh token. A stale token never runs anything."""
    staff = make_staff(live_app, f"forms-{os.getpid()}-{time.time_ns()}@example.org")
    clients = {"anonymous": _client(live_app, "anonymous"), "staff": _client(live_app, "staff", staff)}
    visits = [(page, page.role) for page in pages(live_app)]
    visits += [(page, "staff") for page, role in visits if role == "anonymous"]
    seen, replayed, failures = set(), 0, {}
    for page, role in visits:
        client = clients[role]
        response = client.get(page.url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        path = page.url.split("?")[0]
        for form in read_forms(response.get_data(as_text=True)):
            target = form.path(path)
            if form.method != "post" or target in seen or target.startswith(("/api/", "/open311/")):
                continue
            seen.add(target)
            action = form.action or page.url  # url_for paths, or empty: the page itself
            data, expected = _fill(form)
            answer = _post(client, action, data, "multipart" in form.enctype)
            problems = _check(page, form, answer, expected)
            replayed += target == path
            if problems:
                failures[f"{target} (from {page.url})"] = problems
    assert replayed >= 30 and len(seen) >= 80, (replayed, len(seen))
    assert not failures, failures


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _report_page(client):
    from portal.participation.complaints.models import Category

    html = client.get("/m/intipuca/reclamos/nuevo").get_data(as_text=True)
    service = re.search(r'nuevo\?servicio=([^"&]+)"', html).group(1)
    url = f"/m/intipuca/reclamos/nuevo?servicio={service}"
    return url, read_forms(client.get(url).get_data(as_text=True))[-1], Category


def test_a_complaint_sent_with_a_stale_token_keeps_its_photo_and_goes_through_on_the_next_send(live_app):
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.participation.complaints.models import Report

    client = live_app.test_client()
    url, form, _category = _report_page(client)
    data, _expected = _fill(form)
    fields = {name: value for name, value in data}
    fields.update(description="La tapa del pozo está rota", address="Frente a la iglesia", contact_email="",
                  lat="", long="", neighbourhood="")
    with live_app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Report))
    first = client.post(url, data={**fields, "photo": (io.BytesIO(_photo()), "pozo.png")},
                        headers={"Origin": "http://localhost"}, content_type="multipart/form-data")
    html = first.get_data(as_text=True)
    assert EXPIRED in html and "pozo.png" in html
    assert "Revise los campos marcados" not in html  # said once, and no field is wrong
    again = read_forms(html)[-1]
    assert again.value("description") == "La tapa del pozo está rota"
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == before  # nothing written
    resend = {control.name: again.value(control.name) or "" for control in again.controls
              if control.type not in ("file", "submit")}
    resend["photo"] = (io.BytesIO(b""), "")  # the file field comes back empty, as a browser sends it
    second = client.post(url, data=resend, headers={"Origin": "http://localhost"},
                         content_type="multipart/form-data")
    assert second.status_code == 302, re.findall(r'class="(?:error[^"]*|flash[^"]*)"[^>]*>([^<]*)',
                                                  second.get_data(as_text=True))
    code = second.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    with live_app.app_context():
        report = db.session.scalar(select(Report).where(Report.code == code))
        assert report.description == "La tapa del pozo está rota"
        assert report.photo, "the held photo was not used"


def test_a_form_without_a_token_from_another_site_gets_no_second_chance(live_app):
    client = live_app.test_client()
    url, form, _category = _report_page(client)
    data, _expected = _fill(form)
    response = client.post(url, data=dict(data), headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 400
    assert "El formulario caducó o no es válido" in response.get_data(as_text=True)
    assert not [f for f in read_forms(response.get_data(as_text=True)) if f.method == "post"
                and f.value("description")]


def test_a_survey_page_sent_with_a_stale_token_is_offered_again_and_records_nothing(live_app):
    """A survey page validates by hand: shown again it would write, so the replay is refused
    and the same answers are offered for sending again."""
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.municipalities.models import Municipality
    from portal.participation.surveys.models import Survey, SurveyResponse

    client = live_app.test_client()
    with live_app.app_context():
        surveys = db.session.scalars(select(Survey.id).join(Municipality).where(
            Municipality.slug == "intipuca", Survey.status == "published").order_by(Survey.id)).all()
        before = db.session.scalar(select(func.count()).select_from(SurveyResponse))
    for survey_id in surveys:  # the first one open to anyone
        url = f"/m/intipuca/encuestas/{survey_id}/responder/una-pagina"
        forms = [f for f in read_forms(client.get(url).get_data(as_text=True)) if f.method == "post"]
        if forms:
            break
    data, expected = _fill(forms[-1])
    response = _post(client, url, data, False)
    again = [f for f in read_forms(response.get_data(as_text=True)) if f.method == "post"]
    assert again and again[-1].value("csrf_token") not in (None, STALE)
    for name, value in expected.items():
        assert again[-1].value(name) == value, name
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == before


@pytest.mark.parametrize("language, words", [
    ("en", "The form expired before it was sent"), ("pt", "O formulário expirou antes de ser enviado")])
def test_the_notice_is_in_the_visitors_language(live_app, language, words):
    client = live_app.test_client()
    client.set_cookie("lang", language)
    url, form, _category = _report_page(client)
    data, _expected = _fill(form)
    html = _post(client, url, data, True).get_data(as_text=True)
    assert words in html and EXPIRED not in html


def test_a_complaint_already_stored_sent_again_with_a_stale_token_lands_on_it_without_the_notice(live_app):
    """The same complaint (its key) sent again after its token expired: the page it landed on
    the first time, and no "nothing was saved" notice, since it was."""
    client = live_app.test_client()
    url = "/m/intipuca/reclamos/nuevo?servicio=cementerio"  # no extra questions
    form = read_forms(client.get(url).get_data(as_text=True))[-1]
    fields = {c.name: form.value(c.name) or "" for c in form.controls if c.type not in ("file", "submit")}
    fields.update(description="Cruz caída en la entrada", address="Portón norte", website="", confirm_new="1")
    first = client.post(url, data=fields, headers={"Origin": "http://localhost"})
    assert first.status_code == 302, re.findall(r'class="(?:error[^"]*|flash[^"]*)"[^>]*>([^<]*)',
                                                 first.get_data(as_text=True))
    fields["csrf_token"] = STALE
    again = client.post(url, data=fields, headers={"Origin": "http://localhost"})
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    landed = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Cruz caída en la entrada" in landed and EXPIRED not in landed
