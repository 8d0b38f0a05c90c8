"""Edits that the validation tests make to a valid submission to build each case: an edit
takes the indicator rows and the enterprise rows (dicts, the file's row 2 first) and changes
them in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Edit = Callable[[list[dict[str, Any]], list[dict[str, Any]]], None]


def change(row: int, **values: Any) -> Edit:
    """Set values in the indicator row numbered row in the file."""
    return lambda ind, ent: ind[row - 2].update(values)


def add(**values: Any) -> Edit:
    """Append an indicator row: a copy of row 2 with `values` (row number len + 2)."""
    return lambda ind, ent: ind.append({**ind[0], **values})


def drop(row: int) -> Edit:
    """Remove the indicator row numbered row in the file."""
    return lambda ind, ent: ind.pop(row - 2)


def change_ent(row: int, **values: Any) -> Edit:
    """Set values in the enterprise row numbered row in the file."""
    return lambda ind, ent: ent[row - 2].update(values)
