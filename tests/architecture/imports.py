"""Every import statement of the ``portal`` package, read from the source (never run).

:func:`module_imports` walks each module's syntax tree, imports inside functions
included, and resolves relative imports and ``from package import module`` to the
module really imported, so the rules in ``test_architecture.py`` see the true edges.
"""
import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "portal"


@dataclass(frozen=True)
class Import:
    importer: str      # e.g. "portal.finance.views"
    target: str        # e.g. "portal.core.tenancy", "flask", "sqlalchemy.orm"
    line: int
    inside_function: bool

    def __str__(self):
        where = " (inside a function)" if self.inside_function else ""
        return f"{self.importer}:{self.line} imports {self.target}{where}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """``{dotted name: path}`` of every module of ``portal``."""
    return {module_name(path): path for path in sorted(PORTAL.rglob("*.py"))}


def _functions_around(tree) -> set[int]:
    """ids of the nodes that sit inside a function body."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for child in ast.walk(node):
                if child is not node:
                    inside.add(id(child))
    return inside


@cache
def module_imports(name: str) -> tuple[Import, ...]:
    path = modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    inside = _functions_around(tree)
    found = []
    for node in ast.walk(tree):
        in_function = id(node) in inside
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno, in_function) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.append(Import(name, submodule if submodule in modules() else source, node.lineno, in_function))
    return tuple(found)


def all_imports() -> list[Import]:
    return [imp for name in modules() for imp in module_imports(name)]
