"""Legacy Vietnamese text: TCVN3 (ABC) and VNI fonts, and UTF-8 mojibake (domain notes §5.3).

Before Unicode, Vietnamese offices typed with fonts that drew Vietnamese letters in place of
Latin-1 characters. The text stored in the workbook is then Latin-1 ("Hç trî nhµ ë") and only the
cell's font says what it means:

- **TCVN3 / ABC**: fonts whose name starts with ".Vn" (".VnTime", ".VnArial"). One byte per letter.
  Heading fonts end in "H" (".VnTimeH", ".VnArial NarrowH") and draw every letter as a capital:
  the same byte is the upper-case letter, and plain a-z show as A-Z.
- **VNI-Windows**: fonts whose name starts with "VNI-" ("VNI-Times", "VNI-Helve"). A letter is a
  base letter followed by a mark ("aù" = á, "oâ" = ô, "ôï" = ợ), a few are single characters
  ("ô" = ơ, "ö" = ư, "ñ" = đ, "ó" = ĩ).

The mapping tables are data: ``data/tcvn3.csv`` (code, letter in a normal font, letter in a
heading font) and ``data/vni.csv`` (character codes of the sequence, the letter).

A cell in a legacy font that already holds Unicode Vietnamese letters (typed with a Unicode
keyboard in an old template) is left as it is. A short Latin-1-only text in a legacy font is
always converted: the font is the decisive hint, as in the VBA macros offices use.

**Mojibake**: UTF-8 text that some program read as Windows-1252 ("PhÆ°á»ng" for "Phường").
:func:`repair_mojibake` reverses it only when the round trip is exact and gives Vietnamese letters.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..domain import resources

TCVN3 = "tcvn3"
VNI = "vni"

# Unicode letters that no legacy-font text contains: their presence means "already Unicode".
_UNICODE_VIETNAMESE = re.compile(r"[\u0102-\u01b0\u1ea0-\u1ef9\u0300-\u0323]")


# --- tables ------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _tcvn3_tables() -> tuple[dict[int, str], dict[int, str]]:
    """(normal-font table, heading-font table) for ``str.translate``."""
    table = resources.table("tcvn3.csv")
    normal = {int(code, 16): letter for code, letter in zip(table["code"], table["normal"])}
    heading = {int(code, 16): letter for code, letter in zip(table["code"], table["heading"])}
    heading.update({ord(c): c.upper() for c in "abcdefghijklmnopqrstuvwxyz"})
    return normal, heading


@lru_cache(maxsize=None)
def _vni_table() -> tuple[dict[str, str], re.Pattern]:
    """VNI sequence -> letter, and a pattern matching the longest sequence first."""
    table = resources.table("vni.csv")
    sequences: dict[str, str] = {}
    for codes, letter in zip(table["codes"], table["letter"]):
        sequences["".join(chr(int(c, 16)) for c in codes.split())] = letter
    # A mark typed in the other case than its base letter ("Aù", "aÙ") still marks that letter;
    # the base letter decides the case.
    for sequence, letter in list(sequences.items()):
        if len(sequence) == 2:
            other = sequence[0] + sequence[1].swapcase()
            sequences.setdefault(other, letter)
    ordered = sorted(sequences, key=len, reverse=True)
    return sequences, re.compile("|".join(re.escape(s) for s in ordered))


@lru_cache(maxsize=None)
def vietnamese_letters() -> frozenset[str]:
    """The 134 letters with Vietnamese diacritics (67 lower case, 67 upper case), NFC."""
    return frozenset(resources.table("vni.csv")["letter"])


# --- fonts -------------------------------------------------------------------------------------
def font_encoding(font_name: str | None) -> tuple[str, bool] | None:
    """(encoding, heading font) for a legacy font name, or None for a Unicode font.

    >>> font_encoding(".VnTimeH")
    ('tcvn3', True)
    >>> font_encoding("VNI-Times")
    ('vni', False)
    """
    if not font_name:
        return None
    name = font_name.strip()
    folded = name.casefold()
    if folded.startswith(".vn"):
        return TCVN3, folded.endswith("h")
    if folded.startswith("vni-") or folded.startswith("vni "):
        return VNI, False
    return None


def tcvn3_to_unicode(text: str, heading: bool = False) -> str:
    normal, upper = _tcvn3_tables()
    return unicodedata.normalize("NFC", text.translate(upper if heading else normal))


def vni_to_unicode(text: str) -> str:
    sequences, pattern = _vni_table()
    return unicodedata.normalize("NFC", pattern.sub(lambda m: sequences[m.group()], text))


def convert_cell_text(text: str, font_name: str | None) -> tuple[str, str | None]:
    """Unicode NFC text of a cell drawn in ``font_name``, and ``"tcvn3"``/``"vni"`` when converted
    (None when the font is not a legacy font or the text needed no change)."""
    if not isinstance(text, str) or not text:
        return text, None
    encoding = font_encoding(font_name)
    if encoding is None or _UNICODE_VIETNAMESE.search(text):
        return text, None
    kind, heading = encoding
    new = tcvn3_to_unicode(text, heading) if kind == TCVN3 else vni_to_unicode(text)
    return (new, kind) if new != text else (text, None)


# --- mojibake ----------------------------------------------------------------------------------
# Bytes that Windows-1252 leaves undefined: a program reading UTF-8 as cp1252 shows them as
# invisible control characters (U+0081...) or drops them.
_UNDEFINED_CP1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_HORN_O = frozenset("ơớờởỡợƠỚỜỞỠỢ")
_MOJIBAKE_HINT = re.compile(r"[\u00c2-\u00c6\u00cc\u00cd\u00e1][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                            r"\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


@lru_cache(maxsize=None)
def _cp1252_bytes() -> dict[str, int]:
    mapping = {chr(b): b for b in range(0x80, 0x100)}  # undefined bytes arrive as U+0080-U+009F
    for b in range(0x80, 0x100):
        try:
            mapping[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            pass
    return mapping


def _as_cp1252(text: str) -> bytes | None:
    table = _cp1252_bytes()
    out = bytearray()
    for char in text:
        if ord(char) < 0x80:
            out.append(ord(char))
        elif char in table:
            out.append(table[char])
        else:
            return None  # a character cp1252 cannot hold: the text is not cp1252-read UTF-8
    return bytes(out)


def _decode_utf8_filling(data: bytes) -> str | None:
    """UTF-8 decoding that restores a dropped last byte when only one Vietnamese letter fits."""
    letters = vietnamese_letters()
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        lead = data[i]
        if lead < 0x80:
            out.append(chr(lead))
            i += 1
            continue
        need = 1 if 0xC2 <= lead <= 0xDF else 2 if 0xE0 <= lead <= 0xEF else 3 if 0xF0 <= lead <= 0xF4 else 0
        if not need:
            return None
        j = i + 1
        while j < n and j - i - 1 < need and 0x80 <= data[j] <= 0xBF:
            j += 1
        chunk, got = data[i:j], j - i - 1
        if got == need:
            try:
                out.append(chunk.decode("utf-8"))
            except UnicodeDecodeError:
                return None
        elif got == need - 1:
            options = []
            for missing in _UNDEFINED_CP1252:
                try:
                    char = (chunk + bytes([missing])).decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if char in letters:
                    options.append(char)
            if len(options) > 1 and out and out[-1] in "ưƯ":  # "ư" + vowel is always "ươ"
                options = [o for o in options if o in _HORN_O]
            if len(options) != 1:
                return None
            out.append(options[0])
        else:
            return None
        i = j
    return "".join(out)


def looks_like_mojibake(text: str) -> bool:
    """Whether ``text`` may be UTF-8 read as Windows-1252 (a cheap test before :func:`repair_mojibake`)."""
    return _MOJIBAKE_HINT.search(text) is not None


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 read as Windows-1252 ("PhÆ°á»ng" -> "Phường"); ``(text, False)`` when the text
    does not look like that or the reversal does not give Vietnamese letters."""
    if not isinstance(text, str) or not _MOJIBAKE_HINT.search(text):
        return text, False
    data = _as_cp1252(text)
    if data is None:
        return text, False
    try:
        fixed = data.decode("utf-8")
    except UnicodeDecodeError:
        fixed = _decode_utf8_filling(data)
    if fixed is None:
        return text, False
    fixed = unicodedata.normalize("NFC", fixed)
    letters = vietnamese_letters()
    if fixed == text or not any(c in letters for c in fixed):
        return text, False
    return fixed, True


# --- Excel's escapes --------------------------------------------------------------------------------
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_ooxml(text: str) -> str:
    """Excel stores characters that XML cannot hold (control characters) as ``_xHHHH_``;
    openpyxl hands them over as written. Turn them back into the characters (which
    :func:`mtqg_analysis.domain.text.normalize` then removes)."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
