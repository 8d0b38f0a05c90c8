"""Folded keys: how names are matched whatever their Unicode form, tone placement or case."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not d with a mark: stripping marks alone leaves them.
_D = str.maketrans({"đ": "d", "Đ": "D"})


def fold_key(text: str | None) -> str | None:
    """'Công ty  TNHH Hoà Bình' and 'CÔNG TY TNHH HÒA BÌNH' give 'cong ty tnhh hoa binh'.

    Old and new tone placement ('Hoà' / 'Hòa') and NFC / NFD fold alike because every mark
    is dropped.
    """
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare).strip().casefold() or None
