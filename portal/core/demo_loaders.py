"""The demo loaders domains declare: ``flask demo load`` runs them in order.

A domain offers its demo data with :func:`register_loader` from its ``init_app``; the
demo package (a consumer, like open data or the comparisons) reads :func:`loaders` and
never names a domain, and no domain imports the demo package. Loaders must be idempotent
(do nothing when their data is there).
"""
from typing import Callable

_LOADERS: list[tuple[int, str, Callable]] = []


def register_loader(order: int, name: str, loader: Callable) -> None:
    """``loader()`` runs inside the demo transaction, after the municipalities exist.

    ``order`` places it among the others (lower runs first); registering ``name`` again
    is ignored, so an app factory called twice in one process registers each once.
    """
    if name not in {n for _, n, _ in _LOADERS}:
        _LOADERS.append((order, name, loader))


def loaders() -> list[tuple[str, Callable]]:
    """``[(name, loader)]`` in their order."""
    return [(name, fn) for _, name, fn in sorted(_LOADERS, key=lambda item: item[0])]
