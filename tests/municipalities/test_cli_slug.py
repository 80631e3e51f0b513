"""Every command that takes a municipality's slug refuses an unknown one the same way.

The lookup lives in one place (:func:`portal.municipalities.cli.municipality_or_fail`);
each command stops with ``No municipality 'SLUG'.`` before it reads a file or writes.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def a_file(tmp_path):
    path = tmp_path / "input.csv"
    path.write_text("a,b\n1,2\n")
    return str(path)


COMMANDS = [
    ["finance", "import", "nowhere", "{file}"],
    ["finance", "project", "nowhere", "{file}", "--base-year", "2024", "--scenario", "s"],
    ["finance", "indicators", "nowhere", "--year", "2024"],
    ["finance", "catalog", "{file}", "--slug", "nowhere"],
    ["roadmap", "import", "nowhere", "{file}", "--plan", "Plan"],
    ["compare", "set-inputs", "nowhere"],
    ["diagnostic", "import-scores", "nowhere", "2024-01-01", "{file}"],
    ["budgeting", "import-pabulib", "nowhere", "{file}"],
    ["budgeting", "tally", "nowhere", "1"],
    ["complaints", "api-key", "nowhere", "an app"],
    ["complaints", "stats", "nowhere"],
    ["surveys", "list", "nowhere"],
    ["surveys", "results", "nowhere", "1"],
    ["users", "grant", "someone@example.org", "nowhere", "editor"],
    ["users", "revoke", "someone@example.org", "nowhere", "editor"],
    ["users", "list", "nowhere"],
    ["users", "create-admin", "someone@example.org", "--password", "a long password 123", "--municipality", "nowhere"],
    ["audit", "verify", "nowhere"],
    ["audit", "checkpoint", "nowhere"],
    ["demo", "staff", "--municipality", "nowhere"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_unknown_slug_is_refused_in_the_same_words(runner, a_file, args):
    result = runner.invoke(args=[a.format(file=a_file) for a in args])
    assert result.exit_code == 1, result.output
    assert "No municipality 'nowhere'." in result.output


def test_users_grant_names_the_missing_account(runner, muni):
    result = runner.invoke(args=["users", "grant", "nobody@example.org", "intipuca", "editor"])
    assert result.exit_code == 1
    assert "No account 'nobody@example.org'." in result.output


def test_no_command_module_looks_a_municipality_up_itself():
    """The slug is resolved by the one helper: no other CLI module calls ``get_by_slug``."""
    callers = []
    for path in sorted((ROOT / "portal").rglob("cli.py")):
        if path == ROOT / "portal/municipalities/cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "get_by_slug":
                callers.append(str(path.relative_to(ROOT)))
    assert callers == []
