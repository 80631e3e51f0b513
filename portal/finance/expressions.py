"""A small, safe arithmetic language for indicator formulas (pure).

Formulas are data written by a council or a national body, so they are parsed here by
a tiny recursive-descent parser and never executed as Python. The language has
numbers (``0.60``, ``1,7`` is NOT accepted: dot decimals only), names
(``ingresos_propios_devengado``), ``+ - * /``, unary minus and parentheses. Anything
else (attribute access, calls, strings, ``**``, comparisons, indexing...) is refused
with :class:`FormulaError` when the formula is parsed.

Arithmetic is exact :class:`~decimal.Decimal`. Evaluation reports missing names and
zero denominators as :class:`NotComputable` with a reason instead of guessing.
"""
import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/()]))")
MAX_LENGTH = 500
MAX_DEPTH = 40


class FormulaError(ValueError):
    """The formula is not valid arithmetic over names."""


class NotComputable(ArithmeticError):
    """The formula is valid but cannot be computed with the data at hand."""

    def __init__(self, reason: str, missing: tuple = ()):
        super().__init__(reason)
        self.reason = reason
        self.missing = tuple(missing)


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Unary:
    op: str
    operand: object


@dataclass(frozen=True)
class Binary:
    op: str
    left: object
    right: object


def _tokens(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters")
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FormulaError(f"unexpected text at position {pos + 1}: {text[pos:pos + 10]!r}")
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        pos = match.end()
        if pos < len(text) and kind in ("num", "name") and (text[pos] == "." or text[pos].isalnum()):
            raise FormulaError(f"unexpected text at position {pos + 1}: {text[pos:pos + 10]!r}")
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def expression(self):
        node = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            node = Binary(op, node, self.term())
        return node

    def term(self):
        node = self.factor()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            op = self.take()[1]
            node = Binary(op, node, self.factor())
        return node

    def factor(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError("the formula nests too deeply")
        try:
            kind, text = self.take()
            if kind == "op" and text in ("-", "+"):
                return Unary(text, self.factor())
            if kind == "op" and text == "(":
                node = self.expression()
                if self.take() != ("op", ")"):
                    raise FormulaError("a parenthesis is not closed")
                return node
            if kind == "num":
                return Num(Decimal(text))
            if kind == "name":
                return Name(text)
            if kind is None:
                raise FormulaError("the formula ends too early")
            raise FormulaError(f"unexpected {text!r}")
        finally:
            self.depth -= 1


def parse(text: str):
    """The formula's tree; raises FormulaError for anything but arithmetic over names."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("the formula is empty")
    parser = _Parser(_tokens(text))
    node = parser.expression()
    if parser.pos != len(parser.tokens):
        raise FormulaError(f"unexpected {parser.peek()[1]!r} after the end of the expression")
    return node


def names(node) -> list[str]:
    """Every name the formula reads, in order of first appearance."""
    seen = []

    def walk(n):
        if isinstance(n, Name) and n.name not in seen:
            seen.append(n.name)
        elif isinstance(n, Unary):
            walk(n.operand)
        elif isinstance(n, Binary):
            walk(n.left)
            walk(n.right)
    walk(node)
    return seen


def evaluate(node, values: dict) -> Decimal:
    """The exact value of a parsed formula over ``values`` (name -> Decimal or None)."""
    missing = [n for n in names(node) if values.get(n) is None]
    if missing:
        raise NotComputable("missing: " + ", ".join(missing), missing)
    with localcontext() as context:
        context.prec = 28  # the default context: results match plain Decimal arithmetic
        context.traps[DivisionByZero] = True
        context.traps[InvalidOperation] = True
        return _eval(node, values)


def _eval(node, values):
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        return Decimal(values[node.name])
    if isinstance(node, Unary):
        value = _eval(node.operand, values)
        return -value if node.op == "-" else value
    left, right = _eval(node.left, values), _eval(node.right, values)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right == 0:
        raise NotComputable("zero denominator: " + render(node.right))
    return left / right


def render(node, values: dict | None = None, fmt=lambda v: format(v, "f")) -> str:
    """The formula as text; with ``values``, the names replaced by their numbers."""
    def walk(n, parent_priority=0, right_side=False):
        if isinstance(n, Num):
            return format(n.value, "f")
        if isinstance(n, Name):
            if values is not None and values.get(n.name) is not None:
                return fmt(values[n.name])
            return n.name
        if isinstance(n, Unary):
            return n.op + walk(n.operand, 3)
        priority = 1 if n.op in "+-" else 2
        text = f"{walk(n.left, priority)} {n.op} {walk(n.right, priority, True)}"
        if priority < parent_priority or (priority == parent_priority and right_side):
            return f"({text})"
        return text
    return walk(node)
