"""The number of SQL queries of every main page and API list does not grow with the data:
a synthetic municipality with ten times the complaints, survey responses, projects and
ballots of another runs exactly as many queries on each page; the platform home runs as
many with ten times the municipalities."""
from sqlalchemy import select

PAGES = [
    "/m/{slug}/", "/m/{slug}/diagnostico/", "/m/{slug}/finanzas/", "/m/{slug}/finanzas/presupuesto/{year}",
    "/m/{slug}/finanzas/indicadores", "/m/{slug}/hoja-de-ruta/", "/m/{slug}/hoja-de-ruta/{plan}",
    "/m/{slug}/presupuesto/", "/m/{slug}/presupuesto/{process}", "/m/{slug}/presupuesto/{process}/resultados",
    "/m/{slug}/encuestas/", "/m/{slug}/encuestas/{survey}/", "/m/{slug}/encuestas/{survey}/resultados",
    "/m/{slug}/reclamos/", "/m/{slug}/reclamos/estadisticas", "/m/{slug}/reclamos/r/{report}",
    "/m/{slug}/historial", "/m/{slug}/comparar/", "/m/{slug}/datos/", "/m/{slug}/data.json",
    "/api/v1/municipalities/{slug}/budgeting/processes", "/api/v1/municipalities/{slug}/complaints/services",
    "/api/v1/municipalities/{slug}/complaints/statistics", "/api/v1/municipalities/{slug}/diagnostic",
    "/api/v1/municipalities/{slug}/finance/budget", "/api/v1/municipalities/{slug}/roadmap",
    "/api/v1/municipalities/{slug}/surveys", "/api/v1/municipalities/{slug}/surveys/{survey}/results",
    "/open311/v2/requests.json?jurisdiction_id={slug}", "/open311/v2/services.json?jurisdiction_id={slug}",
]
PLATFORM_PAGES = ["/", "/?q=sint", "/api/v1/municipalities", "/feed.atom", "/comparar/", "/comparar/metodo", "/datos/",
                  "/catalog.ttl", "/api/v1/datasets"]


def _generate(runner, municipalities, factor):
    result = runner.invoke(args=[
        "demo", "generate", "--municipalities", str(municipalities), "--complaints", str(12 * factor),
        "--ballots", str(10 * factor), "--projects", str(3 * factor), "--responses", str(2 * factor)])
    assert result.exit_code == 0, result.output


def _values(db, slug):
    from portal.finance.models import BudgetYear
    from portal.municipalities.models import Municipality
    from portal.participation.budgeting.models import BudgetProcess
    from portal.participation.complaints.models import Report
    from portal.participation.surveys.models import Survey
    from portal.roadmap.models import Plan

    muni = db.session.execute(select(Municipality.id).where(Municipality.slug == slug)).scalar_one()

    def first(column, model):
        return db.session.execute(select(column).where(model.municipality_id == muni).limit(1)).scalar()
    return dict(slug=slug, year=first(BudgetYear.year, BudgetYear), plan=first(Plan.id, Plan),
                process=first(BudgetProcess.id, BudgetProcess), survey=first(Survey.id, Survey),
                report=first(Report.code, Report))


def _count(client, queries, url):
    from flask import g

    # The suite's requests share one application context, so ``g`` outlives a request
    # here (a server gives each request its own): forget the last municipality seen.
    g.pop("municipality", None)
    client.get(url)  # anything done once per process (e.g. a first cache fill) is not counted
    with queries() as n:
        response = client.get(url)
        assert response.status_code == 200, url
        return n()


def test_queries_per_page_do_not_grow_with_ten_times_the_data(runner, client, db, queries):
    from portal.municipalities.models import Municipality

    _generate(runner, 1, 1)
    platform_small = {url: _count(client, queries, url) for url in PLATFORM_PAGES}
    _generate(runner, 1, 10)
    _generate(runner, 10, 1)
    slugs = list(db.session.execute(select(Municipality.slug).where(Municipality.code.like("SINT-%"))
                                    .order_by(Municipality.id)).scalars())
    small, large = _values(db, slugs[0]), _values(db, slugs[1])
    differences = {}
    for template in PAGES:
        counts = (_count(client, queries, template.format(**small)), _count(client, queries, template.format(**large)))
        if counts[0] != counts[1]:
            differences[template] = counts
    for url, before in platform_small.items():
        after = _count(client, queries, url)
        if after != before:
            differences[url] = (before, after)
    assert not differences, differences
