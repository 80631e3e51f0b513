"""The change record as people read it: every audited model and column has a human name in
three languages, entries read as sentences, times are local and say which zone."""
from datetime import datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import inspect

from portal.audit import labels
from portal.audit.services import Audited
from portal.extensions import db as _db

LANGUAGES = ("es", "en", "pt")


def _audited_models():
    return [m.class_ for m in _db.Model.registry.mappers if issubclass(m.class_, Audited)]


def _shown_columns(model):
    exclude = set(getattr(model, "__audit_exclude__", ()))
    kind = labels.kind(model.__name__)
    return [a.key for a in inspect(model).column_attrs if a.key not in exclude and kind.shown(a.key)]


def test_every_audited_model_and_column_has_a_label(app):
    missing = []
    for model in _audited_models():
        name = model.__name__
        if name not in labels.registered():
            missing.append(name)
            continue
        kind = labels.kind(name)
        missing += [f"{name}.{column}" for column in _shown_columns(model)
                    if column not in kind.fields and column not in labels.COMMON_FIELDS]
    assert len(_audited_models()) > 20
    assert not missing, missing


@pytest.mark.parametrize("language", ["en"])
def test_labels_are_translated(app, language):
    """The kind and field names differ from the Spanish ones (a missing translation falls back to
    Spanish). English only: many Portuguese words are spelled as in Spanish; tests/core/test_catalogs.py
    proves every Portuguese message is there."""
    untranslated = []
    with app.test_request_context():
        for name, kind in labels.registered().items():
            names = {"kind": kind.name, **kind.fields}  # lazy strings
            with force_locale("es"):
                spanish = {key: str(value) for key, value in names.items()}
            with force_locale(language):
                translated = {key: str(value) for key, value in names.items()}
            same = [key for key in names if spanish[key] == translated[key]
                    and spanish[key].lower() not in SAME_IN_BOTH]
            untranslated += [f"{name}.{key}={spanish[key]!r}" for key in same]
    assert not untranslated, untranslated


# Words spelled alike in Spanish and English or Portuguese.
SAME_IN_BOTH = set()


def test_an_update_reads_as_a_sentence(app, muni):
    with app.test_request_context(), force_locale("es"):
        changes = labels.changes("Activity", [("actual_cost", None, "3200.5"), ("plan_id", 1, 2),
                                              ("state", "not_started", "in_progress")], muni)
        assert [(c.label, c.before, c.after) for c in changes] == [
            ("costo real", "—", "$3,200.50"), ("estado", "Sin iniciar", "En curso")]
    with app.test_request_context(), force_locale("en"):
        changes = labels.changes("Activity", [("state", "not_started", "in_progress")], muni)
        assert [(c.label, c.before, c.after) for c in changes] == [("status", "Not started", "In progress")]


def test_uploads_and_unknown_kinds_never_show_codes(app, muni):
    with app.test_request_context(), force_locale("es"):
        photo = labels.changes("BudgetProject", [("photo", None, "3f9c1a2b7d.jpg")], muni)[0]
        assert photo.after == "un archivo adjunto" and "3f9c" not in photo.after
        assert labels.kind_label("SomethingNew") == "Registro"
        assert labels.kind("SomethingNew").field_label("weird_field") == "dato"
        assert labels.summary_text("ReportUpdate", "ReportUpdate #283") == ""
        fact = labels.summary_text("Fact", "inversion_infraestructura_devengado")
        assert fact == "Inversión en infraestructura (devengado)"


def test_history_pages_read_as_sentences_in_local_time(client, muni):
    from portal.audit.models import ChangeRecord
    from sqlalchemy import select

    record = _db.session.execute(select(ChangeRecord).where(
        ChangeRecord.municipality_id == muni.id, ChangeRecord.object_type == "Activity",
        ChangeRecord.action == "update")).scalars().first()
    record_moment = record.created_at
    page = client.get(f"/m/intipuca/historial?seccion=roadmap").get_data(as_text=True)
    assert "Actividad «" in page and "estado Sin iniciar → " in page
    assert "not_started" not in page and "(Activity " not in page
    entry = client.get(f"/m/intipuca/historial/{record.seq}").get_data(as_text=True)
    assert "(hora de El Salvador)" in entry and "UTC" not in entry
    # El Salvador is UTC-6 all year: the hour shown is six hours before the stored one.
    local_hour = (record_moment.hour - 6) % 24
    assert f"{local_hour % 12 or 12}:{record_moment.minute:02d}" in entry


def test_csv_keeps_utc_and_internal_names(client):
    response = client.get("/m/intipuca/historial.csv")
    header = response.get_data(as_text=True).splitlines()[0]
    assert "created_at_utc" in header and "object_type" in header


@pytest.mark.parametrize("language, expected", [("es", "(hora de El Salvador)"), ("en", "(El Salvador Time)"),
                                                ("pt", "(horário de El Salvador)")])
def test_local_time_names_the_zone(app, muni, language, expected):
    from portal.core.i18n import local_datetime

    with app.test_request_context(), force_locale(language):
        text = local_datetime(datetime(2026, 12, 5, 20, 5), municipality=muni)
    assert text.endswith(expected) and ("2:05" in text or "14:05" in text)  # 20:05 UTC is 14:05 in El Salvador


def test_a_country_with_several_zones_names_the_city(app, make):
    from portal.core.i18n import local_datetime

    brazil = make.municipality(country="BR", currency="BRL", locale="pt_BR")
    assert brazil.timezone == "America/Sao_Paulo"  # the country's main zone by default
    with app.test_request_context(), force_locale("es"):
        assert local_datetime(datetime(2026, 12, 5, 20, 5), municipality=brazil).endswith("(hora de São Paulo)")


def test_default_zone_comes_from_the_country():
    from portal.core.i18n import default_timezone

    assert default_timezone("sv") == "America/El_Salvador"
    assert default_timezone("PL") == "Europe/Warsaw"
    assert default_timezone("ZZ") == "UTC"


@pytest.mark.parametrize("language, words", [("es", "proyecto 3 del presupuesto participativo"),
                                             ("en", "participatory budgeting project 3"),
                                             ("pt", "projeto 3 do orçamento participativo")])
def test_the_work_a_voted_project_became_is_named_in_words(app, muni, language, words):
    with app.test_request_context(), force_locale(language):
        project = labels.changes("BudgetProject", [("work_ref", "", "pp-1-3")], muni)[0]
        activity = labels.changes("Activity", [("source_ref", None, "pp-1-3")], muni)[0]
        kept = labels.changes("Activity", [("source_ref", None, "A-12")], muni)[0]  # a matrix's own reference
    assert (project.before, project.after) == ("—", words) and activity.after == words
    assert kept.after == "A-12"


def test_no_history_page_shows_a_work_reference(client, muni):
    from portal.audit.models import ChangeRecord
    from sqlalchemy import select

    seqs = _db.session.scalars(select(ChangeRecord.seq).where(
        ChangeRecord.municipality_id == muni.id, ChangeRecord.changes.contains("pp-"))).all()
    assert seqs  # the demo's voted projects became works
    for seq in seqs:
        page = client.get(f"/m/intipuca/historial/{seq}").get_data(as_text=True)
        assert "pp-1-" not in page and "del presupuesto participativo" in page
