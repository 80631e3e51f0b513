"""The fiscal semáforo's light of one municipality from its early warnings. Pure: plain
values in and out.

- ``red``: a legal limit is projected to be breached at the close of the year
  (a warning of kind :data:`portal.finance.early_warning.LEGAL_LIMIT`);
- ``amber``: no legal limit, but an indicator threshold is projected to be breached or
  investment runs behind by mid-year (kinds ``threshold`` and ``investment``);
- ``green``: published monthly execution and no warning;
- ``no_data``: no published monthly execution (never green: nothing was looked at).

The warning kinds are the strings of :mod:`portal.finance.early_warning`, written here so
this module needs nothing but the standard library.
"""
RED, AMBER, GREEN, NO_DATA = "red", "amber", "green", "no_data"
LIGHTS = (RED, AMBER, GREEN, NO_DATA)  # worst first: the order of lists and filters
RED_KINDS = frozenset({"legal_limit"})
AMBER_KINDS = frozenset({"threshold", "investment"})


def light(kinds, has_data: bool = True) -> str:
    """The light for warnings of ``kinds`` (an iterable of kind strings); ``no_data``
    when the municipality has no published monthly execution. An unknown kind counts as
    amber: a warning is never read as green."""
    if not has_data:
        return NO_DATA
    kinds = set(kinds)
    if kinds & RED_KINDS:
        return RED
    if kinds:
        return AMBER
    return GREEN
