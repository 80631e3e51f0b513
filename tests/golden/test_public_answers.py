"""The demo's every public download, feed, catalog and API answer, byte for byte.

A fresh database gets the demo with the clock frozen at :data:`MOMENT` (time-machine:
``date.today()``, ``datetime.now()`` and ``time.time()`` all answer that moment, so the
demo's relative dates, the change record's times and the feeds' ``updated`` never move).
Then every public GET route of the URL map is requested with the demo's values (every
municipality for the routes that only take a slug; every dataset, feed topic, catalog
format, published budget year, process, plan and survey of Intipucá), plus the documented
query variants of the read API and Open311. Every answer that is not an HTML page (CSV,
XLSX, JSON, XML, Atom, ICS, RDF/XML, Turtle, JSON-LD, pabulib) is compared with its file
under ``tests/golden/answers/``; ``secrets`` draws from a seeded generator meanwhile (the
demo's random file names and codes enter the change record's hashes) and
``time.perf_counter`` stands still (a count stores its duration); ``index.txt`` there lists every URL with its status and
media type, so a route that disappears or changes type fails too. PostgreSQL orders ties
in a few lists differently from SQLite: its answers that differ are kept under
``answers/postgresql/`` and compared instead of the shared file.

Two formats are compared through a stable rendering of the same bytes:

- XLSX: the zip's members (name and content: the sheet XML, shared strings, styles),
  unzipped, in name order. The zip's own timestamps are not compared.
- RDF (Turtle, RDF/XML, JSON-LD): the graph parsed and written as canonical N-Triples
  (rdflib's canonical blank-node labels, sorted lines), because rdflib names blank nodes
  at random on every run; every triple is still compared.
- The change record's CSV (``/m/<slug>/historial.csv``): its rows without ``seq``,
  ``prev_hash`` and ``hash``, sorted. The demo writes many records in one flush, and
  SQLAlchemy flushes the changed objects of one flush in no fixed order, so positions and
  hashes differ between two loads of the same demo; every other column is compared.

Regenerate after an intended change of an answer (and read the diff before committing)::

    GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/golden -q -n 0
    GOLDEN_UPDATE=1 TEST_DATABASE_URL=postgresql://... .venv/bin/python -m pytest tests/golden -q -n 0

(SQLite first: it writes the shared files; PostgreSQL then writes only its differences.)
"""
import base64
import csv
import difflib
import io
import os
import random
import re
import secrets
import time
import warnings
import zipfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from sqlalchemy import select

pytestmark = pytest.mark.xdist_group("golden")

ANSWERS = Path(__file__).parent / "answers"
MOMENT = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
HTML = ("text/html",)
NOT_DATA = ("text/html", "text/javascript", "application/javascript", "application/manifest+json", "image/")
RDF = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Documented query variants (README, docs/*.md), besides the bare path.
QUERIES = {
    "opendata.api_municipalities": ["per_page=3", "format=csv", "country=SV"],
    "opendata_catalog.platform_datasets": ["limit=2&offset=1", "topic=finance&country=SV"],
    "datasets_api.rows": ["limit=3", "lang=en"],
    "datasets_api.csv_es": ["lang=en"],
    "finance_api.budget": ["year=2013"],
    "finance_api.indicators": ["year=2013", "year=2016&scenario=PRFM 2014-2018"],
    "finance_api.scenario_lines": ["year=2016", "format=csv"],
    "diagnostic_api.diagnostic": ["assessment=1", "assessment=2013-04-15", "format=csv"],
    "complaints_api.statistics": ["as_of=2026-06-30", "format=csv"],
    "complaints_api.service_list": ["format=csv"],
    "surveys_api.surveys": ["format=csv"],
    "budgeting_api.results": ["rule=greedy"],
    "open311.request_list": ["status=open&page_size=5", "extensions=true"],
    "open311.request_one": ["extensions=true"],
}


def _demo_values():
    """Values for every URL argument, each a list: Intipucá's published objects, every
    municipality's slug, every dataset, topic and format."""
    from portal.audit.models import ChangeRecord
    from portal.compare.metrics import builtin
    from portal.core.registry import topics
    from portal.extensions import db
    from portal.finance.models import BudgetYear, Scenario
    from portal.municipalities.models import Municipality
    from portal.municipalities.services import get_by_slug
    from portal.opendata.catalog import SERIALIZATIONS
    from portal.opendata.datasets import all_datasets
    from portal.participation.budgeting.models import BudgetProcess, BudgetProject
    from portal.participation.complaints.models import Category, Report
    from portal.participation.surveys.models import Survey
    from portal.roadmap.models import Activity, Plan

    muni = get_by_slug("intipuca")

    def ids(column, *where):
        return db.session.execute(select(column).where(*where).order_by(column)).scalars().all()

    processes = ids(BudgetProcess.id, BudgetProcess.municipality_id == muni.id, BudgetProcess.status == "published")
    plans = ids(Plan.id, Plan.municipality_id == muni.id, Plan.status == "published")
    reports = ids(Report.id, Report.municipality_id == muni.id, Report.hidden.is_(False))
    return {
        "slugs": ids(Municipality.slug),
        "slug": ["intipuca"],
        "key": [d.key for d in all_datasets()],
        "metric": [m.key for m in builtin()],
        "topic": [None, *topics()],
        "fmt": sorted(SERIALIZATIONS),
        "year": ids(BudgetYear.year, BudgetYear.municipality_id == muni.id, BudgetYear.status == "published"),
        "process_id": processes,
        "project_id": ids(BudgetProject.id, BudgetProject.process_id == processes[0])[:1],
        "plan_id": plans,
        "activity_id": ids(Activity.id, Activity.plan_id == plans[0])[:1],
        "survey_id": ids(Survey.id, Survey.municipality_id == muni.id, Survey.status == "published"),
        "scenario_id": ids(Scenario.id, Scenario.municipality_id == muni.id, Scenario.status == "published"),
        "name_or_id": [str(i) for i in ids(Scenario.id, Scenario.municipality_id == muni.id,
                                           Scenario.status == "published")],
        "change_id": ids(ChangeRecord.id, ChangeRecord.municipality_id == muni.id)[:1],
        "request_id": [str(i) for i in reports[:1]],
        "code": ids(Category.code, Category.municipality_id == muni.id)[:2],
        "kind": ["budget", "indicators"],
    }


def _choices(rule, name, values):
    """The values to try for argument ``name`` of ``rule``."""
    converter = rule._converters.get(name)
    options = getattr(converter, "items", None)  # any(csv, xlsx)
    if options:
        return sorted(options)
    if name == "slug" and rule.arguments <= {"slug", "topic"}:
        return values["slugs"]
    if name == "fmt" and rule.endpoint.startswith("finance."):
        return ["csv", "xlsx"]
    if name == "code" and not rule.endpoint.startswith(("open311.", "complaints")):
        return []
    if name == "key" and rule.endpoint.startswith("compare."):
        return values["metric"]
    return values.get(name, [])


def public_urls(app) -> list[tuple[str, str]]:
    """(endpoint, URL with its query) of every public GET route, filled with demo values."""
    from itertools import product

    from flask import url_for

    with app.app_context():
        values = _demo_values()
    found = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            if "GET" not in rule.methods or str(getattr(view, "access", "")) != "public":
                continue
            if "<token>" in rule.rule or rule.rule.startswith(("/static/", "/files/", "/lang/", "/sin-conexion/")):
                continue
            names = sorted(rule.arguments - set(rule.defaults or {}))
            choices = [_choices(rule, name, values) for name in names]
            for combination in product(*choices):
                args = dict(zip(names, combination))
                url = url_for(rule.endpoint, **args)
                queries = [""] + (QUERIES.get(rule.endpoint, []) if args.get("slug", "intipuca") == "intipuca" else [])
                if rule.endpoint.startswith("open311."):
                    queries = [f"jurisdiction_id=intipuca{'&' + q if q else ''}" for q in queries]
                for query in queries:
                    found.add((rule.endpoint, f"{url}?{query}" if query else url))
    return sorted(found, key=lambda item: item[1])


def file_name(url: str) -> str:
    """A file name for ``url``: its path and query with every other character as ``_``."""
    parts = urlsplit(url)
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", parts.path.strip("/")) or "root"
    if parts.query:
        name += "@" + re.sub(r"[^A-Za-z0-9.=-]+", "_", parts.query)
    return name


def rendering(body: bytes, mimetype: str, url: str = "") -> bytes:
    """The bytes compared: the answer itself, or its stable rendering (XLSX, RDF, the
    change record's CSV)."""
    if url.endswith("/historial.csv"):
        header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
        assert header[0] == "seq" and header[-2:] == ["prev_hash", "hash"], header
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *sorted(row[1:-2] for row in rows)])
        return out.getvalue().encode()
    if mimetype == XLSX:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for name in sorted(archive.namelist()):
                out.write(f"=== {name}\n".encode())
                out.write(archive.read(name))
                out.write(b"\n")
        return out.getvalue()
    if mimetype in RDF:
        from rdflib import Graph
        from rdflib.compare import to_canonical_graph

        with warnings.catch_warnings():  # rdflib's JSON-LD parser builds a ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            graph = to_canonical_graph(Graph().parse(data=body, format=RDF[mimetype]))
        lines = graph.serialize(format="nt").splitlines()
        return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode()
    return body


@contextmanager
def seeded_secrets(seed: int = 20):
    """``secrets`` drawing from a seeded generator: the demo's random names (uploaded
    evidence, tracking codes) and so the change record's hashes are the same every run.
    ``time.perf_counter`` stands still too (a count records how long it took)."""
    rng = random.Random(seed)
    perf_counter, time.perf_counter = time.perf_counter, lambda: 1.0
    saved = {name: getattr(secrets, name) for name in ("token_hex", "token_urlsafe", "token_bytes", "choice")}
    secrets.token_bytes = lambda n=32: rng.randbytes(n)
    secrets.token_hex = lambda n=32: rng.randbytes(n).hex()
    secrets.token_urlsafe = lambda n=32: base64.urlsafe_b64encode(rng.randbytes(n)).rstrip(b"=").decode()
    secrets.choice = rng.choice
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(secrets, name, function)
        time.perf_counter = perf_counter


@pytest.fixture(scope="module")
def golden_client(fresh_database, app_factory):
    from tests.conftest import dispose

    with time_machine.travel(MOMENT, tick=False), seeded_secrets():
        app = app_factory(fresh_database("golden"), RATELIMIT_ENABLED=False)
        yield app, app.test_client()
    dispose(app)


def expected_path(name: str, dialect: str) -> Path:
    """The golden file of answer ``name``: the database's own where one exists (PostgreSQL
    and SQLite order ties differently in a few lists), else the shared one."""
    own = ANSWERS / dialect / name
    return own if own.exists() else ANSWERS / name


def store(name: str, dialect: str, got: bytes) -> None:
    """Regeneration: SQLite writes the shared file; another database writes its own file
    only where its answer differs from the shared one."""
    own = ANSWERS / dialect / name
    if dialect == "sqlite":
        (ANSWERS / name).write_bytes(got)
    elif (ANSWERS / name).exists() and (ANSWERS / name).read_bytes() == got:
        own.unlink(missing_ok=True)
    else:
        own.parent.mkdir(parents=True, exist_ok=True)
        own.write_bytes(got)


def test_every_public_answer_is_byte_identical_to_its_golden_file(golden_client):
    app, client = golden_client
    with app.app_context():
        from portal.extensions import db

        dialect = db.engine.dialect.name
    update = os.environ.get("GOLDEN_UPDATE") == "1"
    index, seen, different, first_diff = [], {}, [], []
    for endpoint, url in public_urls(app):
        response = client.get(url, base_url="http://localhost")
        mimetype = response.mimetype or ""
        body = response.get_data()
        if mimetype.startswith(NOT_DATA):
            continue
        name = file_name(url)
        assert name not in seen, (url, seen.get(name))
        seen[name] = url
        index.append(f"{response.status_code} {mimetype} {url} -> {name}")
        if response.status_code != 200:
            continue
        got = rendering(body, mimetype, url)
        if update:
            store(name, dialect, got)
        else:
            expected = expected_path(name, dialect)
            if not expected.exists() or expected.read_bytes() != got:
                different.append(url)
                if len(different) == 1 and expected.exists():  # the first difference, to read
                    first_diff = list(difflib.unified_diff(
                        expected.read_bytes().decode(errors="replace").splitlines(),
                        got.decode(errors="replace").splitlines(), lineterm="", n=0))[:12]
    listing = ("\n".join(index) + "\n").encode()
    if update:
        store("index.txt", dialect, listing)
    assert listing == expected_path("index.txt", dialect).read_bytes()
    assert not different, (different, first_diff)
    assert len(index) > 100  # the walk found the demo's answers, not an empty map


def test_the_xlsx_rendering_reads_every_member():
    """The XLSX rendering keeps each member's bytes: a changed cell changes it."""
    def book(value):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("xl/worksheets/sheet1.xml", f"<c><v>{value}</v></c>")
        return out.getvalue()

    assert rendering(book(1), XLSX) != rendering(book(2), XLSX)
    assert b"<v>1</v>" in rendering(book(1), XLSX)


def test_the_change_record_rendering_drops_only_positions_and_hashes():
    body = "\ufeffseq,action,changes,prev_hash,hash\n2,update,\"{a, b}\",x,y\n1,create,\"c\nd\",w,x\n".encode()
    moved = "\ufeffseq,action,changes,prev_hash,hash\n1,update,\"{a, b}\",z,v\n2,create,\"c\nd\",w,z\n".encode()
    other = body.replace(b"update", b"delete")
    assert rendering(body, "text/csv", "/m/x/historial.csv") == rendering(moved, "text/csv", "/m/x/historial.csv")
    assert rendering(body, "text/csv", "/m/x/historial.csv") != rendering(other, "text/csv", "/m/x/historial.csv")
    assert rendering(body, "text/csv", "/m/x/otro.csv") == body


def test_the_rdf_rendering_ignores_blank_node_labels_only():
    one = b'@prefix ex: <http://e/> . ex:a ex:b [ ex:c "1" ] .'
    same = b'@prefix ex: <http://e/> . _:x ex:c "1" . ex:a ex:b _:x .'
    other = b'@prefix ex: <http://e/> . ex:a ex:b [ ex:c "2" ] .'
    assert rendering(one, "text/turtle") == rendering(same, "text/turtle")
    assert rendering(one, "text/turtle") != rendering(other, "text/turtle")
