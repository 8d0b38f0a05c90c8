from __future__ import annotations

import unicodedata

import pytest

from kcn.text import fold_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("KCN Hoà Xá", "KCN Hòa Xá"),  # old and new tone placement
        ("Nam Định", unicodedata.normalize("NFD", "Nam Định")),  # NFC and NFD
        ("ĐỒNG VĂN", "đồng  văn"),  # case, đ, spaces
    ],
)
def test_spellings_of_one_name_fold_alike(a: str, b: str) -> None:
    assert fold_key(a) == fold_key(b)


def test_fold_maps_d_with_stroke_and_keeps_different_names_apart() -> None:
    assert fold_key("Công ty Điện tử Đông Anh") == "cong ty dien tu dong anh"
    assert fold_key("Thăng Long") != fold_key("Nam Thăng Long")
    assert fold_key("   ") is None
    assert fold_key(None) is None
