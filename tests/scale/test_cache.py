"""The page cache: published pages come from the cache until something is published,
never for signed-in people or with a flashed message, and per language."""
import pytest


@pytest.fixture
def page_cache(memory_cache):
    """Turn the in-process page cache on for one test."""
    from portal.core.caching import forget_heads

    forget_heads()  # each test's database starts afresh: so do the heads a process remembers
    yield
    forget_heads()


FINANCE = "/m/intipuca/finanzas/"


def test_published_page_is_served_from_the_cache_until_a_publication(page_cache, client, muni, db, queries):
    from decimal import Decimal

    from portal.finance import services

    first = client.get(FINANCE)
    assert first.headers["X-Cache"] == "miss"
    with queries() as n:
        again = client.get(FINANCE)
        cached_queries = n()
    assert again.headers["X-Cache"] == "hit"
    assert again.data == first.data
    assert cached_queries == 0  # the heads were read a moment ago: no database at all

    year = services.ensure_year(muni, 2031)
    services.set_line(muni, year, "11", "Impuestos", {"approved": Decimal("1000")}, [])
    db.session.flush()
    draft = client.get(FINANCE)
    assert draft.headers["X-Cache"] == "hit"  # a draft is not public: nothing changed
    services.publish_year(muni, year)
    db.session.flush()
    after = client.get(FINANCE)
    assert after.headers["X-Cache"] == "miss"
    assert "2031" in after.get_data(as_text=True) and "2031" not in first.get_data(as_text=True)
    assert client.get(FINANCE).headers["X-Cache"] == "hit"


def test_heads_are_read_again_after_their_second_or_on_every_request_when_asked(page_cache, app, client, muni, db,
                                                                              queries, monkeypatch):
    from portal.core import caching

    client.get(FINANCE)
    app.config["CACHE_HEADS_SECONDS"] = 0
    try:
        with queries() as n:
            assert client.get(FINANCE).headers["X-Cache"] == "hit"
            assert n() == 1  # the heads of the change records only: the municipality is not loaded
    finally:
        app.config["CACHE_HEADS_SECONDS"] = 1.0
    client.get(FINANCE)  # heads remembered now
    # Another server records a change (not through this process's session): seen within the second.
    from portal.audit.models import ChangeRecord

    table = ChangeRecord.__table__
    last = db.session.connection().execute(table.select().where(table.c.chain == str(muni.id))
                                           .order_by(table.c.seq.desc()).limit(1)).mappings().one()
    db.session.connection().execute(table.insert().values(  # Core: not through the session
        **{**{k: v for k, v in last.items() if k != "id"}, "seq": last["seq"] + 1, "hash": "0" * 64}))
    assert client.get(FINANCE).headers["X-Cache"] == "hit"  # still within the second
    later = caching.time.monotonic() + 1.5
    monkeypatch.setattr(caching.time, "monotonic", lambda: later)
    assert client.get(FINANCE).headers["X-Cache"] == "miss"


def test_the_language_is_part_of_the_key(page_cache, client):
    from flask import g

    spanish = client.get(FINANCE)
    client.set_cookie("lang", "en")
    g.pop("_flask_babel", None)  # the test shares one app context (and so Flask-Babel's choice) across requests
    english = client.get(FINANCE)
    assert english.headers["X-Cache"] == "miss"
    assert english.data != spanish.data
    assert 'lang="en"' in english.get_data(as_text=True)


def test_signed_in_people_and_flashed_messages_bypass_the_cache(page_cache, client, login):
    assert client.get(FINANCE).headers["X-Cache"] == "miss"
    assert client.get(FINANCE).headers["X-Cache"] == "hit"
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Guardado.")]
    flashed = client.get(FINANCE)
    assert "X-Cache" not in flashed.headers
    assert "Guardado." in flashed.get_data(as_text=True)
    login(role="editor")
    staff = client.get(FINANCE)
    assert "X-Cache" not in staff.headers
    assert staff.headers["Cache-Control"] == "private, no-store"


def test_pages_that_are_not_listed_are_never_cached(page_cache, client):
    assert "X-Cache" not in client.get("/m/intipuca/reclamos/nuevo").headers
    assert "X-Cache" not in client.get("/cuenta/entrar").headers


def test_cache_settings_follow_the_environment():
    from portal.core.caching import settings

    assert settings({}, {})["CACHE_TYPE"] == "SimpleCache"
    assert settings({}, {"TESTING": True})["CACHE_TYPE"] == "NullCache"
    redis = settings({"CACHE_URL": "redis://cache:6379/0"}, {})
    assert redis["CACHE_TYPE"] == "RedisCache" and redis["CACHE_REDIS_URL"] == "redis://cache:6379/0"
    assert settings({"CACHE_TYPE": "FileSystemCache"}, {})["CACHE_TYPE"] == "FileSystemCache"


def test_an_unknown_municipality_is_never_served_from_the_cache(page_cache, client):
    for _ in range(2):
        response = client.get("/m/no-existe/finanzas/")
        assert response.status_code == 404
        assert "X-Cache" not in response.headers


@pytest.mark.parametrize("path, model, column", [
    ("/m/intipuca/presupuesto/", "portal.participation.budgeting.models:BudgetProcess", "title"),
    ("/m/intipuca/encuestas/", "portal.participation.surveys.models:Survey", "title"),
    ("/m/intipuca/reclamos/", "portal.municipalities.models:Municipality", "name"),  # it shows no category by name
])
def test_participation_lists_are_cached_until_their_published_data_changes(page_cache, client, muni, db,
                                                                         path, model, column):
    """The lists of processes and surveys and the complaints home hold only published data
    (their phases move with the day, which is in the key) and no form token."""
    from importlib import import_module

    from sqlalchemy import select

    module, name = model.split(":")
    cls = getattr(import_module(module), name)
    first = client.get(path)
    assert first.headers["X-Cache"] == "miss"
    assert client.get(path).headers["X-Cache"] == "hit"
    owned = cls.id == muni.id if cls.__name__ == "Municipality" else cls.municipality_id == muni.id
    shown = [r for r in db.session.execute(select(cls).where(owned)).scalars()
             if getattr(r, column) in first.get_data(as_text=True) and r.audit_is_public()]
    setattr(shown[0], column, "Renombrado para la prueba")
    db.session.flush()  # a published row changed: recorded, the head moves
    after = client.get(path)
    assert after.headers["X-Cache"] == "miss"
    assert "Renombrado para la prueba" in after.get_data(as_text=True)


def test_the_platform_home_is_cached_until_any_change_or_new_municipality(page_cache, client, make, muni, db,
                                                                         monkeypatch):
    """Its heads are the last change recorded anywhere and the last municipality created
    (bulk generation writes municipalities without a record)."""
    from sqlalchemy import insert

    from portal.municipalities.models import Municipality

    assert client.get("/?q=zz").headers["X-Cache"] == "miss"
    assert client.get("/?q=zz").headers["X-Cache"] == "hit"
    make.municipality(slug="zz-recorded", name="Zz Registrado")
    db.session.flush()
    recorded = client.get("/?q=zz")
    assert recorded.headers["X-Cache"] == "miss" and "Zz Registrado" in recorded.get_data(as_text=True)
    assert client.get("/?q=zz").headers["X-Cache"] == "hit"
    db.session.execute(insert(Municipality).values(  # like demo generate: Core, no change record
        slug="zz-bulk", name="Zz Masivo", country="SV", currency="USD", locale="es_SV", department="",
        timezone="America/El_Salvador", is_example=True))
    from portal.core import caching

    later = caching.time.monotonic() + 1.5  # written by another process: seen within CACHE_HEADS_SECONDS
    monkeypatch.setattr(caching.time, "monotonic", lambda: later)
    bulk = client.get("/?q=zz")
    assert bulk.headers["X-Cache"] == "miss" and "Zz Masivo" in bulk.get_data(as_text=True)
