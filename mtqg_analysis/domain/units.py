"""Administrative units over time (``data/raw/units.csv``, spec §2.1) and matching the names
reports give them.

One row per unit and validity span: ``code`` (GSO code), ``name``, ``kind``, ``parent_code`` (the
unit above it during its validity), ``aliases``, ``valid_from``/``valid_to`` (ISO dates, empty =
open) and ``successor_code`` (the units it went into; the first is where its history is placed).
A code is unique among the units in force on one date, not over all time: GSO reused codes in 2025
(01969 was Thị trấn Phủ Thông and is now Xã Phủ Thông). A unit is identified by its code and a date.

:class:`Units` holds every span (``.history``) and is seen at one date (``.on``): ``.frame`` is
then the units in force that day, one row per code, and names are matched among them first.
``units.at(period)`` gives the view at a period's end.

A report names its unit by sheet name or title cell: "UBND XÃ TÂN TÚ", "X. Tân Tú", "TT Phủ Thông",
"Cấp huyện". Names are compared after NFC, case and whitespace folding, with or without the
prefixes listed in ``unit_prefixes.csv`` (Xã / X. / Thị trấn / TT / TT. / UBND), against each
unit's name and aliases.
"""
from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import InputError, InputErrors, ParameterError, Phrase
from . import csv_text, resources
from .periods import parse_period
from .text import fold

#: A unit code: letters, digits, "_" and "-" (GSO codes are digits). Codes name report files
#: (``reports/<P>/<code>.html``) and notebook parameters, so nothing else is ever accepted.
UNIT_CODE_PATTERN = r"[0-9A-Za-z][0-9A-Za-z_-]{0,31}"
_UNIT_CODE = re.compile(UNIT_CODE_PATTERN)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


COLUMNS = ["code", "name", "kind", "parent_code", "district", "province", "aliases", "valid_from", "valid_to",
           "successor_code"]
#: Communes, wards, towns and special zones: the units a notice counts, ranks and expects to report.
COMMUNE_KINDS = {"xa", "phuong", "thi_tran", "dac_khu"}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).replace("đ", "d")


@lru_cache(maxsize=None)
def _prefixes() -> tuple[str, ...]:
    return tuple(sorted((fold(p) for p in resources.table("unit_prefixes.csv")["prefix"]), key=len, reverse=True))


def _codes(text: str) -> list[str]:
    return [c.strip() for c in str(text).split("|") if c.strip()]


def _day_before(iso: str) -> str:
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


def _day_after(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat()


def as_date(when) -> dt.date:
    """A date from a date, an ISO date's text, a period (its end date, spec §2.1) or a period's text."""
    if isinstance(when, dt.datetime):
        return when.date()
    if isinstance(when, dt.date):
        return when
    if isinstance(when, str) and _ISO_DATE.match(when.strip()):
        return dt.date.fromisoformat(when.strip())
    return parse_period(when).end_date


def with_parents(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``parent_code`` filled where the older form gives ``district`` and
    ``province`` names instead: a commune's parent is the district unit of that name, a district's
    the province unit of that name (where exactly one such unit is listed)."""
    out = frame.copy()
    empty = out["parent_code"] == ""
    if not empty.any():
        return out
    for kind, by in (("huyen", "district"), ("tinh", "province")):
        above = out[out["kind"] == kind]
        names = above.groupby(above[by].map(fold))["code"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "")
        below = empty & (out["kind"] != kind) & (out[by] != "")
        if kind == "tinh":
            below &= out["kind"] == "huyen"
        else:
            below &= out["kind"].isin(COMMUNE_KINDS)
        out.loc[below, "parent_code"] = out.loc[below, by].map(fold).map(lambda name: names.get(name, ""))
    return out


class Units:
    """The units table over time (``.history``), seen at one date (``.on``): ``.frame`` holds the
    units in force that day, indexed by code, and names are matched among them first.

    Without a date (``on=None``) the view is each code's latest span (how ``units.csv`` reads
    today).
    """

    def __init__(self, frame: pd.DataFrame, source: str = "units.csv", on=None, findings: list[dict] | None = None):
        self.findings = list(findings or [])  # code_padded findings of reading the file (spec §2.1)
        history = frame.reset_index(drop=True)
        for column in COLUMNS:
            if column not in history.columns:
                history[column] = ""
        self.history = with_parents(history[COLUMNS])
        self.source = source
        self.on = as_date(on) if on is not None else None
        if self.on is None:
            order = self.history.assign(_from=self.history["valid_from"]).sort_values("_from", kind="stable")
            current = order.drop_duplicates("code", keep="last").index
        else:
            current = self.history.index[self.in_force_mask(self.on)]
        self._current = set(current)
        self.frame = self.history.loc[sorted(current)].set_index("code", drop=False)
        self._row_of_code = dict(zip(self.frame["code"], sorted(current)))
        self._now: dict[str, list[int]] = {}
        self._other: dict[str, list[int]] = {}
        for row in self.history.itertuples():
            target = self._now if row.Index in self._current else self._other
            for name in [row.name, *_codes(row.aliases)]:
                for key in dict.fromkeys((fold(name), self._bare(name))):
                    target.setdefault(key, []).append(row.Index)

    # -- dates ------------------------------------------------------------------------------------
    def in_force_mask(self, when) -> pd.Series:
        """Which rows of :attr:`history` are in force on ``when`` (a date or a period's end)."""
        day = as_date(when).isoformat()
        h = self.history
        return ((h["valid_from"] == "") | (h["valid_from"] <= day)) & ((h["valid_to"] == "") | (h["valid_to"] >= day))

    def at(self, when) -> "Units":
        """The same units seen at ``when``: a date, or a period (its last day; ``YYYY-EXT``:
        31 December)."""
        return Units(self.history, self.source, as_date(when), self.findings)

    def valid_in(self, period) -> pd.DataFrame:
        """Units in force at the end of ``period`` (spec §2.1)."""
        return self.history[self.in_force_mask(period)]

    def expected(self, period) -> pd.DataFrame:
        """The units in force at the end of ``period`` that are expected to report: communes,
        wards, towns and special zones (not a province or district that only stands above them)."""
        units = self.valid_in(period)
        return units[units["kind"].isin(COMMUNE_KINDS)]

    def in_force(self, row: int) -> bool:
        """Whether the unit of history row ``row`` is in force on this view's date."""
        return row in self._current

    # -- matching names --------------------------------------------------------------------------
    def _bare(self, name: str) -> str:
        text = fold(name)
        changed = True
        while changed:  # "UBND xã Tân Tú" loses both prefixes
            changed = False
            for prefix in _prefixes():
                if text.startswith(prefix) and len(text) > len(prefix):
                    rest = text[len(prefix):]
                    if prefix.endswith(".") or rest[0] in " .:":
                        text = rest.lstrip(" .:")
                        changed = True
                        break
        return text

    def match_row(self, name: str) -> int | None:
        """The history row a name refers to: among the units in force first (exact name, then
        without prefixes), then among the others (the latest span first); None if none."""
        if not name or not fold(name):
            return None
        keys = (fold(name), self._bare(name))
        for table in (self._now, self._other):
            for key in keys:
                rows = table.get(key)
                if rows:
                    return max(rows, key=lambda r: (self.history.at[r, "valid_to"] or "9999", r))
        return None

    def match(self, name: str) -> str | None:
        """The unit code a name refers to, or None."""
        row = self.match_row(name)
        return None if row is None else self.history.at[row, "code"]

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Canonical names of the known units closest to ``name`` (for error messages)."""
        bare = _strip_accents(self._bare(name))
        keys: dict[str, int] = {}
        for table in (self._other, self._now):  # units in force win a tie
            for key, rows in table.items():
                keys[_strip_accents(key)] = rows[-1]
        found = difflib.get_close_matches(bare, list(keys), n=n * 3, cutoff=0.4)
        names: list[str] = []
        for key in found:
            unit_name = self.history.at[keys[key], "name"]
            if unit_name not in names:
                names.append(unit_name)
        return names[:n]

    def resolve_row(self, name: str, *, file: str = "", sheet: str = "", row: int | None = None,
                    column: str = "") -> int:
        """The history row for ``name``, or an :class:`InputError` naming the closest known units."""
        found = self.match_row(name)
        if found is not None:
            return found
        near = self.closest(name)
        hint = Phrase.of("phrase.closest", names=", ".join(near)) if near else ""
        raise InputError.of("unit.unknown", file, sheet, row, column, name=name, source=self.source, hint=hint)

    def resolve(self, name: str, *, file: str = "", sheet: str = "", row: int | None = None, column: str = "") -> str:
        """The code for ``name``, or an :class:`InputError` naming the closest known units."""
        return self.history.at[self.resolve_row(name, file=file, sheet=sheet, row=row, column=column), "code"]

    # -- one unit ---------------------------------------------------------------------------------
    def _row(self, code: str) -> pd.Series:
        """The unit ``code`` in force on this view's date, else the latest span of that code."""
        if code in self._row_of_code:
            return self.history.loc[self._row_of_code[code]]
        spans = self.history[self.history["code"] == code]
        if spans.empty:
            raise KeyError(f"unit code {code!r} is not in {self.source}")
        return spans.sort_values("valid_from", kind="stable").iloc[-1]

    def _value(self, code: str, column: str) -> str:
        """One column of :meth:`_row` (a direct lookup for a unit in force: reports ask it of
        every unit of a national period)."""
        if code in self._row_of_code:
            return self._in_force(column)[code]
        return self._row(code)[column]

    def _in_force(self, column: str) -> dict[str, str]:
        """``{code: value}`` of one column for the units in force, made once per view: a national
        notice asks the kind and name of each of 3,000 communes on every line."""
        kept = self.__dict__.setdefault("_columns", {})
        if column not in kept:
            kept[column] = dict(zip(self._row_of_code, self.history.loc[list(self._row_of_code.values()), column]))
        return kept[column]

    def start(self, code: str) -> str:
        """The day unit ``code`` came into force (ISO date; "" when the table does not say)."""
        return self._value(code, "valid_from")

    def knows(self, code: str) -> bool:
        return code in self._row_of_code or bool((self.history["code"] == code).any())

    def name(self, code: str) -> str:
        """The unit's canonical name (``units.csv``), as in force on this view's date."""
        return self._value(code, "name")

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
        hint = ("; if it lost its leading zeros on the way (papermill's -p reads 01975 as the number "
                "1975), give it as text: papermill ... -r unit_code 01975" if text.isdigit() else "")
        raise ParameterError(f"unknown unit code {text!r}: not in {self.source}{hint}")

    def short_name(self, code: str) -> str:
        """The unit's name as lists in a notice give it (see :func:`short_name`), kept per view: a
        national notice names each of 3,000 communes on many lines."""
        kept = self.__dict__.setdefault("_short_names", {})
        if code not in kept:
            kept[code] = short_name(self.name(code))
        return kept[code]

    def kind(self, code: str) -> str:
        return self._value(code, "kind")

    def is_commune(self, code: str) -> bool:
        """Communes, wards, towns and special zones: the units a notice counts and ranks (a
        district's or province's own budget is not one of them)."""
        return self.kind(code) in COMMUNE_KINDS if self.knows(code) else True

    def parent(self, code: str) -> str:
        """The code of the unit above ``code`` ("" for the top)."""
        return self._value(code, "parent_code") if self.knows(code) else ""

    def ancestors(self, code: str) -> list[str]:
        """The units above ``code``, nearest first."""
        out: list[str] = []
        parent = self.parent(code)
        while parent and parent not in out and self.knows(parent):
            out.append(parent)
            parent = self.parent(parent)
        return out

    def top_unit(self, codes) -> str | None:
        """The lowest unit that is, or stands above, every unit of ``codes``: the district of a
        district's communes (and of its own budget), the province of a province's communes."""
        chains = [[*reversed(self.ancestors(c)), c] for c in dict.fromkeys(codes) if self.knows(c)]
        if not chains:
            return None
        top = None
        for level in zip(*chains):
            if len(set(level)) != 1:
                break
            top = level[0]
        return top

    # -- across a reorganisation ------------------------------------------------------------------
    def placed_under(self, code: str, since) -> str | None:
        """Where the history of unit ``code`` (as in force at ``since``) is placed at this view's
        date: itself while in force, else its first successor, followed until a unit in force
        (spec §2.1). None when its line ends (no successor in force, or this view has no date)."""
        if self.on is None:
            return code if code in self._row_of_code else None
        day = as_date(since).isoformat()
        if code in self._row_of_code and self._in_force("valid_from")[code] <= day:
            return code  # the usual case: the same unit then and now
        rows = self.history[(self.history["code"] == code)]
        rows = rows[((rows["valid_from"] == "") | (rows["valid_from"] <= day))
                    & ((rows["valid_to"] == "") | (rows["valid_to"] >= day))]
        if rows.empty:
            return code if code in self._row_of_code else None
        row = rows.index[0]
        for _ in range(len(self.history)):  # a chain of successors never loops back, but bound it
            if row in self._current:
                return self.history.at[row, "code"]
            ended = self.history.at[row, "valid_to"]
            successors = _codes(self.history.at[row, "successor_code"])
            if not ended or not successors or ended >= self.on.isoformat():
                return None
            start = _day_after(ended)
            nxt = self.history[(self.history["code"] == successors[0])
                               & ((self.history["valid_from"] == "") | (self.history["valid_from"] <= start))
                               & ((self.history["valid_to"] == "") | (self.history["valid_to"] >= start))]
            if nxt.empty:
                return None
            row = nxt.index[0]
        return None

    def predecessors(self, code: str) -> pd.DataFrame:
        """The units that went into ``code`` (in force at this view's date) the day it began,
        whether it was their first successor or not."""
        if code not in self._row_of_code:
            return self.history.iloc[0:0]
        start = self.history.at[self._row_of_code[code], "valid_from"]
        if not start:
            return self.history.iloc[0:0]
        before = self.history[self.history["valid_to"] == _day_before(start)]
        return before[before["successor_code"].map(lambda s: code in _codes(s))]

    def took_in_outside_units(self, code: str) -> bool:
        """Whether ``code`` (a unit in force at this view's date) also took in units that this
        units table does not hold. GSO gives a new commune the code of one of the communes merged
        into it: a successor whose code is none of its listed predecessors' came, at least in
        part, from a unit outside the table (Xã Phong Quang, 01849, from Đôn Phong, 01984)."""
        before = self.predecessors(code)
        return bool(len(before)) and code not in set(before["code"])


def place_history(frame: pd.DataFrame, units: Units) -> pd.DataFrame:
    """Tidy rows of earlier periods with each unit placed where its history is at ``units.on``
    (spec §5 "comparisons across the reorganisation"): a unit no longer in force appears under its
    first successor (followed until a unit in force), with that unit's name; ``placed_from`` keeps
    the code it was reported under ("" where nothing moved). A unit whose line ends without a
    successor keeps its own code and name."""
    out = frame.copy()
    out["placed_from"] = ""
    if out.empty or units.on is None:
        return out
    pairs = out[["unit_code", "period"]].astype(str).drop_duplicates()
    # each period's date and each unit's start read once: a national period has thousands of units
    day_of = {period: as_date(period) for period in pairs["period"].unique()}
    start_of: dict[str, dt.date] = {}
    moved = {}
    for code, period in pairs.itertuples(index=False):
        day = day_of[period]
        target = units.placed_under(code, day)
        if target is not None and target not in start_of:
            start_of[target] = _start_of(units, target)
        # A reused code (01969: Thị trấn, then Xã Phủ Thông) is another unit before its start.
        if target is not None and (target != code or day < start_of[target]):
            moved[(code, period)] = target
    if not moved:
        return out
    keys = list(zip(out["unit_code"].astype(str), out["period"].astype(str)))
    targets = pd.Series([moved.get(k) for k in keys], index=out.index, dtype="object")
    hit = targets.notna()
    out.loc[hit, "placed_from"] = out.loc[hit, "unit_code"].astype(str)
    out.loc[hit, "unit_code"] = targets[hit]
    out.loc[hit, "unit_name"] = targets[hit].map(units.name)
    return out


def _start_of(units: Units, code: str) -> dt.date:
    start = units.start(code)
    return dt.date.fromisoformat(start) if start else dt.date.min


def load_units(path: str | Path | None = None) -> Units:
    """Units from ``path`` (normally ``data/raw/units.csv``, read by :func:`read_units_csv`); the
    packaged Bạch Thông list if None."""
    if path is None:
        return Units(resources.table("units-bach-thong.csv"), "the packaged units-bach-thong.csv")
    path = Path(path)
    frame, findings = read_units_csv(path)
    bad = ~frame["code"].map(is_unit_code)
    if bad.any():
        errors = [InputError.of("units.bad_code", path.name, "", int(i), "code", code=code)
                  for i, code in frame.loc[bad, "code"].items()]
        raise InputErrors(errors, path.name)
    errors = date_errors(frame, path.name) or overlap_errors(frame, path.name)
    if errors:
        raise InputErrors(errors, path.name)
    return Units(frame[COLUMNS], path.name, findings=findings)


def date_errors(frame: pd.DataFrame, file: str) -> list[InputError]:
    """Validity dates that are not ISO dates (YYYY-MM-DD), or that end before they begin."""
    errors = []
    for column in ("valid_from", "valid_to"):
        for i, text in frame[column].items():
            if text and not (_ISO_DATE.match(text) and _is_date(text)):
                errors.append(InputError.of("units.bad_date", file, "", int(i), column, text=text))
    if errors:
        return errors
    backwards = (frame["valid_from"] != "") & (frame["valid_to"] != "") & (frame["valid_to"] < frame["valid_from"])
    return [InputError.of("units.ends_before", file, "", int(i), "valid_to", code=frame.at[i, "code"],
                          valid_to=frame.at[i, "valid_to"], valid_from=frame.at[i, "valid_from"])
            for i in frame.index[backwards]]


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def overlap_errors(frame: pd.DataFrame, file: str) -> list[InputError]:
    """A code is unique among the units in force on any one date (spec §2.1): two spans of one
    code must not overlap. Reusing a code after the first unit ended is allowed."""
    spans = frame.assign(_row=frame.index.to_series(), _from=frame["valid_from"].replace("", "0000-00-00"),
                         _to=frame["valid_to"].replace("", "9999-99-99"))
    # Each code's spans in date order, codes in the order they first appear: one comparison of
    # every span with the one before it (a loop per code costs minutes at a few thousand units).
    spans["_first"] = spans.groupby("code", sort=False).ngroup()
    spans = spans.sort_values(["_first", "_from", "_row"], kind="stable")
    before = spans.shift()
    clash = (spans["code"] == before["code"]) & (spans["_from"] <= before["_to"])
    errors = []
    for (_, b), a_row in zip(spans[clash].iterrows(), before.loc[clash, "_row"]):
        errors.append(InputError.of("units.code_twice", file, "", int(b["_row"]), "code", code=b["code"],
                                    when=b["valid_from"] or Phrase("phrase.every_date"), other_row=int(a_row)))
    return errors


def read_units_csv(path: Path) -> tuple[pd.DataFrame, list[dict]]:
    """``units.csv`` as people edit it (spec §2.1): read like a tidy CSV (UTF-8 with or without
    BOM, UTF-16, Windows-1258; "," or ";"), empty rows dropped, values trimmed, and all-digit codes
    that Excel shortened zero-padded to their kind's width, each with a ``code_padded`` finding.
    Returns the rows (1-based file row numbers in the index) and the findings."""
    if not path.is_file():
        raise InputError.of("units.not_found", path.name, path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.of("units.unreadable", path.name, reason=exc.strerror) from None
    text = csv_text.decode(data, path.name)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=csv_text.delimiter(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError.of("units.not_csv", path.name, reason=exc) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    # Windows-1258 writes "ã" as "a" and a combining tilde: every value NFC, as the rest of the package.
    frame = frame.loc[:, ~frame.columns.duplicated()].apply(lambda column: column.str.normalize("NFC").str.strip())
    frame.index = frame.index + 2  # the row number in the file (header is row 1)
    frame = frame[(frame != "").any(axis=1)]  # empty rows, trailing ";;;;" rows of Excel included
    missing = [c for c in ("code", "name") if c not in frame.columns]
    if missing:
        raise InputError.of("units.missing_columns", path.name, "", 1, missing=missing,
                            found=", ".join(frame.columns) or Phrase("phrase.none"))
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
                                    "saves a CSV; save units.csv with the code column as text to keep them)",
                         "details": {"code": code, "padded": padded}})
    frame = frame.copy()
    frame.loc[short, "code"] = [c.zfill(int(w)) for c, w in zip(frame.loc[short, "code"], width[short])]
    return frame, findings
