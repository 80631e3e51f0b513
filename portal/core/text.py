"""Text a person typed, made safe to keep and to write anywhere (pure: no Flask).

Control characters (vertical tab, escape, NUL...) have no place in a title or an
answer; XML 1.0 cannot carry them at all, so one of them would make an Atom feed
ill-formed or an XLSX file unwritable. :func:`clean_text` strips them at input (every
form, file, command and API) and the writers apply it again on output, since stored
data may predate the rule.
"""
import re

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; the code points
# XML 1.0 forbids (lone surrogates, U+FFFE, U+FFFF).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value):
    """``value`` without control characters (tab and line breaks stay); other types as they are."""
    if isinstance(value, str):
        return CONTROL.sub("", value)
    return value


def clean_texts(value):
    """:func:`clean_text` on a string or on each string of a list or tuple (a multiple choice)."""
    if isinstance(value, (list, tuple)):
        return type(value)(clean_text(v) for v in value)
    return clean_text(value)
