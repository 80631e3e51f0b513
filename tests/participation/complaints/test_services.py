"""The workflow services: reports stored once, supports, confirmations, staff changes, audit."""
import pytest
from sqlalchemy import select

from portal.participation.complaints import services, staff
from portal.participation.complaints.models import Moderation, ReportUpdate


def test_report_gets_an_unguessable_code_and_the_default_unit(report_factory, category):
    report = report_factory()
    assert len(report.code) == 8 and set(report.code) <= set(services.CODE_ALPHABET)
    assert report.unit_id == category.default_unit_id and report.status == "received"
    assert report_factory().code != report.code
    assert [u.new_status for u in report.updates] == ["received"]


def test_idempotency_key_stores_once(report_factory, db, muni):
    first = report_factory(idempotency_key="k-1")
    again = report_factory(idempotency_key="k-1", description="otra vez")
    assert again.id == first.id and again.description == first.description
    other_town = services.find_by_idempotency(type("M", (), {"id": -1})(), "k-1")
    assert other_town is None


def test_neighbourhood_must_belong_to_the_district(report_factory, muni):
    places = services.neighbourhoods(muni)
    in_carao = next(p for p in places if p.district.name == "El Carao")
    elsewhere = next(p for p in places if p.district.name != "El Carao")
    assert report_factory(neighbourhood_id=in_carao.id).neighbourhood_id == in_carao.id
    with pytest.raises(services.ReportError) as error:
        report_factory(neighbourhood_id=elsewhere.id)
    assert error.value.field == "neighbourhood"


def test_required_answers_are_checked(lighting):
    with pytest.raises(services.ReportError):
        services.check_answers(lighting, {})
    with pytest.raises(services.ReportError):
        services.check_answers(lighting, {"falla": ["rota"]})
    assert services.check_answers(lighting, {"falla": ["dia"], "poste": [" 12 "]}) == {"falla": "dia", "poste": "12"}


def test_similar_open_reports_and_support(report_factory, muni, category, district):
    report = report_factory()
    similar = services.similar_open(muni, category, district.id)
    assert report in similar
    other_district = next(d for d in muni.districts if d.id != district.id)
    assert report not in services.similar_open(muni, category, other_district.id)
    assert services.add_support(muni, report, "browser-a") is True
    assert services.add_support(muni, report, "browser-a") is False
    assert services.add_support(muni, report, "browser-b") is True
    assert report.supports_count == 2


def test_confirmation_no_reopens_and_tells_the_unit(report_factory, muni, outbox, db):
    report = report_factory(contact_email="vecina@example.org")
    staff.change_status(muni, report, report.version, "fixed", note="Listo")
    with pytest.raises(services.ReportError):
        services.confirm(muni, report, "maybe")
    services.confirm(muni, report, "no", "Sigue igual")
    assert report.status == "in_progress" and report.reopen_count == 1 and report.closed_at is None
    with pytest.raises(services.ReportError):  # only fixed reports can be confirmed
        services.confirm(muni, report, "yes")
    mails = outbox()
    recipients = [m["To"] for m in mails]
    assert "vecina@example.org" in recipients and "servicios@intipuca.example" in recipients
    assert any("Sigue igual" in m.get_payload() for m in mails if m["To"] == "servicios@intipuca.example")
    assert mails[0]["Subject"].startswith("Recibimos su reporte")


@pytest.mark.parametrize("status, extra, field", [
    ("not_ours", {}, "reason"), ("wont_fix", {}, "reason"), ("duplicate", {}, "duplicate_of"),
    ("duplicate", {"duplicate_of_code": "999999"}, "duplicate_of"), ("bogus", {}, "status"),
])
def test_status_changes_require_their_extra_field(report_factory, muni, status, extra, field):
    report = report_factory()
    with pytest.raises(services.ReportError) as error:
        staff.change_status(muni, report, report.version, status, **extra)
    assert error.value.field == field


def test_duplicate_points_to_the_original(report_factory, muni):
    original, copy = report_factory(), report_factory()
    staff.change_status(muni, copy, copy.version, "duplicate", duplicate_of_code=str(original.id))
    assert copy.duplicate_of_id == original.id and copy.closed_at is not None


def test_two_staff_at_once_exactly_one_wins(report_factory, muni):
    report = report_factory()
    seen = report.version  # both opened the page at this version
    staff.change_status(muni, report, seen, "in_progress")
    with pytest.raises(staff.Conflict):
        staff.add_update(muni, report, seen, "Voy en camino", public=True)
    assert report.status == "in_progress" and report.version == seen + 1


def test_moderation_keeps_the_original(report_factory, muni, db):
    report = report_factory(description="Texto con insulto", photo="abcdefghijklmnopqrstuv.jpg")
    staff.moderate(muni, report, report.version, description="Texto moderado", remove_photo=True, reason="insulto")
    kept = {m.field: m.original for m in db.session.execute(
        select(Moderation).where(Moderation.report_id == report.id)).scalars()}
    assert kept == {"description": "Texto con insulto", "photo": "abcdefghijklmnopqrstuv.jpg"}
    assert report.description == "Texto moderado" and report.photo is None


def test_public_workflow_is_in_the_change_record_and_notes_are_not(report_factory, muni, db):
    from portal.audit.models import ChangeRecord

    report = report_factory(contact_email="privado@example.org")
    staff.add_update(muni, report, report.version, "nota interna", public=False)
    staff.add_update(muni, report, report.version, "Vamos mañana", public=True)
    staff.change_status(muni, report, report.version, "fixed")
    db.session.flush()
    ids = {str(u.id) for u in report.updates}
    records = list(db.session.execute(select(ChangeRecord).where(
        ChangeRecord.object_type == "ReportUpdate", ChangeRecord.object_id.in_(ids))).scalars())
    text = " ".join(r.changes for r in records)
    assert "Vamos mañana" in text and '"fixed"' in text
    assert "nota interna" not in text and "privado@example.org" not in text
    assert {r.section for r in records} == {"complaints"}
    note = next(u for u in report.updates if u.kind == "note")
    assert isinstance(note, ReportUpdate) and not note.is_public


def test_api_keys_are_hashed(muni, db):
    key, plain = staff.create_api_key(muni, "App")
    assert plain not in (key.key_hash, key.prefix) and len(key.key_hash) == 64
    assert staff.check_api_key(muni, plain) is key
    staff.revoke_api_key(muni, key.id)
    assert staff.check_api_key(muni, plain) is None


def test_a_residents_comment_stays_out_of_the_public_record(report_factory, muni, db, client, login):
    from portal.audit.models import ChangeRecord

    report = report_factory()
    staff.change_status(muni, report, report.version, "fixed")
    services.confirm(muni, report, "partly", "Llámeme al 7777-1234")
    db.session.flush()
    changes = " ".join(db.session.execute(select(ChangeRecord.changes).where(
        ChangeRecord.object_type == "ReportUpdate")).scalars())
    assert "7777-1234" not in changes and '"partly"' in changes
    login(role="moderator")
    assert "Llámeme al 7777-1234" in client.get(f"/m/intipuca/reclamos/gestion/{report.id}").get_data(as_text=True)
    assert "7777-1234" not in client.get(f"/m/intipuca/reclamos/r/{report.code}").get_data(as_text=True)
