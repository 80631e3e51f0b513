"""Jobs that only the tests declare, imported by the test process and by a real worker
(``flask --app wsgi jobs worker --import tests.core.jobs_for_tests``). Each writes lines
to a file, so a test can count how often each ran across processes."""
import os
import time
from pathlib import Path

from portal.core import jobs


def _line(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as out:  # one short append: atomic on Linux
        out.write(f"{text} {os.getpid()}\n")


@jobs.job("tests.note", "note")
def note(path: str, token: str) -> None:
    time.sleep(0.05)  # long enough for two workers to meet on the same job
    _line(path, f"ran {token}")


@jobs.job("tests.slow-first-time", "slow")
def slow_first_time(path: str, token: str, seconds: float) -> None:
    """Starts, and the first time waits ``seconds`` (the test kills its worker then)."""
    _line(path, f"start {token}")
    marker = Path(path + ".first")
    if not marker.exists():
        marker.write_text("x")
        time.sleep(seconds)
    _line(path, f"done {token}")


@jobs.job("tests.always-fails", "fails", retries=2)
def always_fails(path: str, message: str) -> None:
    _line(path, "attempt")
    raise RuntimeError(message)


def _census_then_wait(run, clean, progress):
    """The census import's own write; the first time, it then waits (uncommitted) for the
    test to kill its worker."""
    from portal.participation.budgeting import census

    result = census._write_run(run, clean, progress)
    marker = Path(run.option_data["marker"])
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        time.sleep(120)
    return result


def _declare_slow_census():
    from portal.core import imports
    from portal.participation.budgeting import census

    return imports.importer("tests.census-slow", "slow census", check=census._check_run, write=_census_then_wait,
                            summary=census._summary, done_url=census._census_page, again_url=census._census_page,
                            roles=("editor",))


SLOW_CENSUS = _declare_slow_census()
