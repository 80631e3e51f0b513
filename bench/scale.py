"""``make scale``: the portal at national scale.

Builds (once) a database with the demo plus 2,000 synthetic municipalities, 1,000,000
complaints and a participatory budget of 100,000 ballots on 100 projects, then times
every public page and API list, cold (first request of a fresh process) and warm
(median and 95th percentile of the next ``SCALE_WARM`` requests, 20 by default; budget:
p95 under 300 ms), with the memory each process reaches, the comparison refresh after
one publication (``compare refresh --changed``; budget: 10 s) and the
participatory-budget tallies (greedy and Method of Equal Shares).

    .venv/bin/python bench/scale.py                     # SQLite in instance/scale.db
    .venv/bin/python bench/scale.py --database postgresql://cabildo:cabildo@127.0.0.1/cabildo_scale
    SCALE_MUNICIPALITIES=200 SCALE_COMPLAINTS=100000 .venv/bin/python bench/scale.py --rebuild

Each page runs in its own process so "cold" and the memory figures are not blurred by
earlier pages. A benchmark to read, not a test.
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIG = "sintetico-00001"
WARM = int(os.environ.get("SCALE_WARM", "20"))
P95_BUDGET_MS = 300  # every public page and API list, warm
REFRESH_BUDGET_S = 10  # the comparison refresh after one publication
PAGES = [
    "/", "/?q=santa", "/?country=GT&page=40", "/api/v1/municipalities",
    "/m/{big}/", "/m/{big}/diagnostico/", "/m/{big}/finanzas/", "/m/{big}/finanzas/presupuesto/{year}",
    "/m/{big}/finanzas/indicadores", "/m/{big}/hoja-de-ruta/", "/m/{big}/hoja-de-ruta/{plan}",
    "/m/{big}/presupuesto/", "/m/{big}/presupuesto/{process}", "/m/{big}/presupuesto/{process}/resultados",
    "/m/{big}/encuestas/", "/m/{big}/encuestas/{survey}/", "/m/{big}/encuestas/{survey}/resultados",
    "/m/{big}/reclamos/", "/m/{big}/reclamos/estadisticas", "/m/{big}/reclamos/r/{report}",
    "/m/{big}/historial", "/m/intipuca/", "/m/intipuca/historial",
    "/api/v1/municipalities/{big}/budgeting/processes", "/api/v1/municipalities/{big}/budgeting/processes/{process}/results",
    "/api/v1/municipalities/{big}/complaints/services", "/api/v1/municipalities/{big}/complaints/statistics",
    "/api/v1/municipalities/{big}/diagnostic", "/api/v1/municipalities/{big}/finance/budget",
    "/api/v1/municipalities/{big}/roadmap", "/api/v1/municipalities/{big}/surveys",
    "/api/v1/municipalities/{big}/surveys/{survey}/results",
    "/open311/v2/requests.json?jurisdiction_id={big}", "/open311/v2/services.json?jurisdiction_id={big}",
    "/feed.atom", "/m/{big}/feed.atom",
    "/comparar/", "/comparar/?agrupacion=pais&orden=valor&pagina=20", "/comparar/metodo", "/comparar/desacuerdos",
    "/m/{big}/comparar/", "/m/{big}/comparar/?agrupacion=poblacion",
    "/datos/", "/m/{big}/datos/", "/api/v1/datasets", "/api/v1/datasets?offset=11000",
    "/catalog.ttl", "/catalog.ttl?page=150", "/catalog.jsonld", "/catalog.rdf", "/m/{big}/catalog.ttl",
    "/m/{big}/catalog.jsonld", "/m/{big}/catalog.rdf", "/m/{big}/data.json",
    "/api/v1/municipalities/{big}/datasets/papeletas", "/api/v1/municipalities/{big}/datasets/papeletas?offset=99000",
    "/api/v1/municipalities/{big}/datasets/reclamos?offset=400", "/m/{big}/presupuesto/{process}/votar",
    "/m/{big}/presupuesto/{process}/verificar", "/m/{big}/encuestas/{survey}/responder",
]
# Whole-collection downloads: answered in full (streamed where large), outside the page budgets.
DOWNLOADS = ["/comparar/finance.autonomia_financiera.csv", "/data.json"]
HTML_BUDGET = 60 * 1024


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_app():
    from portal import create_app

    return create_app({"RATELIMIT_ENABLED": False})


def ids(app) -> dict:
    from sqlalchemy import select

    from portal.extensions import db
    from portal.finance.models import BudgetYear
    from portal.municipalities.models import Municipality
    from portal.participation.budgeting.models import BudgetProcess
    from portal.participation.complaints.models import Report
    from portal.participation.surveys.models import Survey
    from portal.roadmap.models import Plan

    with app.app_context():
        muni = db.session.execute(select(Municipality.id).where(Municipality.slug == BIG)).scalar_one()

        def first(column, model):
            return db.session.execute(select(column).where(model.municipality_id == muni)
                                      .order_by(model.id).limit(1)).scalar()
        return dict(big=BIG, year=first(BudgetYear.year, BudgetYear), plan=first(Plan.id, Plan),
                    process=first(BudgetProcess.id, BudgetProcess), survey=first(Survey.id, Survey),
                    report=first(Report.code, Report))


def measure_page(path: str) -> dict:
    """Run in a fresh process: the first request (cold), then WARM more (warm median)."""
    before = rss_mb()
    app = make_app()
    client = app.test_client()
    started = time.perf_counter()
    response = client.get(path, buffered=True)
    cold = time.perf_counter() - started
    times = []
    for _ in range(WARM if path not in DOWNLOADS else 2):  # whole downloads: twice more
        started = time.perf_counter()
        client.get(path, buffered=True)
        times.append(time.perf_counter() - started)
    return dict(path=path, status=response.status_code, bytes=len(response.data), cold_ms=cold * 1000,
                html=response.mimetype == "text/html", gzip=len(gzip.compress(response.data)),
                warm_ms=statistics.median(times) * 1000, p95_ms=p95(times) * 1000, rss_mb=rss_mb(), peak_mb=peak_mb(), start_mb=before)


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank) of ``times``."""
    ordered = sorted(times)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def publish_one() -> dict:
    """Run in a fresh process: one publication in the big municipality (its population
    corrected, through the change record), then the refresh a publication triggers."""
    from portal.audit.services import acting_as
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug

    app = make_app()
    with app.app_context():
        with acting_as("staff"):
            municipality = get_by_slug(BIG)
            municipality.population = (municipality.population or 0) + 1
            db.session.commit()
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "compare", "refresh", "--changed"],
                         cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    return dict(seconds=time.perf_counter() - started, status=out.returncode,
                said=(out.stdout.strip().splitlines() or out.stderr.strip().splitlines() or ["?"])[-1])


def measure_tally(rule: str) -> dict:
    """Run in a fresh process: read the big process's ballots, then count them with ``rule``."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting import services, tally
    from portal.participation.budgeting.models import BudgetProcess

    app = make_app()
    with app.app_context():
        municipality = get_by_slug(BIG)
        process = db.session.execute(select(BudgetProcess).where(BudgetProcess.municipality_id == municipality.id)
                                     .order_by(BudgetProcess.id).limit(1)).scalar_one()
        base = rss_mb()
        started = time.perf_counter()
        election = services.election(municipality, process)
        read = time.perf_counter() - started
        loaded = rss_mb()
        started = time.perf_counter()
        outcome = tally.tally(election, rule)
        seconds = time.perf_counter() - started
        return dict(rule=rule, ballots=len(election.ballots), projects=len(election.projects), read_s=read,
                    tally_s=seconds, selected=len(outcome.selected), election_mb=loaded - base,
                    peak_mb=peak_mb(), mes_runs=outcome.mes_runs)


def child(kind: str, arg: str | None, env: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, f"--{kind}"] + ([arg] if arg is not None else []), env=env, cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def build(env: dict, args) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run(flask + ["demo", "load"], env=env, cwd=ROOT, check=True)
    started = time.perf_counter()
    subprocess.run(flask + ["demo", "generate", "--municipalities", str(args.municipalities),
                            "--complaints", str(args.complaints), "--ballots", str(args.ballots),
                            "--projects", str(args.projects)], env=env, cwd=ROOT, check=True)
    print(f"generated in {time.perf_counter() - started:.0f} s\n")
    started = time.perf_counter()
    subprocess.run(flask + ["compare", "refresh"], env=env, cwd=ROOT, check=True)
    print(f"comparison refreshed in {time.perf_counter() - started:.0f} s\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=os.environ.get("SCALE_DATABASE_URL",
                                                             f"sqlite:///{ROOT / 'instance' / 'scale.db'}"))
    parser.add_argument("--rebuild", action="store_true", help="drop the SQLite file and generate again")
    parser.add_argument("--municipalities", type=int, default=int(os.environ.get("SCALE_MUNICIPALITIES", 2000)))
    parser.add_argument("--complaints", type=int, default=int(os.environ.get("SCALE_COMPLAINTS", 1_000_000)))
    parser.add_argument("--ballots", type=int, default=int(os.environ.get("SCALE_BALLOTS", 100_000)))
    parser.add_argument("--projects", type=int, default=int(os.environ.get("SCALE_PROJECTS", 100)))
    parser.add_argument("--page", help=argparse.SUPPRESS)
    parser.add_argument("--tally", help=argparse.SUPPRESS)
    parser.add_argument("--publish", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", help="time only these paths (comma-separated; a trailing * takes every path "
                                       "that starts so), and leave out the tallies")
    args = parser.parse_args()
    if args.publish:
        print(json.dumps(publish_one()))
        return
    if args.page:
        print(json.dumps(measure_page(args.page)))
        return
    if args.tally:
        print(json.dumps(measure_tally(args.tally)))
        return
    env = dict(os.environ, DATABASE_URL=args.database, PYTHONPATH=str(ROOT))
    os.environ["DATABASE_URL"] = args.database
    sqlite_file = Path(args.database[len("sqlite:///"):]) if args.database.startswith("sqlite:///") else None
    if sqlite_file and args.rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    app = make_app()
    with app.app_context():
        from sqlalchemy import select

        from portal.extensions import db
        from portal.municipalities.models import Municipality

        db.create_all()  # the schema the models declare (the migration history may lag in development)
        ready = db.session.execute(select(Municipality.id).where(Municipality.slug == BIG)).first() is not None
        db.engine.dispose()
    if not ready:
        build(env, args)
    values = ids(app)
    print(f"database: {args.database.split('@')[-1]}   pages: cold = first request of a fresh process, "
          f"warm = median of {WARM}\n")
    header = (f"{'page':72} {'status':>6} {'KB':>8} {'gzip KB':>8} {'cold ms':>8} {'warm ms':>8} {'p95 ms':>7} "
              f"{'RSS MB':>7} {'peak MB':>8}")
    print(header + "\n" + "-" * len(header))
    slow, heavy, over = [], [], []
    for template in PAGES + DOWNLOADS:
        path = template.format(**values)
        if args.only and not any(path == part or (part.endswith("*") and path.startswith(part[:-1]))
                                 for part in args.only.split(",")):
            continue
        row = child("page", path, env)
        if "error" in row:
            print(f"{path[:72]:72} ERROR {row['error']}")
            slow.append(path)
            continue
        print(f"{path[:72]:72} {row['status']:6d} {row['bytes'] / 1024:8.1f} {row['gzip'] / 1024:8.1f} "
              f"{row['cold_ms']:8.1f} {row['warm_ms']:8.1f} {row['p95_ms']:7.1f} {row['rss_mb']:7.1f} "
              f"{row['peak_mb']:8.1f}", flush=True)
        if template in DOWNLOADS:
            continue
        if row["p95_ms"] > P95_BUDGET_MS:
            over.append(path)
        if row["warm_ms"] > 1000 or row["cold_ms"] > 1000 or row["status"] >= 500:
            slow.append(path)
        if row["html"] and row["bytes"] > HTML_BUDGET:
            heavy.append(path)
    print("\nEvery page and API list under one second, cold and warm: " + ("yes" if not slow else "NO: " + ", ".join(slow)))
    print("Every HTML page under 60 KB: " + ("yes" if not heavy else "NO: " + ", ".join(heavy)))
    print(f"Every page and API list p95 under {P95_BUDGET_MS} ms warm: "
          + ("PASS" if not over else "FAIL on " + ", ".join(over)))
    row = child("publish", None, env)
    if "error" in row or row["status"]:
        print(f"\nComparison refresh after one publication: ERROR {row.get('error') or row.get('said')}")
    else:
        print(f"\nComparison refresh after one publication (compare refresh --changed): {row['seconds']:.1f} s "
              f"({row['said']}), budget {REFRESH_BUDGET_S} s: " + ("PASS" if row["seconds"] <= REFRESH_BUDGET_S else "FAIL"))
    if args.only:
        return
    print(f"\n{'tally rule':22} {'ballots':>8} {'projects':>8} {'read s':>7} {'tally s':>8} {'selected':>8} "
          f"{'ballots MB':>10} {'peak MB':>8}")
    for rule in ("greedy", "mes", "mes-add1"):
        row = child("tally", rule, env)
        if "error" in row:
            print(f"{rule:22} ERROR {row['error']}")
            continue
        print(f"{rule:22} {row['ballots']:8d} {row['projects']:8d} {row['read_s']:7.2f} {row['tally_s']:8.2f} "
              f"{row['selected']:8d} {row['election_mb']:10.1f} {row['peak_mb']:8.1f}")


if __name__ == "__main__":
    main()
