"""Random and malformed input for every importer and parser (hypothesis): a clear
refusal or a result, never another exception (which would be a 500), never a partial
write, never code execution."""
import io
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.core.tabular import TableError, read_table

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
CSV_TEXT = st.text(alphabet=st.sampled_from(list(string.printable) + ["ñ", "á", "€", "\ufeff", "\x00", ";", '"']),
                   max_size=400)
SPREADSHEET_NAMES = st.sampled_from(["datos.csv", "DATOS.CSV", "datos.xlsx", "datos.txt", "datos", "x.xlsx.csv"])


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    for row in rows:
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CELL = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=False), st.dates(),
                 st.text(max_size=30), st.booleans())
XLSX = st.lists(st.lists(CELL, max_size=8), max_size=8).map(_xlsx)
FILES = st.one_of(st.binary(max_size=600), CSV_TEXT.map(lambda t: t.encode("utf-8")),
                  CSV_TEXT.map(lambda t: t.encode("latin-1", "replace")), XLSX)


@FUZZ
@given(data=FILES, name=SPREADSHEET_NAMES)
def test_tabular_reader_refuses_cleanly(data, name):
    columns = {"code": ("código", "code"), "amount": ("importe", "amount")}
    try:
        rows = read_table(data, name, columns, required=("code",))
    except TableError as error:
        assert error.problems and all(str(p) for p in error.problems)
    else:
        assert isinstance(rows, list)


def _counts(db, *models):
    return [db.session.execute(select(func.count()).select_from(m)).scalar() for m in models]


def _importers():
    from portal.diagnostic import imports as diagnostic
    from portal.diagnostic.models import Catalog
    from portal.finance import importing
    from portal.finance.models import BudgetLine
    from portal.participation.budgeting import services as budgeting
    from portal.participation.budgeting.models import CensusEntry
    from portal.roadmap import importer
    from portal.roadmap.models import Activity, Plan

    return {
        "finance": (lambda m, data, name: importing.apply(m, importing.read(m, data, name)), (BudgetLine,)),
        "roadmap": (lambda m, data, name: importer.import_activities(m, data, name, "Plan aleatorio"),
                    (Plan, Activity)),
        "diagnostic": (lambda m, data, name: diagnostic.import_catalog(data, name, "Catálogo aleatorio", m),
                       (Catalog,)),
        "census": (lambda m, data, name: budgeting.import_census(m, data, name), (CensusEntry,)),
    }


HEADERS = {
    "finance": "year,code,name,approved,accrued,cash",
    "roadmap": "number,horizon,area,action,activity,start,end,permanent,responsible,cost,status",
    "diagnostic": "área,subárea,código,nombre,peso",
    "census": "documento,fecha_nacimiento,distrito",
}


@pytest.mark.parametrize("kind", sorted(HEADERS))
def test_importers_write_all_or_nothing(db, muni, kind):
    run, models = _importers()[kind]
    body = st.lists(st.lists(st.one_of(st.text(max_size=12), st.integers(-5, 3000).map(str),
                                       st.sampled_from(["2025-13-40", "1.234,56", "=cmd|' /C calc'!A0", "-1e9999",
                                                        "NaN", "<script>x</script>", "2024-01-01"])),
                             min_size=1, max_size=8), max_size=6)

    @FUZZ
    @given(rows=body, xlsx=st.booleans())
    def check(rows, xlsx):
        header = HEADERS[kind].split(",")
        if xlsx:
            data, name = _xlsx([header] + rows), "datos.xlsx"
        else:
            data = "\n".join([",".join(header)] + [",".join(r) for r in rows]).encode()
            name = "datos.csv"
        before = _counts(db, *models)
        savepoint = db.session.begin_nested()
        try:
            run(muni, data, name)
            db.session.flush()
        except (TableError, ValueError) as error:  # the importers' refusals
            assert str(error)
            savepoint.rollback()
            assert _counts(db, *models) == before
        else:
            savepoint.rollback()
    check()


def test_an_empty_census_file_is_refused_and_keeps_the_census(db, muni):
    from portal.participation.budgeting import services
    from portal.participation.budgeting.models import CensusEntry

    before = _counts(db, CensusEntry)
    assert before[0] > 0
    with pytest.raises(TableError, match="ninguna fila"):
        services.import_census(muni, b"documento,fecha_nacimiento\n", "padron.csv")
    assert _counts(db, CensusEntry) == before


PB = Path("/work/shared/data/pabulib/Netherlands_Assen_2024.pb")


@FUZZ
@given(text=st.one_of(CSV_TEXT, st.sampled_from(["META\nkey;value\n", "PROJECTS\nproject_id;cost\n1;x\n",
                                                 "META\nkey;value\nnum_projects;1\nVOTES\nvoter_id;vote\n1;9\n"])))
@example(text="\r0")  # a stray carriage return once escaped as csv.Error
@example(text="META\nkey;value\ndescription;a\x00b\n")  # PostgreSQL text cannot hold NUL
@example(text="META\nkey;value\nbudget;-5\nPROJECTS\nproject_id;cost\n1;10\nVOTES\nvoter_id;vote\n1;1\n")
def test_pabulib_reader_refuses_cleanly(text):
    from portal.participation.budgeting import pabulib

    try:
        parsed = pabulib.parse(text)
        pabulib.to_election(parsed)
    except pabulib.PabulibError as error:
        from portal.participation.budgeting.messages import MESSAGES

        assert str(error) and error.code in MESSAGES  # every refusal has words for people
    except ValueError as error:  # a refusal raised while building the election
        assert str(error)


def test_pabulib_import_of_a_cut_file_writes_nothing(db, muni):
    from portal.participation.budgeting import messages, pabulib, services
    from portal.participation.budgeting.models import BudgetProcess, BudgetProject

    if not PB.exists():
        pytest.skip("pabulib sample files are not here")
    text = PB.read_text(encoding="utf-8")

    @FUZZ
    @given(cut=st.integers(0, len(text)), junk=st.text(max_size=20))
    def check(cut, junk):
        before = _counts(db, BudgetProcess, BudgetProject)
        savepoint = db.session.begin_nested()
        try:
            services.import_pabulib(muni, text[:cut] + junk)
            db.session.flush()
        except pabulib.PabulibError as error:
            savepoint.rollback()
            assert _counts(db, BudgetProcess, BudgetProject) == before
            assert messages.describe(error) != str(error)  # translated words, not the code
        except (services.BudgetingError, ValueError):
            savepoint.rollback()
            assert _counts(db, BudgetProcess, BudgetProject) == before
        else:
            savepoint.rollback()
    check()


FORMULA = st.lists(st.sampled_from(list("abcxyz_0123456789.+-*/() ,'\"[]{}:;=<>!@#$%^&|~`\\")
                                   + ["__import__", "os", "system", "lambda", "eval", "**", "\n"]),
                   max_size=40).map("".join)


@FUZZ
@given(text=FORMULA)
@example(text="__import__('os').system('touch /tmp/cabildo-formula-pwned')")
@example(text="(" * 500 + "1" + ")" * 500)
@example(text="9" * 200 + "*" + "9" * 200 + "/" + "0.0000000001")
@example(text="a.__class__")
def test_formula_parser_never_executes(text):
    from decimal import Decimal

    from portal.finance import expressions

    try:
        node = expressions.parse(text)
    except expressions.FormulaError as error:
        assert str(error)
        return
    values = {name: Decimal("3") for name in expressions.names(node)}
    try:
        assert isinstance(expressions.evaluate(node, values), Decimal)
    except expressions.NotComputable as error:
        assert str(error)
    assert not Path("/tmp/cabildo-formula-pwned").exists()


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["jurisdiction_id", "service_code", "status", "start_date",
                                                "end_date", "service_request_id", "page", "page_size", "lat",
                                                "long", "api_key", "description", "email", "attribute[falla]",
                                                "media_url", "address_string", "device_id"]),
                              st.one_of(st.text(max_size=30), st.sampled_from(
                                  ["intipuca", "alumbrado", "open,closed", "2026-13-01T99:00:00Z", "-1",
                                   "999999999999999999999", "1e400", "NaN", "' OR 1=1 --", "<script>"]))),
       method=st.sampled_from(["GET", "POST"]), fmt=st.sampled_from(["json", "xml"]))
def test_open311_parameters_never_cause_a_500(client, params, method, fmt):
    from portal.extensions import limiter

    limiter.enabled = False
    url = f"/open311/v2/requests.{fmt}"
    response = client.get(url, query_string=params) if method == "GET" else client.post(url, data=params)
    assert response.status_code < 500, (params, response.get_data(as_text=True)[:500])
    single = client.get(f"/open311/v2/requests/{params.get('service_request_id', 'x')}.{fmt}",
                        query_string={"jurisdiction_id": params.get("jurisdiction_id", "intipuca")})
    assert single.status_code < 500


@pytest.fixture
def feed_body(app, monkeypatch):
    """A feed server answering whatever body the test puts in ``feed_body[0]``, on the
    loopback, which this test's settings allow the portal to read."""
    monkeypatch.setitem(app.config, "OUTBOUND_ALLOWED_NETWORKS", ("127.0.0.1/32",))
    import threading

    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    body = [b""]

    @Request.application
    def serve(request):
        return Response(body[0], mimetype="application/rss+xml")
    server = make_server("127.0.0.1", 0, serve)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield body, f"http://127.0.0.1:{server.server_port}/feed"
    server.shutdown()


def _rss(items) -> bytes:
    from xml.sax.saxutils import escape

    entries = "".join(f"<item><guid>{escape(g)}</guid><title>{escape(t)}</title><link>{escape(link)}</link>"
                      f"<description>{escape(d)}</description></item>" for g, t, link, d in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{entries}</channel></rss>'.encode()


HOSTILE_HTML = st.sampled_from(['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:x">y</a>',
                                '<iframe src="//evil"></iframe>', '<p style="x">ok</p>', "<b>bien</b>"])


def test_feed_reader_stores_only_safe_items(db, muni, feed_body):
    from portal.opendata import services
    from portal.opendata.models import NewsItem

    body, url = feed_body
    examples = iter(range(10**6))
    item = st.tuples(st.text(max_size=20), st.text(max_size=40),
                     st.sampled_from(["https://ok.example/a", "javascript:alert(1)", "data:text/html,x", ""]),
                     st.lists(st.one_of(HOSTILE_HTML, st.text(max_size=30)), max_size=4).map("".join))

    @settings(FUZZ, max_examples=25)
    @given(payload=st.one_of(st.lists(item, max_size=4).map(_rss), st.binary(max_size=300)))
    def check(payload):
        body[0] = payload
        feed = services.add_feed(muni, f"{url}?n={next(examples)}")  # a new feed: every item is new
        services.fetch(feed, timeout=5)  # never raises: failures are recorded on the feed
        db.session.flush()
        for news in db.session.execute(select(NewsItem).where(NewsItem.feed_id == feed.id)).scalars():
            html = news.summary_html.lower()
            assert "<script" not in html and "onerror" not in html and "javascript:" not in html
            assert "<iframe" not in html and "style=" not in html
            assert news.link == "" or news.link.startswith(("http://", "https://"))
        assert feed.last_status in ("ok", "error")
    check()
