"""Lighthouse (npm, pinned in bench/package.json) over the main pages at mobile settings,
in Debian's Chromium: performance and accessibility scores and the paint timings.

Run by ``make bench`` against the portal it serves, or alone against a running portal:

    npm ci --prefix bench          # once
    .venv/bin/python bench/lighthouse.py http://127.0.0.1:5000

Lighthouse's defaults are its mobile settings: a phone's screen (412x823, DPR 1.75) and
simulated slow 4G with a 4x slower CPU. CHROME_PATH (default /usr/bin/chromium).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CLI = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = [
    ("platform home", "/"),
    ("municipality home", "/m/intipuca/"),
    ("diagnostic", "/m/intipuca/diagnostico/"),
    ("finance", "/m/intipuca/finanzas/"),
    ("roadmap", "/m/intipuca/hoja-de-ruta/"),
    ("participatory budget", "/m/intipuca/presupuesto/"),
    ("surveys", "/m/intipuca/encuestas/"),
    ("complaints", "/m/intipuca/reclamos/"),
    ("file a complaint", "/m/intipuca/reclamos/nuevo"),
]
SCORE_BUDGET = 90  # performance and accessibility, out of 100


def available() -> bool:
    return CLI.exists() and Path(CHROME).exists() and shutil.which("node") is not None


def audit(url: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            ["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={report}",
             "--only-categories=performance,accessibility", "--form-factor=mobile",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run"],
            env=dict(os.environ, CHROME_PATH=CHROME), check=True, capture_output=True, timeout=180)
        data = json.loads(report.read_text())
    audits = data["audits"]

    def ms(key):
        return audits.get(key, {}).get("numericValue") or 0
    return {"performance": round(100 * (data["categories"]["performance"]["score"] or 0)),
            "accessibility": round(100 * (data["categories"]["accessibility"]["score"] or 0)),
            "fcp": ms("first-contentful-paint"), "lcp": ms("largest-contentful-paint"),
            "tbt": ms("total-blocking-time"), "cls": audits.get("cumulative-layout-shift", {}).get("numericValue", 0),
            "bytes": audits.get("total-byte-weight", {}).get("numericValue", 0)}


def run(base: str) -> bool:
    """Print the table; True when every page reaches the score budget."""
    if not available():
        print("Lighthouse not installed (npm ci --prefix bench) or no Chromium at " + CHROME + ": skipped")
        return True
    print(f"\nLighthouse {lighthouse_version()} at mobile settings (simulated slow 4G, 4x CPU), {CHROME}:")
    header = f"{'page':24} {'perf':>5} {'a11y':>5} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6} {'KB':>6}  budget"
    print(header + "\n" + "-" * len(header))
    ok = True
    for name, path in PAGES:
        try:
            row = audit(base + path)
        except (subprocess.SubprocessError, OSError, KeyError, ValueError) as error:
            print(f"{name:24} failed: {str(error)[:80]}")
            ok = False
            continue
        passed = row["performance"] >= SCORE_BUDGET and row["accessibility"] >= SCORE_BUDGET
        ok = ok and passed
        print(f"{name:24} {row['performance']:5d} {row['accessibility']:5d} {row['fcp']:7.0f} {row['lcp']:7.0f} "
              f"{row['tbt']:7.0f} {row['cls']:6.3f} {row['bytes'] / 1024:6.1f}  {'PASS' if passed else 'FAIL'}")
    print(f"Lighthouse budget: performance and accessibility >= {SCORE_BUDGET} on every page: "
          + ("PASS" if ok else "FAIL"))
    return ok


def lighthouse_version() -> str:
    try:
        return json.loads((BENCH / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "?"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(0 if run(sys.argv[1].rstrip("/")) else 1)
