"""Removing personal data from free-text answers before they are published (pure).

A simple, visible redaction: e-mail addresses, telephone numbers (7 or more digits,
with spaces, dots, dashes or a leading +) and Salvadoran DUI numbers (00000000-0)
become :data:`MARK`. Moderators see the original and the redacted text side by side
and approve only the redacted one.
"""
import re

MARK = "[dato personal retirado]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
_DUI = re.compile(r"\b\d{8}-\d\b")
_PHONE = re.compile(r"(?<![\w])\+?\d(?:[\s.\-]?\d){6,}(?![\w])")


def redact(text: str) -> str:
    """``text`` with e-mail addresses, DUI and phone numbers replaced by :data:`MARK`."""
    text = _EMAIL.sub(MARK, text or "")
    text = _DUI.sub(MARK, text)
    return _PHONE.sub(MARK, text)
