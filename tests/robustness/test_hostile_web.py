"""Hostile visitors: markup typed into every text field comes back escaped; uploads that
lie about themselves are refused or defused; redirects stay on the portal; filters and
sorts are not SQL; the session is new after sign-in; another municipality's objects
answer 404."""
import io

import pytest
from sqlalchemy import func, select

from bench.load.htmlforms import Forms, fill

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'><b>negrita</b>'
ESCAPED = "&lt;script&gt;alert("


def _assert_escaped(page: str, where: str):
    assert "<script>alert(" not in page and "<img src=x onerror" not in page, where
    assert "<b>negrita</b>" not in page, where
    assert ESCAPED in page, where


@pytest.fixture
def no_limits():
    from portal.extensions import limiter

    saved = limiter.enabled
    limiter.enabled = False
    yield
    limiter.enabled = saved


def test_markup_in_a_report_comes_back_escaped(client, login, muni, no_limits):
    r = client.post("/m/intipuca/reclamos/nuevo?servicio=alumbrado", data={
        "description": PAYLOAD, "address": PAYLOAD, "contact_name": PAYLOAD, "attr_falla": "dia",
        "attr_poste": PAYLOAD, "idempotency_key": "k" * 24, "confirm_new": "1"})
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    public = client.get(r.headers["Location"]).get_data(as_text=True)
    _assert_escaped(public, "tracking page")
    from portal.participation.complaints.models import Report
    from portal.extensions import db

    report = db.session.execute(select(Report).where(Report.idempotency_key == "k" * 24)).scalar_one()
    login(role="moderator", municipality=muni)
    staff = client.get(f"/m/intipuca/reclamos/gestion/{report.id}").get_data(as_text=True)
    _assert_escaped(staff, "staff page")
    assert client.get("/m/intipuca/reclamos/gestion/").status_code == 200


def test_markup_in_survey_answers_comes_back_escaped(client, login, muni, no_limits):
    from datetime import date

    from portal.extensions import db
    from portal.participation.surveys.models import Survey

    survey = next(s for s in db.session.execute(select(Survey)).scalars()
                  if s.is_published and s.opens_on <= date.today() and not s.is_closed(date.today()))
    page = client.get(f"/m/intipuca/encuestas/{survey.id}/responder")
    for _ in range(12):
        form = Forms(page.get_data(as_text=True)).post_form("/responder")
        r = client.post(form["action"], data={**fill(form, PAYLOAD), "action": "next"})
        assert r.status_code == 302, r.get_data(as_text=True)[:2000]
        if "/gracias" in r.headers["Location"]:
            break
        page = client.get(r.headers["Location"])
    login(role="admin", municipality=muni)
    moderation = client.get(f"/m/intipuca/encuestas/gestion/{survey.id}/moderacion").get_data(as_text=True)
    _assert_escaped(moderation, "moderation page")


def test_markup_in_a_proposal_and_a_name_comes_back_escaped(client, login, muni, make):
    from datetime import date, timedelta

    from portal.participation.budgeting import services

    today = date.today()
    process = services.save_process(muni, None, title=PAYLOAD, budget=1000, purpose=PAYLOAD,
                                    proposals_open=today - timedelta(days=1),
                                    proposals_close=today + timedelta(days=5),
                                    voting_open=today + timedelta(days=10),
                                    voting_close=today + timedelta(days=20))
    process.status = "published"
    user = make.user()
    user.name = PAYLOAD
    login(user)
    r = client.post(f"/m/intipuca/presupuesto/{process.id}/proponer",
                    data={"title": PAYLOAD[:120], "description": PAYLOAD, "cost": "100", "place": PAYLOAD})
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    _assert_escaped(client.get("/m/intipuca/presupuesto/mis-propuestas").get_data(as_text=True), "proposals")
    _assert_escaped(client.get(f"/m/intipuca/presupuesto/{process.id}").get_data(as_text=True), "process page")


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 200)).save(out, "PNG")
    return out.getvalue()


def test_uploads_refuse_liars_and_defuse_polyglots(client, app, muni, no_limits):
    url = "/m/intipuca/reclamos/nuevo?servicio=aseo"
    base = {"description": "Basura", "address": "Esquina", "confirm_new": "1"}
    html = b"<html><script>alert(1)</script></html>"
    cases = {
        "mislabelled": (html, "foto.jpg", "image/jpeg"),
        "executable": (b"MZ\x90\x00" + b"\x00" * 200, "foto.png", "image/png"),
        "svg with script": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                            "foto.svg", "image/svg+xml"),
    }
    for n, (data, name, mimetype) in enumerate(cases.values()):
        r = client.post(url, data={**base, "idempotency_key": f"upload-refused-{n:08d}",
                                   "photo": (io.BytesIO(data), name, mimetype)},
                        content_type="multipart/form-data")
        assert r.status_code in (200, 413), (name, r.status_code)  # the form again, with the reason
        if r.status_code == 200:
            assert "foto" in r.get_data(as_text=True).lower()
    from portal.extensions import db
    from portal.participation.complaints.models import Report

    assert db.session.execute(select(func.count(Report.id)).where(
        Report.idempotency_key.like("upload-refused-%"))).scalar() == 0
    from portal.core.uploads import MAX_IMAGE_BYTES, UploadError, save_image

    with pytest.raises(UploadError, match="8 MB"):  # a photo over its own limit
        save_image(muni.id, _png() + b"\x00" * MAX_IMAGE_BYTES)
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # any request over the server's limit: 413
    try:
        r = client.post(url, data={**base, "idempotency_key": "upload-refused-big",
                                   "photo": (io.BytesIO(b"\xff" * 100_000), "grande.jpg", "image/jpeg")},
                        content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert r.status_code == 413 and "demasiado grande" in r.get_data(as_text=True)
    polyglot = _png() + html  # a valid image carrying a page behind it
    r = client.post(url, data={**base, "idempotency_key": "upload-polyglot-0001",
                               "photo": (io.BytesIO(polyglot), "foto.png", "image/png")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    report = db.session.execute(select(Report).where(Report.idempotency_key == "upload-polyglot-0001")).scalar_one()
    served = client.get(f"/files/{muni.id}/{report.photo}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"<script>" not in served.data and served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()
    assert client.get(f"/files/{muni.id}/..%2F..%2Fsecret_key").status_code == 404


EVIL = ["//evil.example", "https://evil.example/x", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
        "http:/evil.example", " //evil.example", "/%2F%2Fevil.example", "https:evil.example", "\t//evil.example"]


@pytest.mark.parametrize("target", EVIL)
def test_redirects_stay_on_the_portal(client, make, target, no_limits):
    from tests.conftest import PASSWORD

    for response in (client.get("/lang/en", query_string={"next": target}),
                     client.post("/cuenta/entrar", query_string={"next": target},
                                 data={"email": make.user().email, "password": PASSWORD})):
        assert response.status_code == 302
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
        assert "evil" not in location.split("?")[0] or location.startswith("/%2F"), location


INJECTIONS = ["' OR '1'='1", "1; DROP TABLE municipalities; --", "1 UNION SELECT password_hash FROM users",
              "name DESC; --"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_filters_and_sorts_are_not_sql(client, login, muni, value, no_limits):
    from portal.extensions import db
    from portal.municipalities.models import Municipality

    before = db.session.execute(select(func.count(Municipality.id))).scalar()
    listing = client.get("/api/v1/municipalities", query_string={"country": value, "page": value, "per_page": value})
    assert listing.status_code in (200, 400, 404) and (listing.status_code != 200 or not listing.get_json()["items"])
    for url, params in [("/api/v1/datasets", {"country": value, "topic": value, "limit": value, "offset": value}),
                        ("/m/intipuca/comparar/", {"orden": value}),
                        ("/m/intipuca/presupuesto/1/resultados", {"rule": value}),
                        ("/m/intipuca/reclamos/seguimiento", {"codigo": value}),
                        ("/open311/v2/requests.json", {"jurisdiction_id": "intipuca", "status": value,
                                                       "service_code": value, "start_date": value})]:
        assert client.get(url, query_string=params).status_code < 500, url
    login(role="moderator", municipality=muni)
    inbox = client.get("/m/intipuca/reclamos/gestion/", query_string={
        "estado": value, "servicio": value, "distrito": value, "unidad": value, "vencidos": value})
    assert inbox.status_code == 200
    assert db.session.execute(select(func.count(Municipality.id))).scalar() == before


def test_session_is_new_after_sign_in(client, make, no_limits):
    from tests.conftest import PASSWORD

    user = make.user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    r = client.post("/cuenta/entrar", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("_user_id") == user.get_id()


def test_another_municipality_never_shows_these_objects(app, client, login, make, muni):
    """Every page that takes an object id, asked under another municipality's address by
    that municipality's admin, with the ids of this municipality's objects: 404."""
    other = make.municipality()
    login(role="admin", municipality=other)
    checked, shown = 0, []
    for rule in app.url_map.iter_rules():
        ints = [a for a in rule.arguments if type(rule._converters.get(a)).__name__ == "IntegerConverter"]
        if "slug" not in rule.arguments or not ints or "GET" not in rule.methods or "seq" in ints:
            continue  # ``seq`` numbers each municipality's own change record: 1 exists everywhere
        values = {a: 1 for a in ints}
        for a in rule.arguments - set(values) - {"slug"}:
            converter = rule._converters.get(a)
            values[a] = sorted(converter.items)[0] if hasattr(converter, "items") else "x"
        url = rule.build({**values, "slug": other.slug}, append_unknown=False)[1]
        response = client.get(url)
        if response.status_code != 404:
            shown.append((rule.rule, response.status_code))
        response.close()
        checked += 1
    assert not shown and checked >= 10


def test_values_the_database_cannot_hold_are_refused_not_500(client, muni, no_limits):
    """A NUL byte in a text (PostgreSQL refuses it) or an id past the integer columns."""
    from portal.extensions import db
    from portal.participation.complaints.models import Report

    r = client.post("/m/intipuca/reclamos/nuevo?servicio=aseo", data={
        "description": "Basura\x00oculta", "address": "Esquina", "idempotency_key": "nul-byte-report-0001",
        "confirm_new": "1"})
    assert r.status_code in (302, 400), r.status_code
    stored = db.session.execute(select(func.count(Report.id)).where(
        Report.idempotency_key == "nul-byte-report-0001")).scalar()
    assert stored == (1 if r.status_code == 302 else 0)
    for url in ("/api/v1/municipalities/intipuca/budgeting/processes/2147483648/results",
                "/m/intipuca/presupuesto/99999999999999999999", "/m/intipuca/encuestas/2147483648/"):
        assert client.get(url).status_code == 404, url
