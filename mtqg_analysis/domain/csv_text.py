"""Text files as Excel and people save them (spec §3.2, §2.1): the encoding and the delimiter.

Tidy CSV reports and ``units.csv`` are read alike: UTF-8 with or without BOM, UTF-16 with a BOM,
or Windows-1258 (an old Vietnamese Windows); "," or ";" (Excel in a Vietnamese locale writes ";").
"""
from __future__ import annotations

from ..errors import InputError


def decode(data: bytes, display: str) -> str:
    """The text of a CSV file's bytes, line ends normalised to "\\n"."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError.of("csv.not_utf16", display) from None
    elif b"\x00" in data[:4096]:
        raise InputError.of("csv.not_text", display)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                raise InputError.of("csv.not_text", display) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def delimiter(text: str) -> str:
    """";" where the first line has more semicolons than commas, else ","."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","
