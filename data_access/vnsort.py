"""Vietnamese alphabetical order: a < ă < â < b < c < d < đ < e < ê … o < ô < ơ … u < ư …, tones second.

Databases in the C locale (and SQLite) put "Đ" after "Z"; every list of names shown to a person is sorted with
`vn_key` instead. Tones break ties only, in the dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# A base letter and a combining mark (breve, circumflex, horn) that together make a letter of their own.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_MARKS = {mark for _, mark in _LETTER_MARKS}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[int] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _TONES:
            if tones:
                tones[-1] = _TONES[ch]
            continue
        if ch in _MARKS and primary and primary[-1][0] == 0:
            letter = _LETTER_MARKS.get((_ALPHABET[primary[-1][1]], ch))
            if letter:
                primary[-1] = (0, _RANK[letter])
            continue
        if unicodedata.combining(ch):
            continue
        lower = ch.lower()
        if lower == "đ":
            primary.append((0, _RANK["đ"]))
        elif lower in _RANK:
            primary.append((0, _RANK[lower]))
        elif lower.isdigit():
            primary.append((-1, int(lower)))
        elif lower.isspace():
            primary.append((-3, 0))
        else:
            primary.append((-2, ord(lower)))
        tones.append(0)
        cases.append(0 if ch == lower else 1)
    return primary, tones, cases


def vn_key(text: object) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]:
    """A sort key that orders Vietnamese names as a Vietnamese dictionary does. None sorts first."""
    if text is None or (isinstance(text, float) and text != text):
        return ((), (), ())
    return _key(str(text))


@functools.lru_cache(maxsize=100_000)
def _key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]:
    """The key of a name, computed once per name (a province has 9,000 cells but far fewer distinct names, and
    every page sorts them).

    Built character by character from the NFC text, each character's part computed once (`_char`): the NFD of a
    string whose NFC characters are all starters is their NFDs one after the other, so the key is `_letters`'s.
    A text with a mark that composes with nothing (a combining character left in NFC) takes `_letters` whole."""
    text = unicodedata.normalize("NFC", text.strip())
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[int] = []
    for ch in text:
        part = _char(ch)
        if part is None:
            primary, tones, cases = _letters(text)
            break
        primary += part[0]
        tones += part[1]
        cases += part[2]
    return tuple(primary), tuple(tones), tuple(cases)


@functools.lru_cache(maxsize=4_096)
def _char(ch: str) -> tuple[list[tuple[int, int]], list[int], list[int]] | None:
    """One NFC character's part of the key, or None for a combining mark (which belongs to the character before)."""
    if unicodedata.combining(ch):
        return None
    return _letters(ch)


def vn_sorted(names: list[str]) -> list[str]:
    return sorted(names, key=vn_key)


def vn_order(*columns: Sequence[object]) -> list[int]:
    """The positions of rows sorted by their names in `columns` (one list of values per column, first column first),
    in Vietnamese order; equal rows keep their order. Pass `df[column].tolist()`, not the Series: reading a pandas
    value per row and column costs more than the sort."""
    keys = list(zip(*[[vn_key(v) for v in column] for column in columns], strict=True))
    return sorted(range(len(keys)), key=keys.__getitem__)
