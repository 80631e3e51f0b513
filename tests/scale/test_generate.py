"""``flask demo generate``: synthetic municipalities with data in every section, marked
as synthetic, written in bulk."""
from sqlalchemy import func, select


def test_generate_creates_marked_municipalities_with_data_in_every_section(runner, client, db, make):
    from portal.demo.synthetic import is_synthetic
    from portal.municipalities.models import Municipality
    from portal.participation.budgeting.models import Ballot, BudgetProject
    from portal.participation.complaints.models import Report
    from portal.participation.surveys.models import SurveyResponse

    result = runner.invoke(args=["demo", "generate", "--municipalities", "3", "--complaints", "31",
                                 "--ballots", "40", "--projects", "7", "--responses", "4", "--chunk", "100"])
    assert result.exit_code == 0, result.output
    assert "rows/s" in result.output
    made = db.session.execute(select(Municipality).where(Municipality.code.like("SINT-%"))
                              .order_by(Municipality.id)).scalars().all()
    assert len(made) == 3
    assert all(m.is_example and is_synthetic(m) and "(sintético)" in m.name for m in made)
    ids = [m.id for m in made]

    def count(model, *where):
        return db.session.execute(select(func.count()).select_from(model)
                                  .where(model.municipality_id.in_(ids), *where)).scalar()
    assert count(Report) == 31
    assert count(BudgetProject, BudgetProject.municipality_id == ids[0]) == 7
    assert count(Ballot, Ballot.municipality_id == ids[0]) == 40
    assert count(SurveyResponse) == 12

    assert make.municipality().id > max(ids)  # the id sequences moved past the ids given (PostgreSQL)

    slug = made[0].slug
    home = client.get(f"/m/{slug}/")
    assert home.status_code == 200
    assert "(sintético)" in home.get_data(as_text=True)
    for path in ("diagnostico/", "finanzas/", "hoja-de-ruta/", "presupuesto/", "encuestas/", "reclamos/"):
        page = client.get(f"/m/{slug}/{path}")
        assert page.status_code == 200, path
        assert "(sintétic" in page.get_data(as_text=True), path


def test_report_codes_are_distinct_and_readable():
    from portal.demo.synthetic import CODE_ALPHABET, report_code

    codes = {report_code(n) for n in range(1, 20001)}
    assert len(codes) == 20000
    assert all(len(c) == 8 and set(c) <= set(CODE_ALPHABET) for c in codes)
