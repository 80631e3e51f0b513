"""Each indicator of the catalog is a diagnostic source ``finance.<code>``: its value for
the year of ``as_of``, from published actual data (None when not computable)."""
from flask import url_for
from flask_babel import LazyString

from portal.core.registry import Source, SourceValue
from portal.finance import ratios, services, variables


def _value_for(definition: ratios.Definition):
    def value(municipality, as_of, param=None):
        catalog_entry = services.definition(municipality, definition.code) or definition
        results = services.indicators(municipality, as_of.year, definitions=[catalog_entry])
        if not results or results[0].value is None:
            return None
        result = results[0]
        return SourceValue(result.value, detail=f"{as_of.year}: {result.plugged}",
                           url=url_for("finance.indicator", slug=municipality.slug, code=definition.code,
                                       year=as_of.year, _external=False))
    return value


def _description(definition: ratios.Definition) -> str:
    """The formula in words and its reference, in the reader's language."""
    return f"{variables.formula_words(definition.formula)} ({variables.catalog_text(definition.ideal)})"


def sources() -> tuple[Source, ...]:
    """One source for each indicator of the default catalog."""
    return tuple(Source(key=f"finance.{definition.code}", domain="finance",
                        label=variables.INDICATOR_NAMES.get(definition.name, definition.name),
                        unit=definition.unit, value=_value_for(definition),
                        description=LazyString(_description, definition))
                 for definition in ratios.DEFAULT_CATALOG)
