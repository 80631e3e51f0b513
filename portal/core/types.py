"""Column types that keep numbers exact on every database.

``Exact`` stores a :class:`~decimal.Decimal` as ``NUMERIC`` on PostgreSQL and as
text on SQLite (which has no exact decimal type and would round through floats).
Values come back as ``Decimal`` either way.
"""
from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.types import TypeDecorator


class Exact(TypeDecorator):
    """An exact decimal: ``Exact(18, 2)`` for money, ``Exact(20, 8)`` for ratios."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision=20, scale=6, **kwargs):
        super().__init__(precision=precision, scale=scale, asdecimal=True, **kwargs)
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(self.precision + 4))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = value if isinstance(value, Decimal) else Decimal(str(value))
        if dialect.name == "sqlite":
            return format(value, "f")
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(str(value))


def Money():  # noqa: N802 - reads like a type in column declarations
    """Money in the municipality's currency, exact to the cent (and beyond)."""
    return Exact(18, 4)
