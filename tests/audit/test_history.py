"""The public "Historial de cambios": filters, CSV, entry pages, no personal data."""
import csv
import io
from datetime import datetime

import pytest

from portal.audit import history
from portal.audit.services import acting_as, append, set_note, verify_chain


@pytest.fixture
def town(db, make, monkeypatch):
    """A municipality with entries in two sections on three dates, made by a real user."""
    town = make.municipality(name="Villa Historia")
    editor = make.user(role="editor", municipality=town, email="private.person@example.org")
    db.session.flush()
    moments = iter([datetime(2024, 1, 5, 10), datetime(2024, 2, 10, 9), datetime(2024, 3, 15, 8)])
    for section, label, before, after in [("finance", "Presupuesto 2024", "100.00", "120.50"),
                                          ("roadmap", "Plan de acción", "borrador", "vigente"),
                                          ("finance", "Ingresos propios", "7", "9")]:
        moment = next(moments)
        monkeypatch.setattr("portal.audit.services.utcnow", lambda moment=moment: moment)
        with acting_as("editor", editor):
            append(db.session, municipality_id=town.id, action="update", section=section,
                   object_type="Thing", object_id=1, summary=label, changes={"amount": [before, after]},
                   note="corrección" if section == "roadmap" else "")
    db.session.flush()
    return town


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_history_lists_changes_with_role_not_person(client, town):
    html = client.get(f"/m/{town.slug}/historial").get_data().decode("utf-8-sig")
    assert "Historial de cambios" in html
    assert "Presupuesto 2024" in html and "120.50" in html and "100.00" in html
    assert "corrección" in html
    assert "Edición (personal municipal)" in html
    assert "private.person" not in html
    assert html.index("Ingresos propios") < html.index("Presupuesto 2024")  # newest first


@pytest.mark.parametrize("query, expected", [
    ("", {"Presupuesto 2024", "Plan de acción", "Ingresos propios"}),
    ("?seccion=finance", {"Presupuesto 2024", "Ingresos propios"}),
    ("?seccion=roadmap", {"Plan de acción"}),
    ("?desde=2024-02-01", {"Plan de acción", "Ingresos propios"}),
    ("?hasta=2024-02-10", {"Presupuesto 2024", "Plan de acción"}),
    ("?desde=2024-02-01&hasta=2024-02-28", {"Plan de acción"}),
    ("?seccion=finance&desde=2024-02-01", {"Ingresos propios"}),
    ("?desde=no-date", {"Presupuesto 2024", "Plan de acción", "Ingresos propios"}),
])
def test_history_filters_and_csv_agree(client, town, query, expected):
    labels = {"Presupuesto 2024", "Plan de acción", "Ingresos propios"}
    html = client.get(f"/m/{town.slug}/historial{query}").get_data().decode("utf-8-sig")
    assert {label for label in labels if label in html} == expected
    response = client.get(f"/m/{town.slug}/historial.csv{query}")
    assert response.mimetype == "text/csv"
    rows = _csv(response)
    assert {row["object"] for row in rows} & labels == expected
    assert ("Villa Historia" in {row["object"] for row in rows}) == ("hasta" not in query and "roadmap" not in query and "finance" not in query)
    assert list(rows[0].keys()) == history.CSV_COLUMNS
    assert all("@" not in value for row in rows for value in row.values())


def test_history_shows_the_chain_head_and_how_to_verify(client, db, town):
    from portal.audit.services import head

    seq, digest = head(db.session, town)
    html = client.get(f"/m/{town.slug}/historial").get_data().decode("utf-8-sig")
    assert digest in html and f"audit verify {town.slug}" in html
    assert verify_chain(db.session, str(town.id)).ok


def test_entry_page_and_neighbours(client, db, town):
    record = db.session.execute(history.statement(town, history.HistoryFilter(section="roadmap"))).scalars().first()
    html = client.get(f"/m/{town.slug}/historial/{record.seq}").get_data().decode("utf-8-sig")
    assert "Plan de acción" in html and "borrador" in html and "vigente" in html
    assert record.hash in html and record.prev_hash in html
    assert f"/historial/{record.seq - 1}" in html
    assert client.get(f"/m/{town.slug}/historial/99999").status_code == 404


def test_entry_of_another_municipality_answers_404(client, db, town, make):
    other = make.municipality()
    last = db.session.execute(history.statement(town)).scalars().first()
    other_count = db.session.execute(history.statement(other)).scalars().all()
    assert last.seq > len(other_count)
    assert client.get(f"/m/{other.slug}/historial/{last.seq}").status_code == 404


def test_municipality_home_links_to_the_history(client, town):
    html = client.get(f"/m/{town.slug}/").get_data().decode("utf-8-sig")
    assert f"/m/{town.slug}/historial" in html


def test_history_is_paged_with_constant_queries(client, db, make, queries):
    town = make.municipality()
    url = f"/m/{town.slug}/historial"
    client.get(url)
    with queries() as small:
        client.get(url)
    with acting_as("cli"):
        set_note(db.session, "carga")
        for population in range(6000, 6040):
            town.population = population
            db.session.flush()
    db.session.flush()
    with queries() as large:
        html = client.get(url).get_data().decode("utf-8-sig")
    assert "Página 1 de 2" in html
    assert large() == small()
    assert "Línea de comandos" in html
    assert client.get(url + "?page=2").status_code == 200


def test_history_filter_parsing():
    parsed = history.HistoryFilter.parse(" finance ", "2024-01-02", "31/12/2024")
    assert parsed.section == "finance" and parsed.start.isoformat() == "2024-01-02" and parsed.end is None


def test_entry_by_row_id_for_feeds(client, db, town, make, app):
    record = db.session.execute(history.statement(town)).scalars().first()
    with app.test_request_context():
        from flask import url_for

        assert url_for("audit.entry", slug=town.slug, entry_id=record.id).endswith(f"/historial/id/{record.id}")
        assert url_for("audit.entry", slug=town.slug, seq=record.seq).endswith(f"/historial/{record.seq}")
    assert record.hash in client.get(f"/m/{town.slug}/historial/id/{record.id}").get_data().decode("utf-8-sig")
    other = make.municipality()
    assert client.get(f"/m/{other.slug}/historial/id/{record.id}").status_code == 404


@pytest.mark.parametrize("more, words", [(0, "1 entrada"), (2, "3 entradas")])
def test_the_count_of_entries_agrees_with_its_noun(client, db, make, more, words):
    town = make.municipality(name="Villa Cuenta")  # its creation is its first entry
    db.session.flush()
    for n in range(more):
        append(db.session, municipality_id=town.id, action="update", section="finance",
               object_type="Thing", object_id=n, summary=f"Cambio {n}", changes={"amount": ["1", "2"]})
    db.session.flush()
    html = client.get(f"/m/{town.slug}/historial").get_data(as_text=True)
    assert f"<span>{words}</span>" in html
