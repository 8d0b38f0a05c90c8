"""Numbers as the contract writes them: digits, an optional '.' and decimals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def machine_number(value: object) -> str | None:
    """A number as the contract's machine form: digits, optional '.' and decimals."""
    if value is None:
        return None
    try:
        dec = Decimal(str(value))
    except InvalidOperation:
        return None
    if not dec.is_finite():
        return None
    text = format(dec.normalize(), "f")
    return text
