"""Real job workers for tests: ``flask --app wsgi jobs worker`` as subprocesses on a
database and a queue of the test's own (a SQLite file, or Redis)."""
import os
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]


class Workers:
    """Starts workers on ``database_url`` and ``jobs_url``; stops them all at the end."""

    def __init__(self, database_url: str, jobs_url: str, logs: Path, **settings):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("JOBS_", "REDIS_", "CACHE_"))}
        self.env.update({"DATABASE_URL": make_url(database_url).render_as_string(hide_password=False),
                         "SECRET_KEY": "k" * 64, "JOBS_URL": jobs_url, "PYTHONPATH": str(ROOT),
                         "UPLOAD_FOLDER": str(logs / "uploads"), "OUTBOX_DIR": str(logs / "outbox"),
                         "JOBS_LEASE_SECONDS": "2", "JOBS_RETRY_DELAY": "0.3", "JOBS_RETRY_BACKOFF": "2"})
        self.env.update({k: str(v) for k, v in settings.items()})
        self.logs = logs
        self.started: list[subprocess.Popen] = []

    def start(self, threads: int = 2) -> subprocess.Popen:
        with open(self.logs / f"worker-{len(self.started)}.log", "wb") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "jobs", "worker", "--workers", str(threads),
                 "--import", "tests.core.jobs_for_tests"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL: the worker gets no chance to finish or to say anything."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)  # Huey's graceful stop
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("worker-*.log")))


def wait_until(condition, seconds: float = 90, what: str = "the jobs", workers: Workers | None = None):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not finish in {seconds} s\n{workers.log_text() if workers else ''}")
        time.sleep(0.2)
