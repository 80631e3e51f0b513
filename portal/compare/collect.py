"""Reading each indicator's latest and previous published value for one municipality
through the comparisons the domains declare (:func:`portal.core.registry.comparisons`;
used by :func:`portal.compare.services.refresh`, never by a page: it runs queries per
municipality)."""
from datetime import date

from portal.core import registry
from portal.core.registry import Capacity, Collected

__all__ = ["Capacity", "Collected", "everything"]


def everything(municipality, today: date) -> tuple[dict, Capacity]:
    """{metric key: Collected} from every declared comparison, and the municipality's
    fiscal capacity (from the domain that declares it; empty without one)."""
    values, capacity = {}, Capacity()
    for _key, comparison in registry.comparisons():
        if comparison.collect is not None and comparison.metrics:
            values.update(comparison.collect(municipality, today, comparison.metrics))
        if comparison.capacity is not None:
            capacity = comparison.capacity(municipality)
    return values, capacity
