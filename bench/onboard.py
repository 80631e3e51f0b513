"""Onboarding a country: how long importing its municipalities and its national index takes.

Builds an empty database (SQLite in a temporary folder, or ``--database URL``), then
times, on a generated country (``portal/demo/country.py``: accents, the same name in
several departments, municipalities missing the index's first edition):

- importing N municipalities from an XLSX file (read, validate, write, commit);
- importing the same list again as CSV (nothing changes);
- importing a national index for three editions (``compare import-external``'s work);
- the comparison refresh that makes it an indicator of ``/comparar/``.

    .venv/bin/python bench/onboard.py                  # 400 municipalities on SQLite
    .venv/bin/python bench/onboard.py --municipalities 2000 \\
        --database postgresql://cabildo:cabildo@127.0.0.1/cabildo_bench

A benchmark to read, not a test (budgets live here, not in timed tests).
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_SECONDS = 10  # per 400 municipalities: a country's import takes seconds, not minutes


def timed(label, action):
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:7.2f} s   {result}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=400)
    parser.add_argument("--database", default="", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()

    from portal import create_app
    from portal.audit.services import acting_as
    from portal.compare import external, services
    from portal.demo import country
    from portal.extensions import db
    from portal.municipalities import importing

    folder = tempfile.mkdtemp(prefix="cabildo-onboard-")
    url = args.database or f"sqlite:///{folder}/onboard.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench" * 8})
    rows = country.municipalities(args.municipalities, "GT")
    as_xlsx, as_csv = country.to_xlsx(rows, country.HEADERS), country.to_csv(rows, country.HEADERS)
    values = country.index_rows(rows)
    index_csv = country.to_csv(values, list(values[0]))
    print(f"{args.municipalities} municipalities, {len(values)} index values, database {url.split('@')[-1]}")
    with app.app_context():
        db.drop_all()
        db.create_all()

        def load(data, name):
            with acting_as("platform_admin"):
                result = importing.import_file(data, name)
                db.session.commit()
            return result

        def index():
            count = external.import_file(index_csv, "ranking.csv", country="GT")
            db.session.commit()
            return f"{count} values"

        def refresh():
            with acting_as("system"):
                result = services.refresh(only_changed=True)
                db.session.commit()
            return result

        first = timed("import municipalities (XLSX, new)", lambda: load(as_xlsx, "municipios.xlsx"))
        timed("import the same list again (CSV, unchanged)", lambda: load(as_csv, "municipios.csv"))
        timed("import a national index, three editions", index)
        timed("refresh the comparison (the index joins /comparar/)", refresh)
        db.drop_all()
    budget = BUDGET_SECONDS * max(args.municipalities, 400) / 400
    verdict = "within" if first <= budget else "OVER"
    print(f"first import: {first:.2f} s, {verdict} the {budget:.0f} s budget")
    return 0 if first <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
