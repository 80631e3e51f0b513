"""Timing of the participatory-budgeting rules on the real pabulib elections.

Run: .venv/bin/python bench/budgeting_tally.py  (also called from `make bench`).
Prints, per election and rule, the seconds taken, the number of Equal Shares runs and
whether the city's own rule reproduces the file's `selected`.
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.participation.budgeting import pabulib, tally  # noqa: E402

DATA = Path(os.environ.get("PABULIB_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "pabulib"))
CITY = {
    "Netherlands_Assen_2024.pb": "mes-add1",
    "Poland_Swiecie_2023.pb": "mes-add1-comparison",
    "Poland_Wieliczka_2023_Green_Budget.pb": "mes-add1-comparison",
    "Poland_Warszawa_2023_Mokotow.pb": "greedy",
    "Poland_Czestochowa_2024_Polnoc.pb": "greedy",
    "Poland_Krakow_2025_Podgorze.pb": "greedy",
}


def main():
    print(f"{'election':40} {'rule':20} {'seconds':>8} {'MES runs':>8}  city rule reproduces")
    for name, city_rule in CITY.items():
        path = DATA / name
        if not path.exists():
            print(f"{name}: not found in {DATA}")
            continue
        pb = pabulib.read(path)
        election = pabulib.to_election(pb)
        wanted = set(pabulib.selected_ids(pb))
        for rule in tally.RULES:
            start = time.perf_counter()
            outcome = tally.tally(election, rule)
            seconds = time.perf_counter() - start
            mark = ("yes" if set(outcome.selected) == wanted else "NO") if rule == city_rule else ""
            print(f"{name[:-3]:40} {rule:20} {seconds:8.3f} {outcome.mes_runs:8d}  {mark}")


if __name__ == "__main__":
    main()
