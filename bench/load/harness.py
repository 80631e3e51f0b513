"""``make load``: drive the portal with Locust, then prove nothing was lost or doubled.

1. A fresh database (SQLite in a temporary folder, or ``LOAD_DATABASE_URL``, whose
   tables are dropped and created again) gets the demo and a synthetic census of
   ``LOAD_VOTERS`` residents for the open 2026 participatory budget.
2. gunicorn serves it with ``WORKERS`` workers, rate limits off for this run only
   (``RATELIMIT_ENABLED=false`` in the server's environment).
3. Locust (headless) runs voters, survey respondents, complainants and readers at once
   for ``LOAD_SECONDS`` with ``LOAD_USERS`` users; every confirmed outcome is logged.
4. The report: requests, throughput, p50/p95/p99 latency and errors per step; then the
   database check: each accepted ballot, survey response and report stored exactly
   once (with the choices/answers the client sent), none refused stored, the tally
   equal to a recount of the raw ballots and to the clients' own count.

With ``LOAD_SERVERS=2`` two gunicorn servers take the requests (each request goes to
either), and with ``LOAD_WORKER=1`` a job worker (``flask --app wsgi jobs worker``) runs
the background work on ``LOAD_JOBS_URL`` (e.g. Redis; default a SQLite queue file):
after the run the vote is closed, and the check adds that the count ran once (one count,
one result, equal to the recount) and that every job the run asked for (comparison
refreshes after publications, the count, the periodic ones) finished, each run once.

Exit status 1 when a check fails or a request failed.
"""
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "40"))
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "10")
WORKERS = os.environ.get("WORKERS", "4")
VOTERS = int(os.environ.get("LOAD_VOTERS", "5000"))
SERVERS = max(1, int(os.environ.get("LOAD_SERVERS", "1")))
WITH_WORKER = os.environ.get("LOAD_WORKER", "") not in ("", "0")
SLUG = "intipuca"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_app(database_url: str, secret: str):
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    from portal import create_app

    return create_app({"SECRET_KEY": secret})


def prepare(app, work: Path) -> dict:
    """Fresh tables, the demo, a synthetic census; returns the state the users need
    and the counts before the run."""
    from portal.demo.cli import load_demo
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting import services as budgeting
    from portal.participation.budgeting.demo import DEMO_BIRTH, DEMO_DUI, OPEN, PAST
    from portal.participation.budgeting.models import BudgetProcess
    from portal.participation.surveys.models import Survey

    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo(echo=lambda *_: None)
        db.session.commit()
        muni = get_by_slug(SLUG)
        voters = [(f"{90000000 + i:08d}-{i % 10}", f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}")
                  for i in range(VOTERS)]
        rows = ["documento,fecha_nacimiento,distrito", f"{DEMO_DUI},{DEMO_BIRTH.isoformat()},"]
        rows += [f"{d},{b}," for d, b in voters]
        budgeting.import_census(muni, "\n".join(rows).encode(), "padron.csv")
        db.session.commit()

        def process(title):
            return db.session.query(BudgetProcess).filter_by(municipality_id=muni.id, title=title).one()
        open_process, past = process(OPEN), process(PAST)
        today = date.today()
        survey = next(s for s in db.session.query(Survey).filter_by(municipality_id=muni.id)
                      if s.is_published and s.opens_on <= today and not s.is_closed(today))
        from portal.participation.complaints import services as complaints
        state = {
            "slug": SLUG, "process_id": open_process.id, "past_process_id": past.id, "survey_id": survey.id,
            "refs": [p.ref for p in budgeting.ballot_projects(open_process)],
            "max_choices": open_process.max_choices or 1,
            "categories": [c.code for c in complaints.categories(muni)],
            "number_fields": sorted({"attr_" + a.code for c in complaints.categories(muni)
                                     for a in c.attributes if a.datatype == "number"}),
            "voters": voters,
        }
        state["before"] = counts(app, state)
    (work / "state.json").write_text(json.dumps(state))
    return state


def counts(app, state) -> dict:
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.participation.budgeting.models import Ballot, Participation
    from portal.participation.complaints.models import Report
    from portal.participation.surveys.models import SurveyResponse

    with app.app_context():
        one = lambda q: db.session.execute(q).scalar()  # noqa: E731
        raw = Counter()
        for (choices,) in db.session.execute(select(Ballot.choices).where(Ballot.process_id == state["process_id"])):
            raw.update(part for part in choices.split(",") if part)
        return {
            "ballots": one(select(func.count(Ballot.id)).where(Ballot.process_id == state["process_id"])),
            "participations": one(select(func.count(Participation.id)).where(
                Participation.process_id == state["process_id"])),
            "responses": one(select(func.count(SurveyResponse.id)).where(
                SurveyResponse.survey_id == state["survey_id"])),
            "reports": one(select(func.count(Report.id))),
            "votes": dict(raw),
        }


def serve(env: dict, port: int):
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", WORKERS,
         "--log-level", "warning", "--timeout", "60", "wsgi:app"], cwd=ROOT, env=env, start_new_session=True)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except Exception:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not start")


def run_locust(urls: list[str], work: Path) -> int:
    url = urls[0]
    env = {**os.environ, "LOAD_STATE": str(work / "state.json"), "LOAD_LOG_DIR": str(work),
           "LOAD_HOSTS": ",".join(urls)}
    command = [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless",
               "-u", str(USERS), "-r", SPAWN_RATE, "-t", f"{SECONDS}s", "--host", url,
               "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "15", "--loglevel", "WARNING"]
    return subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL).returncode


def print_stats(work: Path) -> tuple[int, int]:
    with open(work / "locust_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print(f"{'step':34} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    total = failures = 0
    for row in rows:
        name = row["Name"] or "all"
        if row["Name"] == "Aggregated":
            print("-" * 82)
            total, failures = int(row["Request Count"]), int(row["Failure Count"])
        print(f"{name[:34]:34} {row['Request Count']:>8} {row['Failure Count']:>6} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}")
    failures_file = work / "locust_failures.csv"
    if failures and failures_file.exists():
        print("\nerrors:")
        with open(failures_file, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                print(f"  {row['Occurrences']:>5} x {row['Name']}: {row['Error'][:160]}")
    return total, failures


def read_log(work: Path) -> list[dict]:
    events = []
    for path in sorted(work.glob("client-*.jsonl")):
        events += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return events


def check(app, state: dict, events: list[dict]) -> list[str]:
    """Compare what clients were told with what the database holds; returns the problems."""
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting import services as budgeting
    from portal.participation.budgeting.models import Ballot, BudgetProcess, Participation
    from portal.participation.complaints.models import Report, ReportUpdate
    from portal.participation.surveys.models import Answer, SurveyResponse

    problems = []
    before, after = state["before"], counts(app, state)
    by_kind = lambda kind: [e for e in events if e["kind"] == kind]  # noqa: E731
    uncertain = Counter(e["what"] for e in by_kind("uncertain"))

    def within(name, got, accepted, maybe):
        if not accepted <= got <= accepted + maybe:
            problems.append(f"{name}: {got} stored, {accepted} accepted (+{maybe} uncertain)")

    with app.app_context():
        muni = get_by_slug(SLUG)
        process = db.session.get(BudgetProcess, state["process_id"])
        final = {e["receipt"]: e["picks"] for e in by_kind("ballot")}
        final.update({e["receipt"]: e["picks"] for e in by_kind("ballot_change")})
        voters = {e["voter"] for e in by_kind("ballot")}
        if len(final) != len(by_kind("ballot")) or len(voters) != len(final):
            problems.append("a receipt or voter was reported twice to clients")
        for receipt, picks in final.items():
            rows = db.session.execute(select(Ballot.choices).where(
                Ballot.receipt_hash == budgeting.code_hash(muni, receipt))).scalars().all()
            if len(rows) != 1 or sorted(rows[0].split(",")) != picks:
                problems.append(f"ballot {receipt}: stored {rows}, client sent {picks}")
        for voter in voters | {e["voter"] for e in by_kind("ballot_refused")}:
            n = db.session.execute(select(func.count(Participation.id)).where(
                Participation.process_id == process.id,
                Participation.voter_key == budgeting.person_hash(muni, voter))).scalar()
            if n != 1:
                problems.append(f"voter {voter}: {n} participations")
        for e in by_kind("ballot_over_budget"):
            if e["change"]:
                continue  # a refused change leaves the first ballot, checked above
            n = db.session.execute(select(func.count(Participation.id)).where(
                Participation.process_id == process.id,
                Participation.voter_key == budgeting.person_hash(muni, e["voter"]))).scalar()
            if n:
                problems.append(f"refused voter {e['voter']}: {n} participations stored")
        within("ballots", after["ballots"] - before["ballots"], len(final), uncertain["ballot"])
        if after["participations"] - before["participations"] != after["ballots"] - before["ballots"]:
            problems.append("participations and ballots differ in number")
        expected = Counter(before["votes"])
        for picks in final.values():
            expected.update(picks)
        result = budgeting.run_tally(muni, process, "greedy")
        tallied = {line.project.ref: int(line.votes) for line in result.lines}
        recount = {ref: after["votes"].get(ref, 0) for ref in tallied}
        if tallied != recount:
            problems.append(f"tally {tallied} differs from the recount of raw ballots {recount}")
        if not uncertain["ballot"] and recount != {ref: expected.get(ref, 0) for ref in tallied}:
            problems.append(f"recount {recount} differs from the clients' own count {dict(expected)}")
        db.session.rollback()

        keys = [e["key"] for e in by_kind("survey")]
        if len(set(keys)) != len(keys):
            problems.append("a survey form key was accepted twice")
        stored = Counter(db.session.execute(select(SurveyResponse.idempotency_key).where(
            SurveyResponse.survey_id == state["survey_id"], SurveyResponse.idempotency_key.in_(keys)
        )).scalars()) if keys else Counter()
        problems += [f"survey response {k}: stored {stored[k]} times" for k in keys if stored[k] != 1]
        empty = db.session.execute(select(func.count(SurveyResponse.id)).where(
            SurveyResponse.survey_id == state["survey_id"],
            ~SurveyResponse.answers.any())).scalar()
        if empty:
            problems.append(f"{empty} survey responses without answers (half-written)")
        within("survey responses", after["responses"] - before["responses"], len(keys), uncertain["survey"])

        reports = {e["key"]: e["code"] for e in by_kind("report")}
        for e in by_kind("report_resent"):
            if reports.get(e["key"]) != e["code"]:
                problems.append(f"a resent report got another code: {e['code']}")
        rows = db.session.execute(select(Report.idempotency_key, Report.code).where(
            Report.idempotency_key.in_(list(reports)))).all() if reports else []
        found = Counter(k for k, _ in rows)
        problems += [f"report {k}: stored {found[k]} times" for k in reports if found[k] != 1]
        problems += [f"report {k}: code {c} differs from {reports[k]}" for k, c in rows if reports[k] != c]
        bare = db.session.execute(select(func.count(Report.id)).where(~Report.updates.any())).scalar()
        if bare:
            problems.append(f"{bare} reports without their 'received' entry (half-written)")
        within("reports", after["reports"] - before["reports"], len(reports), uncertain["report"])
        del Answer, ReportUpdate
    print(f"\naccepted: {len(final)} ballots ({len(by_kind('ballot_change'))} changed, "
          f"{len(by_kind('ballot_refused'))} second ballots refused, "
          f"{len(by_kind('ballot_over_budget'))} over the budget refused), {len(keys)} survey responses, "
          f"{len(reports)} reports ({len(by_kind('report_resent'))} resent); uncertain: {dict(uncertain) or 0}")
    print(f"stored:   {after['ballots'] - before['ballots']} ballots, "
          f"{after['participations'] - before['participations']} participations, "
          f"{after['responses'] - before['responses']} survey responses, "
          f"{after['reports'] - before['reports']} reports (new during the run)")
    print(f"tally (greedy): {sum(tallied.values())} approvals over {len(tallied)} projects = recount of raw ballots")
    return problems


def start_worker(env: dict, work: Path):
    """A job worker (Huey's consumer) on the run's database and queue."""
    with open(work / "worker.log", "wb") as log:
        return subprocess.Popen([str(VENV_BIN / "flask"), "--app", "wsgi", "jobs", "worker"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def count_with_worker(app, state: dict, seconds: float = 120) -> list[str]:
    """Close the vote as staff do (the count goes to the queue), wait for the worker, then
    check the count ran once and every job finished, each run once."""
    from sqlalchemy import select

    from portal.core import jobs_ledger as ledger
    from portal.extensions import db
    from portal.municipalities.services import get_by_slug
    from portal.participation.budgeting import counting, services as budgeting, tally, worker
    from portal.participation.budgeting.models import BudgetCount, BudgetProcess, TallyResult

    with app.app_context():
        muni = get_by_slug(SLUG)
        process = db.session.get(BudgetProcess, state["process_id"])
        budgeting.close_voting(muni, process)
        counting.request_count(muni, process, trigger="close")
        db.session.commit()
        worker.wake()
    deadline = time.monotonic() + seconds
    problems = []
    with app.app_context():
        while True:
            db.session.expire_all()
            open_jobs = db.session.execute(select(ledger.JobRun).where(
                ledger.JobRun.status.in_((ledger.QUEUED, ledger.RUNNING)),
                ledger.JobRun.due_at <= ledger.utcnow())).scalars().all()
            counts = db.session.execute(select(BudgetCount).where(
                BudgetCount.process_id == state["process_id"])).scalars().all()
            if not open_jobs and counts and all(c.status in ("done", "failed") for c in counts):
                break
            if time.monotonic() > deadline:
                problems.append(f"jobs still open after {seconds} s: {[(j.name, j.status) for j in open_jobs]}")
                break
            time.sleep(0.5)
        runs = db.session.execute(select(ledger.JobRun)).scalars().all()
        for run in runs:
            if run.status == ledger.FAILED or (run.status == ledger.DONE and run.attempts != 1):
                problems.append(f"job {run.id} {run.name}: {run.status} after {run.attempts} attempts {run.error[:200]}")
        slots = Counter(run.once_key for run in runs if run.once_key)
        problems += [f"periodic slot {key} ran {n} times" for key, n in slots.items() if n > 1]
        if [c.status for c in counts] != ["done"]:
            problems.append(f"counts of the process: {[(c.status, c.error) for c in counts]} (one done expected)")
        results = db.session.execute(select(TallyResult).where(
            TallyResult.process_id == state["process_id"])).scalars().all()
        if len(results) != 1:
            problems.append(f"{len(results)} results stored for the process (one expected)")
        else:
            muni = get_by_slug(SLUG)
            process = db.session.get(BudgetProcess, state["process_id"])
            recount = tally.tally(counting.pot_election(process, counting.pots(process)[0],
                                                        budgeting.ballots(muni, process))[0], process.rule)
            picked = sorted(p.id for p in recount.projects if p.selected)
            stored = sorted(line.project.ref for line in results[0].lines if line.selected)
            if len(counting.pots(process)) == 1 and picked != stored:
                problems.append(f"the worker's count chose {stored}, a recount {picked}")
        done = Counter(run.name for run in runs if run.status == ledger.DONE)
        print(f"jobs: {dict(done)} done, each once; the count: {len(results)} result")
    return problems


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="cabildo-load-"))
    database_url = os.environ.get("LOAD_DATABASE_URL") or f"sqlite:///{work / 'load.db'}"
    os.environ["JOBS_URL"] = os.environ.get("LOAD_JOBS_URL") or f"sqlite:///{work / 'jobs.db'}"
    secret = secrets.token_hex(32)
    app = make_app(database_url, secret)
    engine_name = database_url.split(":", 1)[0]
    print(f"make load: {engine_name}, gunicorn {WORKERS} workers, {USERS} users for {SECONDS} s "
          f"(voters 4 : survey 3 : reports 2 : readers 3), census of {VOTERS} synthetic residents")
    state = prepare(app, work)
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secret, "RATELIMIT_ENABLED": "false",
           "UPLOAD_DIR": str(work / "uploads"), "PYTHONPATH": str(ROOT), "JOBS_URL": app.config["JOBS_URL"]}
    servers, urls = [], []
    worker = start_worker(env, work) if WITH_WORKER else None
    try:
        for _ in range(SERVERS):
            port = free_port()
            servers.append(serve(env, port))
            urls.append(f"http://127.0.0.1:{port}")
        started = time.monotonic()
        run_locust(urls, work)
        elapsed = time.monotonic() - started
        job_problems = count_with_worker(app, state) if worker else []
    finally:
        for process in servers + ([worker] if worker else []):
            os.killpg(process.pid, signal.SIGINT if process is worker else signal.SIGTERM)
            process.wait(timeout=60)
    total, failures = print_stats(work)
    print(f"\n{total} requests in {elapsed:.0f} s on {SERVERS} server(s): "
          f"{total / max(elapsed, 1):.1f} req/s overall, {failures} errors")
    problems = check(app, state, read_log(work)) + job_problems
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()
    if problems:
        print("\nDATABASE CHECK FAILED:")
        for problem in problems[:50]:
            print("  " + problem)
    else:
        print("database check: zero lost, zero doubled")
    print(f"(logs and Locust CSV in {work})")
    return 1 if problems or failures else 0


if __name__ == "__main__":
    sys.exit(main())
