"""``make bench``: throughput, latency and page weight of the main pages, next to a bare
Flask page served by the same gunicorn settings, loaded with wrk for a fixed time.

A benchmark to read, not a test: it prints a table and the budgets we hold ourselves to
(no public page over 60 KB of HTML or 100 KB in all, gzip; the service worker and the
offline scripts within 15 KB gzip together) and flags what goes over.
Environment: BENCH_SECONDS (default 8), BENCH_CONNECTIONS (default 8), WORKERS (default 2).
"""
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = os.environ.get("WORKERS", "2")
HTML_BUDGET, TOTAL_BUDGET = 60_000, 100_000
# The municipal home within this factor of the bare Flask page's throughput.
HOME_FACTOR = float(os.environ.get("BENCH_HOME_FACTOR", "4"))
OFFLINE_BUDGET = 15_000  # the service worker and the offline outbox script, gzip
OFFLINE_SCRIPTS = ["/sw.js", "/static/offline/queue.js"]

PAGES = [
    ("platform home", "/"),
    ("municipality home", "/m/intipuca/"),
    ("diagnostic", "/m/intipuca/diagnostico/"),
    ("finance", "/m/intipuca/finanzas/"),
    ("roadmap", "/m/intipuca/hoja-de-ruta/"),
    ("participatory budget", "/m/intipuca/presupuesto/"),
    ("surveys", "/m/intipuca/encuestas/"),
    ("complaints", "/m/intipuca/reclamos/"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(module: str, port: int):
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", WORKERS,
         "--log-level", "warning", module], cwd=ROOT, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except Exception:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{module} did not start on port {port}")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


def load(url: str) -> dict:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s",
                          "-s", str(ROOT / "bench" / "wrk_report.lua"), url],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css, self.js, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
            self.css.append(attrs.get("href"))
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])
        elif tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])
        elif tag == "link" and "icon" in (attrs.get("rel") or ""):
            self.images.append(attrs.get("href"))


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def weight(base: str, path: str) -> dict | None:
    try:
        html = urllib.request.urlopen(base + path, timeout=10).read()
    except Exception:
        return None
    parser = Assets()
    parser.feed(html.decode("utf-8", "replace"))
    sizes = {"html": gz(html), "css": 0, "js": 0, "img": 0}
    for kind, urls in (("css", parser.css), ("js", parser.js), ("img", parser.images)):
        for url in urls:
            if url and url.startswith("/"):
                sizes[kind] += gz(urllib.request.urlopen(base + url, timeout=10).read())
    sizes["total"] = sum(sizes.values())
    return sizes


def offline_weight(base: str) -> list[tuple[str, int]]:
    """Gzip bytes of the service worker and the offline layer's scripts."""
    return [(path, gz(urllib.request.urlopen(base + path, timeout=10).read())) for path in OFFLINE_SCRIPTS]


def print_offline_weight(base: str) -> None:
    sizes = offline_weight(base)
    total = sum(size for _path, size in sizes)
    print("\nOffline layer (service worker and scripts, gzip bytes):")
    for path, size in sizes:
        print(f"  {path:32} {size:7d}")
    print(f"  {'total':32} {total:7d}  budget {OFFLINE_BUDGET // 1000} KB: "
          + ("within budget" if total <= OFFLINE_BUDGET else "OVER"))


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offline-weight", metavar="URL",
                        help="only print the offline layer's weight, from a portal already serving at URL")
    args = parser.parse_args()
    if args.offline_weight:
        print_offline_weight(args.offline_weight.rstrip("/"))
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    portal_port, bare_port = free_port(), free_port()
    bare = serve("bench.bare:app", bare_port)
    portal = serve("wsgi:app", portal_port)
    try:
        base = f"http://127.0.0.1:{portal_port}"
        bare_figures = load(f"http://127.0.0.1:{bare_port}/")
        print(f"wrk: {SECONDS}s per page, {CONNECTIONS} connections, gunicorn {WORKERS} workers (sync)\n")
        header = f"{'page':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7} " \
                 f"{'html':>7} {'css':>6} {'js':>6} {'img':>6} {'total':>7} {'budget':>6}  (gzip bytes)"
        print(header)
        print("-" * len(header))
        print(f"{'bare Flask page':24} {bare_figures['rps']:8.1f} {bare_figures['p50']:8.2f} "
              f"{bare_figures['p95']:8.2f} {1:7.2f}")
        over, home_ratio = [], None
        for name, path in PAGES:
            sizes = weight(base, path)
            if sizes is None:
                print(f"{name:24} (not available: {path})")
                continue
            figures = load(base + path)
            ratio = figures["rps"] / bare_figures["rps"] if bare_figures["rps"] else 0
            within = sizes["html"] <= HTML_BUDGET and sizes["total"] <= TOTAL_BUDGET
            print(f"{name:24} {figures['rps']:8.1f} {figures['p50']:8.2f} {figures['p95']:8.2f} "
                  f"{ratio:7.2f} {sizes['html']:7d} {sizes['css']:6d} {sizes['js']:6d} "
                  f"{sizes['img']:6d} {sizes['total']:7d} {'PASS' if within else 'FAIL':>6}"
                  + (f"  errors={figures['errors']}" if figures["errors"] else ""))
            if not within:
                over.append(name)
            if path == "/m/intipuca/":
                home_ratio = ratio
        print(f"\nBudget: HTML <= {HTML_BUDGET // 1000} KB and total <= {TOTAL_BUDGET // 1000} KB gzip per page: "
              + ("PASS" if not over else "FAIL on " + ", ".join(over)))
        if home_ratio:
            print(f"Budget: municipal home within {HOME_FACTOR:g}x of the bare page's throughput "
                  f"(it serves 1/{1 / home_ratio:.1f} of it): " + ("PASS" if home_ratio * HOME_FACTOR >= 1 else "FAIL"))
        print_offline_weight(base)
        sys.path.insert(0, str(ROOT / "bench"))
        import lighthouse

        lighthouse.run(base)
        extra = ROOT / "bench" / "budgeting_tally.py"
        if extra.exists():
            print("\nParticipatory-budget tallies:")
            subprocess.run([sys.executable, str(extra)], cwd=ROOT, check=False)
    finally:
        stop(portal)
        stop(bare)


if __name__ == "__main__":
    main()
