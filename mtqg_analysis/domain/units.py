"""Administrative units (``data/raw/units.csv``) and matching the names reports give them.

A report names its unit by sheet name or title cell: "UBND XÃ TÂN TÚ", "X. Tân Tú", "TT Phủ Thông",
"Cấp huyện". Names are compared after NFC, case and whitespace folding, with or without the
prefixes listed in ``unit_prefixes.csv`` (Xã / X. / Thị trấn / TT / TT. / UBND), against each
unit's name and aliases.
"""
from __future__ import annotations

import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, InputErrors
from . import csv_text, resources
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
    findings: list[dict] = field(default_factory=list)  # code_padded findings of reading the file

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
        return self.frame.at[code, "name"]

    def short_name(self, code: str) -> str:
        """The unit's name as lists in a notice give it (see :func:`short_name`)."""
        return short_name(self.name(code))

    def kind(self, code: str) -> str:
        return self.frame.at[code, "kind"]

    def is_commune(self, code: str) -> bool:
        """Communes, wards, towns and special zones: the units a notice counts and ranks (a
        district's or province's own budget is not one of them)."""
        return self.frame.at[code, "kind"] in COMMUNE_KINDS if code in self.frame.index else True

    def as_of(self, period: Period) -> "Units":
        """The units as a period's reports name them: where a code was reused (spec §2.1), the
        unit in force at the period's end keeps it; units of other dates stay known by their codes."""
        if not self.frame["code"].duplicated().any():
            return self
        end = f"{period.year:04d}-{period.month:02d}-28"
        f = self.frame.reset_index(drop=True)
        in_force = ((f["valid_from"] == "") | (f["valid_from"] <= end)) & ((f["valid_to"] == "") | (f["valid_to"] >= end))
        ordered = pd.concat([f[in_force], f[~in_force]])
        return Units(ordered[~ordered["code"].duplicated()], self.source, self.findings)

    def valid_in(self, period: Period) -> pd.DataFrame:
        """Units in force at the end of ``period``."""
        end = f"{period.year:04d}-{period.month:02d}-28"
        f = self.frame
        ok = ((f["valid_from"] == "") | (f["valid_from"] <= end)) & ((f["valid_to"] == "") | (f["valid_to"] >= end))
        return f[ok]


def load_units(path: str | Path | None = None) -> Units:
    """Units from ``path`` (normally ``data/raw/units.csv``, read by :func:`read_units_csv`); the
    packaged Bạch Thông list if None."""
    if path is None:
        return Units(resources.table("units-bach-thong.csv"), "the packaged units-bach-thong.csv")
    path = Path(path)
    frame, findings = read_units_csv(path)
    bad = ~frame["code"].map(is_unit_code)
    if bad.any():
        errors = [InputError(f"unit code '{code}' is not a code (letters, digits, '_' or '-', as GSO codes)",
                             path.name, "", int(i), "code") for i, code in frame.loc[bad, "code"].items()]
        raise InputErrors(errors, path.name)
    overlapping = _overlapping_codes(frame)
    if overlapping.any():
        errors = [InputError(f"unit code '{code}' appears twice with overlapping validity dates "
                             "(a code may be reused only after the earlier unit ended: set valid_to and valid_from)",
                             path.name, "", int(i), "code")
                  for i, code in frame.loc[overlapping, "code"].items()]
        raise InputErrors(errors, path.name)
    return Units(frame[COLUMNS], path.name, findings)


def read_units_csv(path: Path) -> tuple[pd.DataFrame, list[dict]]:
    """``units.csv`` as people edit it (spec §2.1): read like a tidy CSV (UTF-8 with or without
    BOM, UTF-16, Windows-1258; "," or ";"), empty rows dropped, values trimmed, and all-digit codes
    that Excel shortened zero-padded to their kind's width, each with a ``code_padded`` finding.
    Returns the rows (1-based file row numbers in the index) and the findings."""
    if not path.is_file():
        raise InputError(f"the units table was not found (looked for {path}); every data folder needs "
                         "raw/units.csv listing its communes (columns code, name, kind, aliases, ...; see the "
                         "README, 'What goes in')", path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"the units table cannot be read ({exc.strerror}); give the user running mtqg "
                         "permission to read it", path.name) from None
    text = csv_text.decode(data, path.name)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=csv_text.delimiter(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"the units table is not a readable CSV ({exc})", path.name) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    # Windows-1258 writes "ã" as "a" and a combining tilde: every value NFC, as the rest of the package.
    frame = frame.loc[:, ~frame.columns.duplicated()].apply(lambda column: column.str.normalize("NFC").str.strip())
    frame.index = frame.index + 2  # the row number in the file (header is row 1)
    frame = frame[(frame != "").any(axis=1)]  # empty rows, trailing ";;;;" rows of Excel included
    missing = [c for c in ("code", "name") if c not in frame.columns]
    if missing:
        found = ", ".join(frame.columns) or "none"
        raise InputError(f"the units table lacks the column(s) {', '.join(missing)} (columns found: {found}); "
                         "the first row must name the columns: code,name,kind,...", path.name, "", 1)
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame, findings = _pad_codes(frame, path.name)
    return frame, findings


def _pad_codes(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[dict]]:
    """Zero-pad all-digit codes shorter than their kind's width ("1969" -> "01969")."""
    widths = dict(zip(*[resources.table("unit_kinds.csv")[c] for c in ("kind", "code_width")]))
    width = pd.to_numeric(frame["kind"].str.lower().map(widths), errors="coerce").fillna(0).astype(int)
    short = frame["code"].str.fullmatch(r"\d+") & (frame["code"].str.len() < width)
    findings = []
    for row, code, wide in zip(frame.index[short], frame.loc[short, "code"], width[short]):
        padded = code.zfill(int(wide))
        findings.append({"severity": "info", "check": "code_padded", "unit_code": padded, "line_code": "",
                         "source_file": name, "source_sheet": "", "source_row": int(row),
                         "message": f"unit code '{code}' padded to '{padded}' (Excel drops leading zeros when it "
                                    "saves a CSV; save units.csv with the code column as text to keep them)"})
    frame = frame.copy()
    frame.loc[short, "code"] = [c.zfill(int(w)) for c, w in zip(frame.loc[short, "code"], width[short])]
    return frame, findings


def _overlapping_codes(frame: pd.DataFrame) -> pd.Series:
    """Rows whose code is also the code of an earlier row valid on some of the same days (spec §2.1:
    GSO reused codes in 2025, so a code is unique only among the units in force on one date)."""
    start = frame["valid_from"].where(frame["valid_from"] != "", "0000-00-00")
    end = frame["valid_to"].where(frame["valid_to"] != "", "9999-99-99")
    out = pd.Series(False, index=frame.index)
    for _, group in frame[frame["code"].duplicated(keep=False)].groupby("code"):
        rows = list(group.index)
        for k, i in enumerate(rows[1:], start=1):
            out[i] = any(start[i] <= end[j] and start[j] <= end[i] for j in rows[:k])
    return out
