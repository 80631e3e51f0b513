"""The import rules of the portal, proved on the source of every module.

The syntax tree of each module of ``portal`` is read (imports inside functions too, see
:mod:`tests.architecture.imports`) and these hold:

1. **Pure modules import no framework**: the modules listed in ``PURE`` take plain values
   and return them; they import neither Flask, SQLAlchemy, WTForms nor the database, and
   from the portal only other pure modules. (This replaces the per-domain copies.)
2. **The core imports no domain**: ``portal.core``, ``portal.extensions`` and
   ``portal.config`` import only each other. The app factory (``portal/__init__.py``)
   is where domains are put together; it is the only module exempt.
3. **Nothing imports a consumer, and a consumer names no domain**: open data, the
   comparisons and the demo read what the domains declare (the registry); no domain
   imports them, and they import only the core and the platform every domain builds on
   (the tenant, accounts, the change record: ``PLATFORM``'s packages).
4. **A domain reaches another only through its services or its manifest**
   (``portal.<domain>.services``, ``portal.<domain>.manifest``, or the package itself).
   The tenant, accounts and audit packages, which every domain builds on, also offer the
   modules in ``PLATFORM``.
5. No import circles, imports inside functions included (``KNOWN_CIRCLES`` lists today's),
   and fewer imports inside functions: their number may only go down (``INNER_CEILING``).
6. Page paths come from the URL map (``url_for``), never typed by hand; the clock is
   ``portal.core.clock.utcnow``; the dependencies pyproject.toml declares are the ones
   the portal imports; only the audit package queries ``ChangeRecord`` (others go through
   its services).

``KNOWN`` lists today's exceptions to rules 2-4, each with what removes it. A new
violation fails; so does an exception that no longer happens (delete its line then).
"""
import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

import pytest

from tests.architecture.imports import PORTAL, ROOT, Import, all_imports, module_imports, modules

APP_FACTORY = "portal"
CORE = ("portal.core", "portal.extensions", "portal.config")
CONSUMERS = ("portal.opendata", "portal.compare", "portal.demo")
PUBLIC = ("services", "manifest")
PLATFORM = {
    "portal.municipalities": ("models", "cli"),   # the tenant every row refers to; the SLUG argument of every command
    "portal.accounts": ("models", "permissions"),  # users; the policy decorators and the names of roles
    "portal.audit": ("labels", "mixin", "history"),  # the history labels each domain registers; Audited; a change in words
}
FRAMEWORKS = {"flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "flask_caching",
              "flask_compress", "flask_limiter", "sqlalchemy", "alembic", "werkzeug", "wtforms", "jinja2"}
PURE = [
    "portal.audit.chain",
    "portal.compare.metrics", "portal.compare.peers", "portal.compare.ranking", "portal.compare.regression",
    "portal.core.clock", "portal.core.registry", "portal.core.sections", "portal.core.text",
    "portal.diagnostic.charts", "portal.diagnostic.demo_catalog", "portal.diagnostic.scoring",
    "portal.finance.classifier", "portal.finance.costs", "portal.finance.debt", "portal.finance.early_warning",
    "portal.finance.expressions", "portal.finance.fiscal_light", "portal.finance.projections", "portal.finance.ratios",
    "portal.finance.revenue", "portal.finance.seasonal",
    "portal.municipalities.bands", "portal.municipalities.onboarding",
    "portal.opendata.atom", "portal.opendata.rdfwrite",
    "portal.participation.budgeting.pabulib", "portal.participation.budgeting.tally",
    "portal.participation.complaints.open311_format", "portal.participation.complaints.stats",
    "portal.participation.surveys.answering", "portal.participation.surveys.redaction",
    "portal.participation.surveys.stats",
    "portal.roadmap.gantt", "portal.roadmap.progress",
]

_REGISTRY = "the registry at the seams (issue 20)"
_SOURCES = "Source and SourceValue move to the core registry (issue 20)"
_CHANGES = "the audit package's public surface: Audited, changes_since, heads (issue 20)"
_SYNTHETIC = "the synthetic generator writes every domain's tables in bulk (a per-domain writer in each manifest)"
_EXAMPLES = "the comparison's demo writes finance and diagnostic examples (their demo loaders, in their manifests)"
KNOWN = {
    # rule 2: the core imports no domain
    # rule 3: nothing imports a consumer; a consumer names no domain
    ("portal.compare.demo", "portal.finance.services"): _EXAMPLES,
    ("portal.compare.demo", "portal.diagnostic.services"): _EXAMPLES,
    # rule 4: through services or manifest only
    ("portal.demo.synthetic", "portal.diagnostic.demo"): _SYNTHETIC,
    ("portal.demo.synthetic", "portal.diagnostic.models"): _SYNTHETIC,
    ("portal.demo.synthetic", "portal.finance.models"): _SYNTHETIC,
    ("portal.demo.synthetic", "portal.participation.budgeting.models"): _SYNTHETIC,
    ("portal.demo.synthetic", "portal.participation.complaints.models"): _SYNTHETIC,
    ("portal.demo.synthetic", "portal.participation.surveys.models"): _SYNTHETIC,
    ("portal.demo.synthetic", "portal.roadmap.models"): _SYNTHETIC,
}

# Imports of portal modules inside functions (statements). Lower it when you remove some;
# it never goes up: an import inside a function hides a dependency, or dodges a circle.
INNER_CEILING = 88


def _is_core(name: str) -> bool:
    return name in CORE or name.startswith("portal.core.")


def domain_of(name: str) -> str | None:
    """``portal.finance`` for ``portal.finance.views``; ``portal.participation.surveys`` for
    its modules; None for the core and the app factory."""
    parts = name.split(".")
    if name == APP_FACTORY or _is_core(name):
        return None
    if parts[1] == "participation":
        return ".".join(parts[:3]) if len(parts) > 2 else None
    return ".".join(parts[:2])


def violations(imports=None) -> dict[tuple[str, str], list[str]]:
    """``{(importer, imported): [where, ...]}`` for every import (of the portal, or
    ``imports``) breaking rules 2-4."""
    found: dict[tuple[str, str], list[str]] = {}
    for imp in all_imports() if imports is None else imports:
        importer, target = imp.importer, imp.target
        if not target.startswith("portal") or importer == APP_FACTORY:
            continue
        if _is_core(importer):
            broken = not (_is_core(target) or target == APP_FACTORY)
        else:
            own, other = domain_of(importer), domain_of(target)
            if other is None or other == own:
                continue
            rest = target[len(other) + 1:]
            broken = other in CONSUMERS or not (target == other or rest in PUBLIC or rest in PLATFORM.get(other, ())) \
                or (own in CONSUMERS and other not in PLATFORM)  # a consumer reads the registry, names no domain
        if broken:
            found.setdefault((importer, target), []).append(str(imp))
    return found


def test_the_walk_sees_every_kind_of_import():
    """The reader resolves relative imports, ``from package import module`` and imports
    inside functions (a walk that missed them would prove nothing)."""
    edges = {(i.importer, i.target, i.inside_function) for i in all_imports()}
    assert ("portal.finance.cli", "portal.finance.services", False) in edges      # from portal.finance import services
    assert ("portal.participation.budgeting.pabulib", "portal.participation.budgeting.tally", False) in edges  # from .tally
    assert ("portal", "portal.core.caching", True) in edges                      # inside create_app
    assert len(modules()) > 150


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_import_no_framework(name):
    bad = [str(i) for i in module_imports(name)
           if i.target.split(".")[0] in FRAMEWORKS or (i.target.startswith("portal") and i.target not in PURE)]
    assert bad == [], f"{name} is pure: plain values in and out, no framework, only pure portal modules"


# How a module's docstring declares it pure: "Pure: ...", "This module is pure", "(pure)",
# "(pure: no Flask)", "(data only: pure)". Mentioning another module ("the pure reader")
# does not.
DECLARES_PURE = re.compile(r"\bPure\b|\bis pure\b|\(pure[:)]|[:;] pure\)")


def _declares_pure(name: str) -> bool:
    return bool(DECLARES_PURE.search(ast.get_docstring(ast.parse(modules()[name].read_text(encoding="utf-8"))) or ""))


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_say_so(name):
    """Each pure module's docstring says it is pure, so the reader knows the rule holds there."""
    assert _declares_pure(name), name


def test_every_module_that_says_it_is_pure_is_checked():
    """A module whose docstring declares it pure is in ``PURE``, so this one test proves
    it (no test file keeps its own copy of the check)."""
    assert sorted(name for name in modules() if _declares_pure(name) and name not in PURE) == []


@pytest.mark.parametrize("doc, declares", [
    ("Peer groups (pure).", True), ("Ratios. Pure: plain values in and out.", True),
    ("This module is pure: no Flask.", True), ("Scoring (pure: plain values in).", True),
    ("The catalog (data only: pure).", True), ("Charts (no JavaScript; pure).", True),
    ("Messages of the pure reader, in the reader's language.", False),
    ("Events as values (pure data) written by a library.", False),
])
def test_what_declares_a_module_pure(doc, declares):
    assert bool(DECLARES_PURE.search(doc)) is declares


def test_domains_meet_only_at_their_services_and_manifests():
    found = violations()
    new = {edge: where for edge, where in found.items() if edge not in KNOWN}
    assert not new, "imports across the seams (use the other domain's services or manifest, or the core):\n" + \
        "\n".join(w for where in new.values() for w in where)
    stale = sorted(edge for edge in KNOWN if edge not in found)
    assert not stale, f"no longer happens: delete these from KNOWN: {stale}"


@pytest.mark.parametrize("edge, expected", [
    (("portal.core.views", "portal.finance.models"), True),       # the core imports a domain
    (("portal.core.views", "portal.core.tenancy"), False),
    (("portal.finance.views", "portal.opendata.services"), True),  # a domain imports a consumer
    (("portal.finance.views", "portal.roadmap.models"), True),     # another domain's inside
    (("portal.finance.views", "portal.roadmap.services"), False),
    (("portal.finance.views", "portal.roadmap.manifest"), False),
    (("portal.finance.views", "portal.municipalities.models"), False),
    (("portal.finance.views", "portal.finance.models"), False),     # its own
    (("portal.participation.surveys.views", "portal.participation.budgeting.models"), True),
    (("portal.opendata.views", "portal.compare.services"), True),   # consumers do not reach each other either
    (("portal.opendata.downloads", "portal.finance.services"), True),  # a consumer names no domain
    (("portal.opendata.views", "portal.municipalities.services"), False),  # the platform is open to it
    (("portal.compare.jobs", "portal.audit.services"), False),
    (("portal", "portal.finance.models"), False),                  # the app factory puts domains together
])
def test_the_rules_themselves(edge, expected):
    """The rule engine on planted imports: each rule catches what it must and no more."""
    importer, target = edge
    assert (edge in violations([Import(importer, target, 1, False)])) is expected


def test_imports_inside_functions_only_go_down():
    inner = {(i.importer, i.line) for i in all_imports() if i.inside_function and i.target.startswith("portal")}
    assert len(inner) <= INNER_CEILING, (
        f"{len(inner)} imports of portal modules inside functions (ceiling {INNER_CEILING}): "
        "import at the top of the module; a circle means a module is in the wrong place")


# Circles through imports inside functions; each is one package's job to undo.
KNOWN_CIRCLES: list[set[str]] = []


def circles(imports) -> list[set[str]]:
    """The strongly connected groups (more than one module) of the import graph (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if imp.target in modules() and imp.target != imp.importer:
            graph.setdefault(imp.importer, set()).add(imp.target)
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circles():
    """Modules import one way; an import inside a function must not close a circle either
    (the budgeting package was held together that way: now census, ballots, counting,
    results import only the modules before them)."""
    found = circles(all_imports())
    assert [c for c in found if c not in KNOWN_CIRCLES] == []
    assert [c for c in KNOWN_CIRCLES if c not in found] == [], "no longer a circle: delete it from KNOWN_CIRCLES"


def test_the_circle_finder_finds_a_circle():
    planted = [Import("portal.finance.services", "portal.finance.models", 1, False),
               Import("portal.finance.models", "portal.finance.views", 1, True),
               Import("portal.finance.views", "portal.finance.services", 1, False),
               Import("portal.finance.views", "portal.core.tenancy", 1, False)]
    assert circles(planted) == [{"portal.finance.services", "portal.finance.models", "portal.finance.views"}]


# ---- page paths, the clock, dependencies -------------------------------------------------

_ROUTE_CALLS = {"route", "get", "post", "Blueprint", "tenant_blueprint", "api_blueprint", "add_url_rule"}


def _hand_typed_paths(tree) -> list[int]:
    """Lines where a string or f-string starts a page path (``/m/...``) outside a route
    declaration and outside docstrings."""
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in _ROUTE_CALLS:
            skip |= {id(n) for n in ast.walk(node)}
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # docstrings
            skip.add(id(node.value))
    lines = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            first = node.values[0].value
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            first = node.value
        else:
            continue
        if first.startswith("/m/") and "<" not in first:
            lines.append(node.lineno)
            skip |= {id(n) for n in ast.walk(node)}
    return lines


def test_page_paths_come_from_the_url_map():
    typed = [f"{name}:{line}" for name, path in modules().items()
             for line in _hand_typed_paths(ast.parse(path.read_text(encoding="utf-8")))]
    assert typed == [], "build page paths with url_for(..., _external=False)"
    templates = [f"{p.relative_to(ROOT)}" for p in (ROOT / "templates").rglob("*.html")
                 if re.search(r"""(href|action|src)=["']/m/|/m/\{\{""", p.read_text(encoding="utf-8"))]
    assert templates == [], "templates link with url_for()"


def test_the_hand_typed_path_check_catches_a_path():
    tree = ast.parse('def f(m):\n    """/m/x in a docstring"""\n    return f"/m/{m.slug}/presupuesto/"\n')
    assert _hand_typed_paths(tree) == [3]
    assert _hand_typed_paths(ast.parse('bp = tenant_blueprint("x", __name__, "/m/<slug>/x")\n')) == []


def _change_record_uses(tree) -> list[int]:
    """Lines where ``ChangeRecord`` is used as more than a type: selected, filtered,
    fetched or built (its name outside imports and annotations)."""
    typed = set()
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            annotations += [a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                                                    args.vararg, args.kwarg) if a is not None and a.annotation]
            annotations += [node.returns] if node.returns is not None else []
        for annotation in annotations:
            typed |= {id(n) for n in ast.walk(annotation)}
    return sorted({node.lineno for node in ast.walk(tree) if id(node) not in typed and (
        (isinstance(node, ast.Name) and node.id == "ChangeRecord")
        or (isinstance(node, ast.Attribute) and node.attr == "ChangeRecord"))})


def test_only_the_audit_package_queries_the_change_record():
    """The change record is read and written through the audit package's public surface
    (``Audited``, ``changes_since``, ``heads``, ``records_of``...): another package may
    name ``ChangeRecord`` as a type, never select it, filter by its columns or build one."""
    used = [f"{name}:{line}" for name, path in modules().items() if name != "portal.audit"
            and not name.startswith("portal.audit.")
            for line in _change_record_uses(ast.parse(path.read_text(encoding="utf-8")))]
    assert used == [], "use the audit package's services"


@pytest.mark.parametrize("source, lines", [
    ("from portal.audit.services import ChangeRecord\nq = select(ChangeRecord).where(ChangeRecord.seq > 1)\n", [2]),
    ("from portal.audit import models\nrow = db.session.get(models.ChangeRecord, 3)\n", [2]),
    ("def f(m):\n    return db.session.scalars(select(ChangeRecord.id))\n", [2]),
    ("from portal.audit.services import ChangeRecord\n@dataclass\nclass G:\n    first: ChangeRecord\n"
     "    rest: list[ChangeRecord] | None = None\n", []),
    ("def f(record: ChangeRecord, *more: ChangeRecord) -> ChangeRecord | None:\n    return record\n", []),
])
def test_the_change_record_check_tells_a_query_from_a_type(source, lines):
    assert _change_record_uses(ast.parse(source)) == lines


def test_one_clock():
    """``utcnow`` is defined once, in the core, and imported from there only."""
    defined, imported_elsewhere = [], []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "utcnow":
                defined.append(name)
            if isinstance(node, ast.ImportFrom) and any(a.name == "utcnow" for a in node.names) \
                    and node.module != "portal.core.clock":
                imported_elsewhere.append(f"{name}:{node.lineno}")
    assert defined == ["portal.core.clock"]
    assert imported_elsewhere == []


# Declared because the portal needs them at run time without importing them by name.
RUN_TIME_ONLY = {
    "alembic": "Flask-Migrate's engine; migrations/env.py imports it",
    "cachelib": "the page cache's storage behind Flask-Caching",
    "gunicorn": "the production server (docs/deployment.md)",
    "psycopg": "the PostgreSQL driver SQLAlchemy loads for postgresql:// URLs",
}


def _distribution(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_dependencies_declared_are_the_ones_imported():
    """What ``portal/`` imports is declared in pyproject.toml, and what is declared is
    imported (or listed in ``RUN_TIME_ONLY`` with its reason); test-only libraries belong
    in the ``test`` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_distribution(d) for d in project["dependencies"]}
    by_package = packages_distributions()
    used = set()
    for imp in all_imports():
        top = imp.target.split(".")[0]
        if top not in sys.stdlib_module_names and top != "portal":
            used |= {d.lower().replace("_", "-") for d in by_package.get(top, [top])}
    assert sorted(used - declared) == [], "imported by portal/ but not declared"
    assert sorted(declared - used - set(RUN_TIME_ONLY)) == [], "declared but never imported by portal/"
    assert set(RUN_TIME_ONLY) <= declared
    assert PORTAL.is_dir()
