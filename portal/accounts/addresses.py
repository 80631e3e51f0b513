"""The one rule for e-mail addresses, shared by every form, service and command.

An address is accepted when `email-validator` accepts its syntax (no DNS lookup: the
portal may run offline), it has at most 254 characters, and it is stored stripped and
lowercased. Sign-up, invitations, address changes and ``users create-admin`` all call
:func:`clean_address`, so the web and the command line accept the same addresses.
"""
from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254


class InvalidAddress(ValueError):
    """Not an address the portal accepts; the message (English) says why."""


def clean_address(text: str | None) -> str:
    """The address stripped and lowercased, or :class:`InvalidAddress`.

    >>> clean_address("  Ana@Example.ORG ")
    'ana@example.org'
    """
    address = (text or "").strip()
    if not address:
        raise InvalidAddress("the address is empty")
    if len(address) > MAX_LENGTH:
        raise InvalidAddress(f"the address is longer than {MAX_LENGTH} characters")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidAddress(str(error)) from None
    return address.lower()
