"""The open datasets every municipality publishes, as the domains declare them in their
manifests (:mod:`portal.core.registry`): names, columns (English and Spanish), types,
themes and the source of their rows. They drive the downloads, the Data Packages, the
read API's dataset endpoints, the DCAT catalog, ``data.json`` and the "Datos abiertos"
pages, so these can never disagree.

Column names are stable contracts: ``name`` (English) and ``es`` (Spanish) never change
once published; new columns are only added at the end.
"""
from portal.core import registry
from portal.core.registry import Column, Dataset

__all__ = ["Column", "Dataset", "all_datasets", "get"]


def all_datasets() -> tuple[Dataset, ...]:
    """Every registered dataset, domain by domain in their declared order."""
    return registry.datasets()


def get(key: str) -> Dataset | None:
    return registry.dataset(key)
