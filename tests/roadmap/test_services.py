"""Roadmap services on the demo: totals, roll-up, follow-up record, goals, participatory works."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.audit.models import ChangeRecord
from portal.roadmap import services
from portal.roadmap.models import Activity, Plan

D = Decimal


def test_demo_totals_are_exact_to_the_cent(app, muni, prfm):
    with app.test_request_context():
        view = services.plan_view(muni, prfm, date(2026, 11, 22))
    assert dict(view.totals.by_horizon)["Corto plazo"] == D("44696.42")
    short = dict(dict(view.totals.by_horizon_source)["Corto plazo"])
    assert short["PFGL"] == D("35596.42")
    assert short["FODES"] + short["Cooperantes"] == D("9100.00")
    assert view.totals.total == D("79696.42")
    assert [h.name for h in prfm.horizons] == ["Corto plazo", "Mediano plazo", "Largo plazo"]
    assert prfm.horizons[2].ends_on is None


def test_demo_follow_up_state_and_rollup(app, muni, prfm, activity_no):
    with app.test_request_context():
        view = services.plan_view(muni, prfm, date(2026, 11, 22))
    assert view.progress[activity_no("8").id] == D(60)  # weighted from its three sub-activities
    assert view.counts.total == 16 and view.counts.done == 8 and view.counts.late == 7
    assert activity_no("1").verification_url.startswith("https://")
    assert activity_no("8").state == "delayed" and activity_no("8").limitation


def test_world_bank_plan_over_weeks(app, muni, world_bank):
    with app.test_request_context():
        page = services.plan_page(muni, world_bank, date(2026, 11, 22))
    assert world_bank.time_unit == "week"
    titles = [a.title for a in page["view"].activities]
    assert titles[0] == "Actualización de registros catastrales" and len(titles) == 8
    kinds = sorted(m.kind for m in world_bank.milestones)
    assert kinds == ["evaluation", "milestone", "milestone"]
    assert page["gantt_layout"].today_x is not None
    assert 'class="g-today"' in page["gantt"] and "g-m-evaluation" in page["gantt"]


def test_follow_up_after_publication_is_recorded(app, db, muni, activity_no):
    activity = activity_no("13")
    with app.test_request_context():
        services.update_followup(muni, activity, state="in_progress", done=False, progress_pct=D("55"),
                                 verification_url="https://example.org/borrador.pdf", observations="Consulta hecha")
        detail = services.activity_detail(muni, activity)
        last = detail["history"][0]
        changes = {c.label: (c.before, c.after) for c in last["changes"]}
    assert last["record"].section == "roadmap" and changes["avance (%)"] == ("40", "55")
    assert changes["estado"] == ("Retrasada", "En curso")
    assert services.roadmap_updates(muni, 5)[0].object_id == str(activity.id)


@pytest.mark.parametrize("kwargs, field", [
    ({"state": "bogus", "done": False}, "state"),
    ({"state": "in_progress", "done": False, "progress_pct": D(101)}, "progress"),
    ({"state": "in_progress", "done": False, "verification_url": "javascript:alert(1)"}, "verification_url"),
    ({"state": "in_progress", "done": False, "document": b"not a pdf nor image"}, "document"),
])
def test_follow_up_refuses_bad_values(app, muni, activity_no, kwargs, field):
    with app.test_request_context(), pytest.raises(services.RoadmapError) as error:
        services.update_followup(muni, activity_no("13"), **kwargs)
    assert error.value.field == field


def test_evidence_document_upload(app, muni, activity_no):
    activity = activity_no("13")
    with app.test_request_context():
        services.update_followup(muni, activity, state="done", done=False, document=b"%PDF-1.4 evidence")
    assert activity.done and activity.state == "done" and activity.verification_file.endswith(".pdf")


def test_goals_read_their_source(app, muni, prfm):
    from dataclasses import replace

    from portal.core import registry

    seen = []

    def value(municipality, as_of, param):
        seen.append((as_of, param))
        return registry.SourceValue(D("0.31"), "test") if as_of.year == 2015 else None

    finance = next(d for d in registry.domains() if d.key == "finance")
    registry.register(replace(finance, sources=tuple(
        replace(s, value=value) if s.key == "finance.autonomia_financiera" else s for s in finance.sources)))
    try:
        with app.test_request_context():
            rows = services.goal_rows(muni, prfm, date(2026, 11, 22))
    finally:
        registry.register(finance)
    autonomy = rows[0]
    assert autonomy.goal.title == "Autonomía financiera" and autonomy.actual == D("0.31")
    assert autonomy.status == "met" and (date(2015, 12, 31), None) in seen


def test_participatory_work_is_idempotent_and_progress_in_one_query(app, db, muni, queries):
    with app.test_request_context():
        first = services.add_participatory_work(
            muni, plan_title="Obras del presupuesto participativo 2026", source_ref="pb:2026:7",
            title="Pavimentación calle El Carao", cost=D("12500.50"), district="El Carao",
            start=date(2026, 3, 1), end=date(2026, 9, 30))
        again = services.add_participatory_work(
            muni, plan_title="Obras del presupuesto participativo 2026", source_ref="pb:2026:7",
            title="otro título", cost=None)
        second = services.add_participatory_work(
            muni, plan_title="Obras del presupuesto participativo 2026", source_ref="pb:2026:8",
            title="Alumbrado La Leona", cost=D("3000"), funding_source="FODES")
        assert first.id == again.id and first.title == "Pavimentación calle El Carao"
        assert first.plan.is_published and first.plan_id == second.plan_id
        assert second.funding_source.name == "FODES" and first.funding_source.name == "Fondos Propios"
        services.update_followup(muni, second, state="in_progress", done=False, progress_pct=D(30))
        db.session.flush()  # the change record is written by the flush after
        with queries() as n:
            result = services.work_progress(muni, ["pb:2026:7", "pb:2026:8", "pb:unknown"])
        assert n() == 1
    assert set(result) == {"pb:2026:7", "pb:2026:8"}
    assert result["pb:2026:7"].status == "not_started" and result["pb:2026:7"].status_label == "Sin iniciar"
    assert result["pb:2026:8"].progress == D(30)
    assert result["pb:2026:8"].url.endswith(f"/actividades/{second.id}")
    count = db.session.execute(select(func.count(Plan.id)).where(
        Plan.title == "Obras del presupuesto participativo 2026")).scalar()
    assert count == 1


def test_work_progress_ignores_other_municipalities(app, db, muni, make):
    other = make.municipality()
    with app.test_request_context():
        services.add_participatory_work(other, plan_title="Obras", source_ref="pb:x", title="Obra", cost=None)
        assert services.work_progress(muni, ["pb:x"]) == {}
        assert set(services.work_progress(other, ["pb:x"])) == {"pb:x"}


def test_has_data(muni, make):
    assert services.has_data(muni) is True
    assert services.has_data(make.municipality()) is False


def test_demo_loader_is_idempotent(app, db, muni):
    from portal.roadmap.demo import load

    before = db.session.execute(select(func.count(Activity.id))).scalar()
    records = db.session.execute(select(func.count(ChangeRecord.id))).scalar()
    load()
    db.session.flush()
    assert db.session.execute(select(func.count(Activity.id))).scalar() == before
    assert db.session.execute(select(func.count(ChangeRecord.id))).scalar() == records
