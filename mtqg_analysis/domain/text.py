"""Text normalisation shared by every stage (spec §3.1 "Text").

Labels and names arrive as NFD (macOS, web forms), with non-breaking spaces, line breaks inside
cells and doubled spaces. Everything is brought to NFC with single spaces before any matching;
``fold`` additionally case-folds for comparisons.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

# Every Unicode space (NBSP, thin space, ideographic space...), tabs and line breaks.
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
# Control characters other than whitespace are never meaningful in a report cell.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize(value) -> str:
    """NFC, control characters removed, runs of whitespace folded to one space, trimmed.

    Missing values (None, NaN, pandas NA) are the empty string, never "nan"."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return _normalize(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=1 << 16)  # the same labels recur on every sheet of a province
def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def fold(value) -> str:
    """``normalize`` plus case folding: the form in which words are compared."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return _fold(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    # Đ/đ sometimes arrives as the Icelandic eth (U+00D0) from bad conversions.
    return _normalize(text).replace("\u00d0", "Đ").casefold()


def normalize_series(values: pd.Series) -> pd.Series:
    """Vectorised ``normalize`` for a column of cell values (NaN/None become "")."""
    text = values.astype("object").where(values.notna(), "").astype(str)
    text = text.str.normalize("NFC").str.replace(_CONTROL, "", regex=True)
    return text.str.replace(_SPACES, " ", regex=True).str.strip()


def contains_word(folded_text: str, folded_word: str) -> bool:
    """Whether ``folded_word`` occurs in ``folded_text`` as whole words (not inside another word)."""
    pattern = r"(?<!\w)" + re.escape(folded_word) + r"(?!\w)"
    return re.search(pattern, folded_text) is not None


# Spreadsheet programs run text that starts with these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that no spreadsheet will take for a formula: a leading apostrophe where it starts like
    one. Anything that is not text is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns went through :func:`spreadsheet_safe`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == "string" or out[column].dtype == object:
            text = out[column].astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES).fillna(False)
            if risky.any():
                out[column] = text.where(~risky, "'" + text)
    return out


# --- Vietnamese alphabetical order -------------------------------------------------------------
# The Vietnamese alphabet orders letters with a breve, circumflex, horn or stroke after their base
# letter (A Ă Â B C D Đ E Ê ... O Ô Ơ ... U Ư ...), so "Đôn Phong" follows "Dương Phong"; the five
# tone marks only break ties, in the order of dictionaries (none, huyền, hỏi, ngã, sắc, nặng).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Base letter + breve, circumflex or horn (as NFD writes them): a letter of its own.
_MARKED = {"a\u0306": "ă", "a\u0302": "â", "e\u0302": "ê", "o\u0302": "ô", "o\u031b": "ơ", "u\u031b": "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=1 << 12)
def vietnamese_sort_key(value) -> tuple:
    """A key that sorts names in Vietnamese alphabetical order: ``sorted(names, key=vietnamese_sort_key)``.

    Letters are compared first (Đ after D, Ơ after Ô), tone marks only where the letters are equal,
    case last. Characters outside the alphabet (digits, punctuation) sort before letters, by code point.
    """
    text = unicodedata.normalize("NFD", normalize(value)).replace("\u00d0", "Đ")
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for char in text:
        lower = char.lower()
        if char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
            continue
        if letters and letters[-1][0] == 1 and _ALPHABET[letters[-1][1]] + char in _MARKED:
            letters[-1] = (1, _ALPHABET.index(_MARKED[_ALPHABET[letters[-1][1]] + char]))
            continue
        if unicodedata.combining(char):
            continue
        if lower == "đ" or lower in _ALPHABET:
            letters.append((1, _ALPHABET.index(lower)))
        else:
            letters.append((0, ord(lower)))
        tones.append(0)
    return tuple(letters), tuple(tones), text.swapcase()
