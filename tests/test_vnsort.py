"""Vietnamese order (`data_access.vnsort`): the dictionary's order by hand, and the key built character by
character equal to the key of the whole text decomposed at once, whatever the text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from data_access import vnsort
from data_access.vnsort import vn_key, vn_order, vn_sorted

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
OTHER = " 0123456789-–.,()/ZzqQwWfFjJ" + "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b\u0308"  # stray marks too


def whole(text: str) -> object:
    """The key as the text decomposed at once gives it (what `_key` gave before it went character by character)."""
    primary, tones, cases = vnsort._letters(text.strip())
    return tuple(primary), tuple(tones), tuple(cases)


def test_the_dictionary_order_by_hand() -> None:
    names = [
        "Z",
        "Thôn 2",
        "bạ",
        "đ",
        "Lộc Sơn",
        "ân",
        "bá",
        "d",
        "Ba",
        "ăn",
        "bả",
        "Đa Lộc",
        "bà",
        "an",
        "bã",
        "Thôn 10",
    ]
    # a < ă < â; b with tones none, huyền, hỏi, ngã, sắc, nặng; d < đ; digits compare one by one ("10" < "2")
    assert vn_sorted(names) == [
        "an", "ăn", "ân", "Ba", "bà", "bả", "bã", "bá", "bạ", "d", "đ", "Đa Lộc", "Lộc Sơn", "Thôn 10", "Thôn 2", "Z",
    ]  # fmt: skip
    assert vn_order(["Lộc Sơn", "Đa Lộc", "Cầu Lộc"], ["b", "a", "c"]) == [2, 1, 0]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=VIETNAMESE + OTHER, max_size=30))
def test_the_key_by_character_equals_the_key_of_the_whole_text(text: str) -> None:
    for form in (text, unicodedata.normalize("NFD", text), unicodedata.normalize("NFC", text)):
        vnsort._key.cache_clear()
        assert vn_key(form) == whole(form)
