"""A new domain is one package: a toy domain declared here, in the test, with nothing
edited anywhere else, appears in the data catalog, the Atom feeds, the municipality home
and the comparisons.

The toy is "plazas" (public squares): it declares a home section with its page, an open
dataset (one row per district), an Atom topic with its change record section, a
comparison metric with the function that collects it, a calendar (its dated events) and
a demo loader. Its
``init_app`` is the house's one registration shape: ``register(DOMAIN)`` plus its
blueprint. docs/architecture.md walks through this same example.
"""
from datetime import date
from decimal import Decimal

import pytest
from flask import g, render_template_string, url_for
from flask_babel import lazy_gettext as _l

from portal.accounts.permissions import public
from portal.core import ical, registry
from portal.core.registry import (HIGHER, C, Calendar, Collected, Comparison, Dataset, DemoLoader, Domain,
                                  Happening, Metric, N_, Topic)
from portal.core.sections import Section
from portal.core.tenancy import tenant_blueprint

pytestmark = pytest.mark.xdist_group("toy")

# ---- the toy domain: what would be portal/plazas/{views,exports,manifest,__init__}.py ----

bp = tenant_blueprint("plazas", __name__, "/plazas")
loaded = []


@bp.route("/")
@public
def index():
    return render_template_string("<h1>Plazas de {{ name }}</h1>", name=g.municipality.name)



def squares(municipality):
    """Dataset rows: one square per district, its number of benches."""
    for number, district in enumerate(sorted(municipality.districts, key=lambda d: d.name), 1):
        yield {"district": district.name, "square": f"Plaza {district.name}", "benches": 4 * number}


def shade(municipality, today: date, metrics) -> dict:
    """Comparison values: the share of shaded benches (a toy figure from the population)."""
    if not municipality.population:
        return {}
    value = Decimal(municipality.population % 97) / Decimal(100)
    return {"plazas.shade": Collected(str(today.year), value, data_date=today,
                                      url=f"/m/{municipality.slug}/plazas/")}


def inaugurations(municipality):
    """Calendar events: each district's square opens on the first of July."""
    return [ical.Event(f"plazas-{d.id}-opens", f"Inauguración: Plaza {d.name}", date(2026, 7, 1), None, "",
                       url_for("plazas.index", _external=True)) for d in municipality.districts]


def announced(municipality, limit):
    """What the home announces: the central square's opening."""
    return [Happening("Inauguración de la plaza central", date(2026, 7, 1), None,
                      url_for("plazas.index", slug=municipality.slug, _external=True), "Abre la plaza.")][:limit]


DOMAIN = Domain(
    key="plazas",
    order=70,
    sections=(Section(key="plazas", title=_l("Plazas públicas"), endpoint="plazas.index", order=85,
                      has_data=lambda municipality: True, empty_text=_l("Todavía no hay plazas."),
                      description=_l("Las plazas del municipio y sus bancas.")),),
    datasets=(Dataset("plazas", N_("Plazas y bancas"), "Squares and benches",
                      "Cada plaza de cada distrito con su número de bancas.", "plazas", "SOCI", "SOCI",
                      ("plazas", "espacio público"),
                      (C("district", "distrito"), C("square", "plaza"), C("benches", "bancas", "integer")),
                      squares, "plazas.index", package=lambda municipality: {"spatial": municipality.name}),),
    topics=(Topic("plazas", ("plazas",)),),
    record_sections=(("plazas", _l("Plazas públicas")),),
    demo=DemoLoader(90, lambda: loaded.append("plazas")),
    calendar=Calendar(40, inaugurations, announced),
    comparison=Comparison(order=60, metrics=(
        Metric("plazas.shade", "Bancas a la sombra", "plazas", "ratio", HIGHER,
               (Decimal("0.6"), Decimal("0.4"), Decimal("0.2")), 365, title=_l("Bancas a la sombra"),
               family_title=_l("Plazas públicas")),), collect=shade, sections=("plazas",)),
)


def init_app(app):
    registry.register(DOMAIN)
    app.register_blueprint(bp)


# ---- the test ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def toy_app(fresh_database):
    from portal import create_app
    from portal.demo.cli import load_demo
    from portal.extensions import db
    from tests.conftest import dispose

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SQLALCHEMY_DATABASE_URI": fresh_database("toy"), "WTF_CSRF_ENABLED": False,
                      "PUBLIC_URL": "http://localhost", "RATELIMIT_ENABLED": False})
    init_app(app)  # the one line a new domain adds to the app factory (portal.DOMAINS)
    try:
        with app.app_context():
            db.create_all()
            load_demo(echo=lambda *_: None)
        yield app
    finally:
        registry.unregister("plazas")
        dispose(app)


def test_a_toy_domain_appears_everywhere_without_editing_another_package(toy_app):
    from portal.audit.services import append
    from portal.compare.services import refresh
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    assert loaded == ["plazas"]  # its demo loader ran with the others
    client = toy_app.test_client()
    with toy_app.app_context():
        muni = get_by_slug("intipuca")
        append(db.session, municipality_id=muni.id, action="create", section="plazas", object_type="Plaza",
               object_id=1, summary="Plaza central")
        refresh(today=date.today())
        db.session.commit()
        districts = sorted(d.name for d in muni.districts)

    # the municipality home: its card, linking to its page
    home = client.get("/m/intipuca/").get_data(as_text=True)
    assert "Plazas públicas" in home and 'href="/m/intipuca/plazas/"' in home
    assert client.get("/m/intipuca/plazas/").status_code == 200

    # the data catalog: the pages, the read API, the downloads, DCAT and data.json
    assert "Plazas y bancas" in client.get("/m/intipuca/datos/").get_data(as_text=True)
    listing = client.get("/api/v1/municipalities/intipuca/datasets").get_json()
    assert "plazas" in [item["key"] for item in listing["items"]]
    rows = client.get("/api/v1/municipalities/intipuca/datasets/plazas").get_json()["items"]
    assert [row["district"] for row in rows] == districts and rows[0]["benches"] == 4
    csv = client.get("/api/v1/municipalities/intipuca/datasets/plazas/data.csv").get_data(as_text=True)
    assert csv.lstrip("\ufeff").splitlines()[0] == "distrito,plaza,bancas"
    assert "/m/intipuca/datos/plazas" in client.get("/m/intipuca/catalog.ttl").get_data(as_text=True)
    assert "Plazas y bancas" in client.get("/m/intipuca/data.json").get_data(as_text=True)
    package = client.get("/api/v1/municipalities/intipuca/datasets/plazas/datapackage.json").get_json()
    assert package["spatial"] == "Intipucá" and package["resources"]  # what the dataset adds to its descriptor
    parameters = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/datasets"]["get"]["parameters"]
    assert "plazas" in next(p for p in parameters if p["name"] == "topic")["schema"]["enum"]  # the read API's filter

    # the Atom feeds: its own topic, and its section named in the municipality's feed
    feed = client.get("/m/intipuca/feed/plazas.atom")
    assert feed.status_code == 200 and "Plaza central" in feed.get_data(as_text=True)
    assert "Intipucá: Plazas públicas" in feed.get_data(as_text=True)
    everything = client.get("/m/intipuca/feed.atom").get_data(as_text=True)
    assert "Plazas públicas · creó Plaza central" in everything
    assert "/datasets/plazas/data.csv" in everything  # the entry encloses the dataset it changed

    # the calendars: its events in the municipality's iCalendar file, its opening announced by the home
    calendar = client.get("/m/intipuca/calendario.ics").get_data(as_text=True)
    assert calendar.count("UID:plazas-") == len(districts) and "Inauguración: Plaza" in calendar
    assert '"name":"Inauguración de la plaza central"' in home  # the home's schema.org events

    # the comparisons: its metric, compared across municipalities
    compared = client.get("/comparar/plazas.shade.csv")
    assert compared.status_code == 200 and "intipuca" in compared.get_data(as_text=True)
    assert "Bancas a la sombra" in client.get("/m/intipuca/comparar/").get_data(as_text=True)
    assert "Plazas públicas: Bancas a la sombra" in client.get("/comparar/").get_data(as_text=True)


def test_without_the_toy_nothing_of_it_remains(toy_app, client):
    """The registry is the only place the toy lived: once unregistered it is gone (the
    shared app never had its blueprint)."""
    assert registry.dataset("plazas") is not None
    registry.unregister("plazas")
    try:
        assert registry.dataset("plazas") is None and "plazas" not in registry.topics()
        assert client.get("/m/intipuca/feed/plazas.atom").status_code == 404
        assert client.get("/api/v1/municipalities/intipuca/datasets/plazas").status_code == 404
        assert "UID:plazas-" not in client.get("/m/intipuca/calendario.ics").get_data(as_text=True)
    finally:
        registry.register(DOMAIN)
