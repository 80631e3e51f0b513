"""Every message a person reads goes through the catalogs: a domain error carries a lazy
string (``_l(...)``) or a code with parameters, never a literal sentence shown through
``str(error)``. This scans ``portal/`` for ``raise SomeError("a sentence")`` (or an
f-string) and fails on any not in the allow-list of errors only operators or programs see."""
import ast
import builtins
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"

# (module, error class): errors whose words only an operator or a program reads, in English
# on purpose; each with the reason. Anything else raised with a literal sentence fails.
ALLOWED = {
    ("portal/config.py", "ConfigurationError"): "start-up configuration, read in the server log",
    ("portal/core/urls.py", "PublicUrlError"): "start-up configuration, read in the server log",
    ("portal/core/jobs.py", "JobsConfigurationError"): "start-up configuration (JOBS_URL), read in the server log",
    ("portal/backup/services.py", "BackupError"): "backup and restore commands for the server operator",
    ("portal/audit/checkpoints.py", "CheckpointFileError"): "checkpoint verification tool for auditors, English like its file format",
    ("portal/participation/complaints/open311.py", "ReportError"): "Open311 API answers, an English standard read by programs",
    ("portal/participation/complaints/open311.py", "Open311Error"): "Open311 API answers, an English standard read by programs",
    ("portal/finance/expressions.py", "FormulaError"): "formula syntax, written by analysts in an English expression language",
}


def _sentence(node) -> bool:
    """A literal (or f-string) with at least two words: something meant to be read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return False
    return len(text.split()) >= 2


def literal_errors():
    found = []
    for path in sorted(PORTAL.rglob("*.py")):
        module = path.relative_to(PORTAL.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if not name.endswith("Error") or hasattr(builtins, name):
                continue  # builtin errors (ValueError...) are programming errors, not messages
            if (module, name) in ALLOWED:
                continue
            if any(_sentence(arg) for arg in node.exc.args):
                found.append(f"{module}:{node.lineno} {name}")
    return found


def test_domain_errors_carry_translated_messages_or_codes():
    assert literal_errors() == []


def test_the_scan_finds_a_literal_sentence(tmp_path, monkeypatch):
    """The scan itself works: a new module raising a Spanish literal is caught."""
    package = tmp_path / "portal"
    package.mkdir()
    (package / "nuevo.py").write_text('class XError(Exception):\n    pass\n\n\ndef f():\n'
                                      '    raise XError(f"el valor {1} no sirve")\n', encoding="utf-8")
    (package / "bien.py").write_text('def f():\n    raise XError(_l("el valor no sirve"))\n'
                                     'def g():\n    raise XError("code", where=1)\n', encoding="utf-8")
    monkeypatch.setitem(globals(), "PORTAL", package)
    assert literal_errors() == ["portal/nuevo.py:6 XError"]
