"""Administrative units (``data/raw/units.csv``) and matching the names reports give them.

A report names its unit by sheet name or title cell: "UBND XÃ TÂN TÚ", "X. Tân Tú", "TT Phủ Thông",
"Cấp huyện". Names are compared after NFC, case and whitespace folding, with or without the
prefixes listed in ``unit_prefixes.csv`` (Xã / X. / Thị trấn / TT / TT. / UBND), against each
unit's name and aliases.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, InputErrors, ParameterError
from . import resources
from .periods import Period
from .text import fold

#: A unit code: letters, digits, "_" and "-" (GSO codes are digits). Codes name report files
#: (``reports/<P>/<code>.html``) and notebook parameters, so nothing else is ever accepted.
UNIT_CODE_PATTERN = r"[0-9A-Za-z][0-9A-Za-z_-]{0,31}"
_UNIT_CODE = re.compile(UNIT_CODE_PATTERN)


def is_unit_code(text) -> bool:
    """Whether ``text`` is a plain unit code (see :data:`UNIT_CODE_PATTERN`)."""
    return isinstance(text, str) and _UNIT_CODE.fullmatch(text) is not None


def short_name(name: str) -> str:
    """The name as lists in a notice give it: "Xã Vi Hương" -> "Vi Hương", "Thị trấn Phủ Thông"
    -> "TT Phủ Thông"; other names as they are."""
    folded = fold(name)
    if folded.startswith("xã "):
        return name[3:]
    if folded.startswith("thị trấn "):
        return "TT " + name[len("Thị trấn "):]
    return name
COLUMNS = ["code", "name", "kind", "district", "province", "aliases", "valid_from", "valid_to", "successor_code"]
COMMUNE_KINDS = {"xa", "phuong", "thi_tran", "dac_khu"}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).replace("đ", "d")


@dataclass
class Units:
    """The units table (``.frame``, indexed by code) and name matching."""

    frame: pd.DataFrame
    source: str = "units.csv"

    def __post_init__(self):
        self.frame = self.frame.set_index("code", drop=False)
        prefixes = sorted((fold(p) for p in resources.table("unit_prefixes.csv")["prefix"]), key=len, reverse=True)
        self._prefixes = prefixes
        self._lookup: dict[str, str] = {}
        for row in self.frame.itertuples():
            names = [row.name, *[a for a in row.aliases.split("|") if a.strip()]]
            for name in names:
                for key in {fold(name), self._bare(name)}:
                    self._lookup.setdefault(key, row.code)

    def _bare(self, name: str) -> str:
        text = fold(name)
        changed = True
        while changed:  # "UBND xã Tân Tú" loses both prefixes
            changed = False
            for prefix in self._prefixes:
                if text.startswith(prefix) and len(text) > len(prefix):
                    rest = text[len(prefix):]
                    if prefix.endswith(".") or rest[0] in " .:":
                        text = rest.lstrip(" .:")
                        changed = True
                        break
        return text

    def match(self, name: str) -> str | None:
        """The unit code a name refers to, or None."""
        if not name or not fold(name):
            return None
        return self._lookup.get(fold(name)) or self._lookup.get(self._bare(name))

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Canonical names of the known units closest to ``name`` (for error messages)."""
        bare = _strip_accents(self._bare(name))
        keys = {_strip_accents(k): code for k, code in self._lookup.items()}
        found = difflib.get_close_matches(bare, list(keys), n=n * 3, cutoff=0.4)
        names: list[str] = []
        for key in found:
            unit_name = self.frame.at[keys[key], "name"]
            if unit_name not in names:
                names.append(unit_name)
        return names[:n]

    def resolve(self, name: str, *, file: str = "", sheet: str = "", row: int | None = None, column: str = "") -> str:
        """The code for ``name``, or an :class:`InputError` naming the closest known units."""
        code = self.match(name)
        if code:
            return code
        near = self.closest(name)
        hint = f"; closest known: {', '.join(near)}" if near else ""
        raise InputError(f"unknown unit '{name}' (not in {self.source}){hint}", file, sheet, row, column)

    def name(self, code: str) -> str:
        """The unit's canonical name (``units.csv``)."""
        return self.frame.at[code, "name"]

    def code_of(self, value: str | int) -> str:
        """The code of ``units.csv`` that ``value`` stands for: the code itself, or the number a
        code becomes when its leading zeros are lost on the way (plain papermill's ``-p unit_code
        01975`` passes the number 1975, which is "01975" again here when one code matches)."""
        text = str(value).strip()
        if text in self.frame.index:
            return text
        if text.isdigit():
            matches = [code for code in self.frame.index if code.isdigit() and int(code) == int(text)]
            if len(matches) == 1:
                return matches[0]
        hint = (f"; if it lost its leading zeros on the way (papermill's -p reads 01975 as the number "
                f"1975), give it as text: papermill ... -r unit_code 01975" if text.isdigit() else "")
        raise ParameterError(f"unknown unit code {text!r}: not in {self.source}{hint}")

    def short_name(self, code: str) -> str:
        """The unit's name as lists in a notice give it (see :func:`short_name`)."""
        return short_name(self.name(code))

    def kind(self, code: str) -> str:
        return self.frame.at[code, "kind"]

    def is_commune(self, code: str) -> bool:
        """Communes, wards, towns and special zones: the units a notice counts and ranks (a
        district's or province's own budget is not one of them)."""
        return self.frame.at[code, "kind"] in COMMUNE_KINDS if code in self.frame.index else True

    def valid_in(self, period: Period) -> pd.DataFrame:
        """Units in force at the end of ``period``."""
        end = f"{period.year:04d}-{period.month:02d}-28"
        f = self.frame
        ok = ((f["valid_from"] == "") | (f["valid_from"] <= end)) & ((f["valid_to"] == "") | (f["valid_to"] >= end))
        return f[ok]


def load_units(path: str | Path | None = None) -> Units:
    """Units from ``path`` (normally ``data/raw/units.csv``); the packaged Bạch Thông list if None."""
    if path is None:
        return Units(resources.table("units-bach-thong.csv"), "the packaged units-bach-thong.csv")
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read the units table: {exc}", str(path)) from None
    missing = [c for c in ("code", "name") if c not in frame.columns]
    if missing:
        raise InputError(f"the units table lacks the column(s) {', '.join(missing)}", str(path))
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    bad = ~frame["code"].map(is_unit_code)
    if bad.any():
        errors = [InputError(f"unit code '{code}' is not a code (letters, digits, '_' or '-', as GSO codes)",
                             path.name, "", int(i) + 2, "code") for i, code in frame.loc[bad, "code"].items()]
        raise InputErrors(errors, path.name)
    duplicated = frame["code"].duplicated()
    if duplicated.any():
        errors = [InputError(f"unit code '{code}' appears twice", path.name, "", int(i) + 2, "code")
                  for i, code in frame.loc[duplicated, "code"].items()]
        raise InputErrors(errors, path.name)
    return Units(frame[COLUMNS], path.name)
