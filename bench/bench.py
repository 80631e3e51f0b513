"""``make bench``: throughput, latency and page weight of the main pages, next to a bare
Flask page served by the same gunicorn settings, loaded with wrk for a fixed time.

A benchmark to read, not a test: it prints a table and the budgets we hold ourselves to
and flags what goes over:

* throughput next to the bare page, both ratios side by side: the cached municipal home
  at least ``BENCH_HOME_GOAL`` (0.8) of the bare page's requests per second, every other
  public page at least ``BENCH_PAGE_GOAL`` (0.25). Each page is loaded right after the
  bare page (same seconds, same connections), and its ratio is to that run, so load
  from other work on the machine weighs on both alike;
* no public page over 60 KB of HTML or 100 KB in all, gzip; the service worker and the
  offline scripts within 15 KB gzip together.

Environment: BENCH_SECONDS (default 8), BENCH_CONNECTIONS (default 8), WORKERS (default 2).
``--quick`` leaves out Lighthouse and the tallies.
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
# Throughput goals, as a share of the bare Flask page's requests per second.
HOME_GOAL = float(os.environ.get("BENCH_HOME_GOAL", "0.8"))  # the cached municipal home
PAGE_GOAL = float(os.environ.get("BENCH_PAGE_GOAL", "0.25"))  # every other public page
HOME = "/m/intipuca/"
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


def cache_state(url: str) -> str:
    """``hit`` when the page comes from the page cache (asked until a hit, a few times: the
    first request to each worker may render it), ``-`` for a page that is never cached."""
    state = "-"
    for _ in range(6):
        with urllib.request.urlopen(url, timeout=10) as response:
            state = response.headers.get("X-Cache", "-")
        if state in ("hit", "-"):
            break
    return state


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
    parser.add_argument("--quick", action="store_true", help="leave out Lighthouse and the tallies")
    args = parser.parse_args()
    quick = args.quick
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
        print(f"wrk: {SECONDS}s per page, {CONNECTIONS} connections, gunicorn {WORKERS} workers (sync); "
              f"each page right after the bare page; load average {os.getloadavg()[0]:.1f} at the start\n")
        header = f"{'page':24} {'cache':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'bare/s':>8} {'x bare':>7} " \
                 f"{'goal':>5} {'':4}  {'html':>6} {'css':>6} {'js':>6} {'img':>6} {'total':>6} {'weight':>6}"
        print(header + "  (gzip bytes)")
        print("-" * len(header))
        over, slow, ratios = [], [], {}
        for name, path in PAGES:
            sizes = weight(base, path)
            if sizes is None:
                print(f"{name:24} (not available: {path})")
                continue
            cache = cache_state(base + path)
            bare_figures = load(f"http://127.0.0.1:{bare_port}/")
            figures = load(base + path)
            ratio = figures["rps"] / bare_figures["rps"] if bare_figures["rps"] else 0
            goal = HOME_GOAL if path == HOME else PAGE_GOAL
            fast = ratio >= goal
            within = sizes["html"] <= HTML_BUDGET and sizes["total"] <= TOTAL_BUDGET
            print(f"{name:24} {cache:>5} {figures['rps']:8.0f} {figures['p50']:7.2f} {figures['p95']:7.2f} "
                  f"{bare_figures['rps']:8.0f} {ratio:7.2f} {goal:5.2f} {'PASS' if fast else 'FAIL':4}  "
                  f"{sizes['html']:6d} {sizes['css']:6d} {sizes['js']:6d} {sizes['img']:6d} {sizes['total']:6d} "
                  f"{'PASS' if within else 'FAIL':>6}"
                  + (f"  errors={figures['errors']}" if figures["errors"] else ""), flush=True)
            ratios[path] = (name, ratio)
            if not within:
                over.append(name)
            if not fast:
                slow.append(name)
        print(f"\nBudget: HTML <= {HTML_BUDGET // 1000} KB and total <= {TOTAL_BUDGET // 1000} KB gzip per page: "
              + ("PASS" if not over else "FAIL on " + ", ".join(over)))
        if HOME in ratios:
            home = ratios[HOME][1]
            print(f"Throughput: the cached municipal home serves {home:.2f} of the bare page's requests per second "
                  f"(goal {HOME_GOAL:g}): " + ("PASS" if home >= HOME_GOAL else "FAIL"))
        others = [(ratio, name) for path, (name, ratio) in ratios.items() if path != HOME]
        if others:
            lowest, name = min(others)
            print(f"Throughput: every other public page at least {PAGE_GOAL:g} of the bare page "
                  f"(lowest: {name}, {lowest:.2f}): " + ("PASS" if lowest >= PAGE_GOAL else
                                                         "FAIL on " + ", ".join(n for r, n in others if r < PAGE_GOAL)))
        print_offline_weight(base)
        if quick:
            return
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
