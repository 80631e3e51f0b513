"""Demo data: ``flask demo load`` loads Intipucá and example municipalities.

Domains add their part with :func:`register_loader`; loaders run in ``order`` and
must be idempotent (do nothing when their data is there).
"""
from typing import Callable

_LOADERS: list[tuple[int, str, Callable]] = []


def register_loader(order: int, name: str, loader: Callable) -> None:
    """``loader()`` runs inside the demo transaction, after the municipalities exist."""
    if name not in {n for _, n, _ in _LOADERS}:
        _LOADERS.append((order, name, loader))


def loaders():
    return [(name, fn) for _, name, fn in sorted(_LOADERS, key=lambda item: item[0])]


def init_app(app):
    from portal.demo import cli

    app.cli.add_command(cli.group)
