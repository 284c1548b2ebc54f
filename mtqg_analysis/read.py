"""Stage 1, read: raw report files as they are, with provenance (spec §2, §3).

Nothing here interprets labels or amounts; it finds report sheets, their header, which column is
which, and the money unit, and hands the cells on untouched (as :class:`RawTable`) to
:mod:`mtqg_analysis.clean`. Problems that make a file or sheet unreadable are collected as
:class:`~mtqg_analysis.errors.InputError` naming file, sheet, row and column.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import resources
from .errors import InputError
from .periods import Period, is_period, parse_period
from .text import contains_word, fold, normalize

log = logging.getLogger(__name__)

REPORT_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
HEADER_SEARCH_ROWS = 40  # the header row is found among the first rows of a sheet
MAX_HEADER_ROWS = 3
DEFAULT_DONG_PER_UNIT = 1_000_000  # spec §3.1: without a unit line, amounts are in triệu đồng


@dataclass
class Column:
    """One recognised column: its role key, Excel letter (or CSV header) and header text."""

    key: str
    letter: str
    header: str

    def describe(self) -> str:
        return f"{self.letter} ({self.header})" if self.header else self.letter


@dataclass
class RawTable:
    """The cells of one report sheet (or one CSV file), untouched, plus what the header says.

    ``rows`` has a ``source_row`` column (1-based) and one object column per recognised role:
    ``stt``, ``label``, ``measure_unit``, ``note``, ``rate``, ``plan_qty``, ``done_qty`` and the
    amount columns ``plan|<capital>|<budget>`` and ``done|<capital>|<budget>`` (empty capital and
    budget for the "Tổng số" column). CSV tables have ``unit``, ``line``, ``capital_type``,
    ``budget_source``, ``plan|amount`` and ``done|amount`` instead.
    """

    kind: str  # "workbook" or "csv"
    file: str  # path relative to data/raw/
    sheet: str
    rows: pd.DataFrame
    columns: dict[str, Column]
    dong_per_unit: int | dict[str, int] = DEFAULT_DONG_PER_UNIT
    unit_hints: list[str] = field(default_factory=list)  # sheet name, then title cells
    rate_is_fraction: pd.Series | None = None  # rate cells with a percent number format
    conversions: list[dict] = field(default_factory=list)  # legacy-encoded cells turned into Unicode


# --- vocabularies --------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def header_words() -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for row in resources.table("header_words.csv").itertuples():
        words.setdefault(row.role, []).append(fold(row.word))
    return words


@lru_cache(maxsize=None)
def money_units() -> list[tuple[str, int]]:
    table = resources.table("money_units.csv")
    pairs = [(fold(w), int(m)) for w, m in zip(table["word"], table["dong_per_unit"])]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def _has(role: str, folded_text: str) -> bool:
    return any(contains_word(folded_text, w) for w in header_words()[role])


_MONEY_LINE = re.compile(r"^\(?\s*(?:đơn vị tính|đơn vị|đvt)\s*:\s*(?P<unit>.+?)\s*\)?\s*\.?$")


def money_unit_of(text: str) -> int | None:
    """Đồng per unit for a unit phrase ("triệu đồng" -> 1_000_000); None if not a money unit."""
    phrase = fold(text).strip(" .()")
    for word, multiplier in money_units():
        if phrase == word:
            return multiplier
    return None


# --- files -----------------------------------------------------------------------------------------
def period_folder(raw_root: Path, period: Period) -> Path:
    """The folder of ``period`` under ``raw_root``: named canonically or by an alias (spec §1)."""
    if not raw_root.is_dir():
        raise InputError(f"the raw data folder does not exist (looked for {raw_root})")
    matches = [p for p in sorted(raw_root.iterdir()) if p.is_dir() and is_period(p.name) and parse_period(p.name) == period]
    if not matches:
        found = sorted(p.name for p in raw_root.iterdir() if p.is_dir() and is_period(p.name))
        hint = f"; periods found: {', '.join(found)}" if found else ""
        raise InputError(f"no raw folder for period {period} under {raw_root}{hint}")
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise InputError(f"several raw folders name period {period} ({names}); keep one")
    return matches[0]


def report_files(folder: Path) -> list[Path]:
    """Every .xlsx/.xlsm/.csv under ``folder``; lock files, hidden files and others are logged."""
    files = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            log.info("ignored hidden file %s", relative)
        elif path.name.startswith("~$"):
            log.info("ignored Excel lock file %s", relative)
        elif path.suffix.lower() not in REPORT_SUFFIXES:
            log.info("ignored %s (not .xlsx, .xlsm or .csv)", relative)
        else:
            files.append(path)
    return files


def read_file(path: Path, raw_root: Path) -> tuple[list[RawTable], list[InputError]]:
    """All report tables of one file, and the errors that stopped any of them from being read."""
    from . import limits

    display = path.relative_to(raw_root).as_posix()
    try:
        limits.check_raw_file(path, raw_root)
        if path.suffix.lower() == ".csv":
            return [read_csv(path, display)], []
        return read_workbook(path, display)
    except InputError as error:
        return [], [error]


# --- workbooks ---------------------------------------------------------------------------------------
def _open_workbook(path: Path, display: str):
    import openpyxl  # imported here: CSV-only runs do not pay for it

    from . import limits

    limits.check_xlsx(path, display)
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except zipfile.BadZipFile:
        raise InputError("the file is not a valid .xlsx workbook (damaged or not an Excel file); "
                         "open it in Excel and save it again as .xlsx", display) from None
    except (KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise InputError(f"the workbook cannot be read ({type(exc).__name__}: {exc}); "
                         "open it in Excel and save it again as .xlsx", display) from None


def read_workbook(path: Path, display: str) -> tuple[list[RawTable], list[InputError]]:
    from . import formulas

    workbook = _open_workbook(path, display)
    legacy_fonts = _uses_legacy_fonts(workbook)
    # Formulas without a stored value (files written by a script, never opened in Excel) are
    # computed from a second, formula-reading load; most files never need it.
    formula_book = _formula_workbook(path, display) if formulas.needs_formulas(path) else None
    tables, errors = [], []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible" and not _looks_like_report(sheet):
            log.info("%s: skipped hidden sheet '%s'", display, sheet.title)
            continue
        try:
            table = read_sheet(sheet, display, legacy_fonts=legacy_fonts)
        except InputError as error:
            errors.append(error)
            continue
        if table is None:
            log.info("%s: sheet '%s' has no header row (STT, Nội dung): not a report sheet, skipped",
                     display, sheet.title)
            continue
        if formula_book is not None:
            problems = formulas.fill_table(table, formula_book[sheet.title])
            if problems:
                errors.extend(problems)
                continue
        tables.append(table)
    return tables, errors


def _uses_legacy_fonts(workbook) -> bool:
    """Whether any cell style of the workbook uses a TCVN3 (".Vn…") or VNI ("VNI-…") font."""
    from . import legacy

    fonts = getattr(workbook, "_fonts", [])
    return any(legacy.font_encoding(getattr(font, "name", None)) for font in fonts)


def _looks_like_report(sheet) -> bool:
    return _find_header(_grid(sheet, HEADER_SEARCH_ROWS)) is not None


def _grid(sheet, max_rows: int | None = None) -> list[tuple]:
    rows = []
    for values in sheet.iter_rows(max_row=max_rows, values_only=True):
        rows.append(values)
    return rows


def _find_header(grid: list[tuple]) -> int | None:
    """0-based index of the row holding "STT" and a label heading, or None."""
    for index, values in enumerate(grid[:HEADER_SEARCH_ROWS]):
        texts = [fold(v) for v in values if isinstance(v, str)]
        if any(t in header_words()["stt"] for t in texts) and any(_has("label", t) for t in texts):
            return index
    return None


_NUMBER_ROW_CELL = re.compile(r"^\(?[\d\s()+\-*/=x.,%a-z]{1,20}\)?$")


def _is_column_number_row(values: tuple) -> bool:
    """A row that only numbers the columns: "(1) (2) 3=4+5" or "1 2 3 ..." (spec §3.1)."""
    cells = [v for v in values if v is not None and str(v).strip() != ""]
    if len(cells) < 3:
        return False
    texts = [fold(v) for v in cells]
    if not all(_NUMBER_ROW_CELL.match(t) and re.search(r"\d", t) for t in texts):
        return False
    leading = [int(m.group()) for t in texts if (m := re.search(r"\d+", t))]
    return leading[:2] == [1, 2] or all(t.startswith("(") for t in texts)


def read_sheet(sheet, display: str, *, legacy_fonts: bool = False) -> RawTable | None:
    """One report sheet, or None when the sheet has no header row (instructions, empty)."""
    from openpyxl.utils import get_column_letter

    grid, conversions = _converted_grid(sheet, legacy_fonts)
    top = _find_header(grid)
    if top is None:
        return None
    merged = [m for m in sheet.merged_cells.ranges]
    depth = _header_depth(grid, top, merged)
    width = max((len(r) for r in grid[top: top + depth]), default=0)

    # Text of every header cell, reading merged cells from their top-left cell.
    def header_text(r: int, c: int) -> str:
        for m in merged:
            if m.min_row <= r + 1 <= m.max_row and m.min_col <= c + 1 <= m.max_col:
                value = grid[m.min_row - 1][m.min_col - 1] if m.min_col - 1 < len(grid[m.min_row - 1]) else None
                return normalize(value)
        row = grid[r]
        return normalize(row[c]) if c < len(row) else ""

    texts = [[header_text(r, c) for c in range(width)] for r in range(top, top + depth)]
    # A group heading typed over its first column only, without merging ("Kế hoạch" above
    # "Khối lượng | Tổng số"), covers the next columns that have a sub-heading and none of their own.
    for level in range(depth - 1):
        above, below = texts[level], texts[level + 1]
        for c in range(1, width):
            if not above[c] and below[c] and above[c - 1] and below[c - 1]:
                above[c] = above[c - 1]

    paths: dict[int, list[str]] = {}
    for c in range(width):
        path: list[str] = []
        for level in range(depth):
            text = texts[level][c]
            if text and (not path or path[-1] != text):
                path.append(text)
        if path:
            paths[c] = path

    columns = _column_roles(paths, get_column_letter)
    missing = [name for key, name in (("stt", "STT"), ("label", "Nội dung"))
               if key not in columns]
    if not any(k.startswith("plan|") for k in columns):
        missing.append("a plan amount (Kế hoạch vốn / Tổng số)")
    if not any(k.startswith("done|") for k in columns):
        missing.append("a disbursed amount (Giải ngân / Tổng số)")
    if missing:
        raise InputError(f"the sheet has a header row but lacks the required column(s): {', '.join(missing)}",
                         display, sheet.title, top + 1)

    body_start = top + depth
    if body_start < len(grid) and _is_column_number_row(grid[body_start]):
        body_start += 1

    dong_per_unit = _money_unit(grid, top, display, sheet.title)
    index = {key: int(_column_index(col.letter)) for key, col in columns.items()}
    body: dict[str, list] = {key: [] for key in columns}
    source_rows = []
    for r in range(body_start, len(grid)):
        values = grid[r]
        record = [(values[i] if i < len(values) else None) for i in index.values()]
        if all(v is None or (isinstance(v, str) and v.strip() == "") for v in record):
            continue
        for key, value in zip(index, record):
            body[key].append(value)
        source_rows.append(r + 1)
    frame = _raw_frame(source_rows, body)

    rate_is_fraction = None
    if "rate" in columns:
        col = index["rate"] + 1
        rate_is_fraction = pd.Series(
            [isinstance(v, (int, float)) and "%" in (sheet.cell(row=int(r), column=col).number_format or "")
             for r, v in zip(frame["source_row"], frame["rate"])], index=frame.index, dtype=bool)

    table = RawTable(
        kind="workbook", file=display, sheet=sheet.title, rows=frame, columns=columns,
        dong_per_unit=dong_per_unit, unit_hints=[sheet.title, *_title_texts(grid, top)],
        rate_is_fraction=rate_is_fraction, conversions=conversions,
    )
    return table


def _raw_frame(source_rows: list[int], body: dict[str, list]) -> pd.DataFrame:
    """Cells exactly as read: object columns (no type inference), plus the 1-based row number."""
    block = np.empty((len(source_rows), len(body)), dtype=object)
    for j, values in enumerate(body.values()):
        block[:, j] = values
    frame = pd.DataFrame(block, columns=list(body), dtype=object)  # one block: no per-column inference
    frame.insert(0, "source_row", np.asarray(source_rows, dtype="int64"))
    return frame


def _column_index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter) - 1


def _header_depth(grid: list[tuple], top: int, merged) -> int:
    """Rows the header spans: the tallest merge starting on the header row, else the rows below
    that carry sub-headings and no row content (at most three rows in all)."""
    depth = 1
    for m in merged:
        if m.min_row == top + 1:
            depth = max(depth, m.max_row - m.min_row + 1)
    while depth < MAX_HEADER_ROWS and top + depth < len(grid):
        row = grid[top + depth]
        texts = [fold(v) for v in row if isinstance(v, str) and v.strip()]
        numbers = [v for v in row if isinstance(v, (int, float))]
        if not texts or numbers or _is_column_number_row(row):
            break
        if not all(any(_has(role, t) for role in ("qty", "amount", "dtpt", "sn", "nstw", "nsdp")) for t in texts):
            break
        depth += 1
    return min(depth, MAX_HEADER_ROWS)


def _split_of(texts: list[str]) -> tuple[str, str]:
    capital = "dtpt" if any(_has("dtpt", t) for t in texts) else "sn" if any(_has("sn", t) for t in texts) else ""
    budget = "nstw" if any(_has("nstw", t) for t in texts) else "nsdp" if any(_has("nsdp", t) for t in texts) else ""
    return capital, budget


def _column_roles(paths: dict[int, list[str]], letter_of) -> dict[str, Column]:
    """Which column is which, from the words of its header path (spec §3.1 "Header")."""
    columns: dict[str, Column] = {}

    def put(key: str, c: int, path: list[str]) -> None:
        if key not in columns:  # the first column with a role wins; repeats are ignored
            columns[key] = Column(key, letter_of(c + 1), " / ".join(path))

    for c, path in sorted(paths.items()):
        folded = [fold(t) for t in path]
        top, subs = folded[0], folded[1:]
        if any(t in header_words()["stt"] for t in folded):
            put("stt", c, path)
        elif any(_has("rate", t) for t in folded):
            put("rate", c, path)
        elif any(_has("note", t) for t in folded):
            put("note", c, path)
        elif _has("plan_group", top) or _has("done_group", top):
            side = "plan" if _has("plan_group", top) else "done"
            # In a one-row header the group and the quantity share a cell ("KL kế hoạch").
            if any(_has("qty", t) for t in (subs or [top])):
                put(f"{side}_qty", c, path)
            else:
                capital, budget = _split_of(subs)
                put(f"{side}|{capital}|{budget}", c, path)
        elif _has("measure_unit", top):
            put("measure_unit", c, path)
        elif _has("label", top):
            put("label", c, path)
    return columns


def _title_texts(grid: list[tuple], top: int) -> list[str]:
    return [normalize(v) for row in grid[:top] for v in row if isinstance(v, str) and normalize(v)]


def _money_unit(grid: list[tuple], top: int, display: str, sheet: str) -> int:
    """The money unit stated above the header ("Đơn vị tính: triệu đồng"), default triệu đồng."""
    for r, row in enumerate(grid[:top]):
        for c, value in enumerate(row):
            if not isinstance(value, str):
                continue
            match = _MONEY_LINE.match(fold(value))
            if not match:
                continue
            multiplier = money_unit_of(match["unit"])
            if multiplier is None:
                from openpyxl.utils import get_column_letter

                raise InputError(f"unknown money unit '{normalize(value)}' (use đồng, nghìn đồng, triệu đồng or tỷ đồng)",
                                 display, sheet, r + 1, get_column_letter(c + 1))
            return multiplier
    return DEFAULT_DONG_PER_UNIT


# Text that may be UTF-8 read as Windows-1252: a UTF-8 lead byte of a Vietnamese letter (Ã Ä Å Æ
# Ì Í á) followed by a continuation byte as Windows-1252 shows it.
_MOJIBAKE_HINT = re.compile("[ÃÄÅÆÌÍá][\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")


def _converted_grid(sheet, legacy_fonts: bool) -> tuple[list[tuple], list[dict]]:
    """The sheet's values row by row, legacy text turned into Unicode (domain notes §5.3).

    Cells in a TCVN3 or VNI font are converted by their font (so a header typed in ".VnTime" is
    found like any other); UTF-8 mojibake is repaired in any font. Each conversion is recorded
    for quality.csv.
    """
    from openpyxl.utils import get_column_letter

    from . import legacy

    if legacy_fonts:
        return legacy.sheet_values(sheet)
    conversions: list[dict] = []
    grid = _grid(sheet)
    for r, row in enumerate(grid):
        if not any(isinstance(v, str) and ("_x" in v or _MOJIBAKE_HINT.search(v)) for v in row):
            continue
        values = list(row)
        for c, value in enumerate(values):
            if isinstance(value, str) and "_x" in value:
                value = values[c] = legacy.unescape_ooxml(value)  # Excel's _x0007_ escapes
            if isinstance(value, str) and _MOJIBAKE_HINT.search(value):
                new, repaired = legacy.repair_mojibake(value)
                if repaired:
                    conversions.append({"row": r + 1, "column": get_column_letter(c + 1),
                                        "kind": "mojibake", "before": value, "after": new})
                    values[c] = new
        grid[r] = tuple(values)
    return grid, conversions


def _formula_workbook(path: Path, display: str):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, data_only=False)
    except (KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile) as exc:  # loaded once already
        raise InputError(f"the workbook's formulas cannot be read ({type(exc).__name__})", display) from None


# --- tidy CSV (spec §3.2) --------------------------------------------------------------------------
def _decode(data: bytes, display: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("the CSV file starts like UTF-16 but cannot be decoded as UTF-16", display) from None
    if b"\x00" in data[:4096]:
        raise InputError("the CSV file is not text in UTF-8, UTF-16 or Windows-1258 "
                         "(save it from Excel as 'CSV UTF-8')", display)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise InputError("the CSV file is not text in UTF-8, UTF-16 or Windows-1258 "
                         "(save it from Excel as 'CSV UTF-8')", display) from None


@lru_cache(maxsize=None)
def csv_header_words() -> dict[str, str]:
    return {fold(w): c for w, c in zip(*resources.table("csv_headers.csv")[["word", "column"]].T.values)}


_UNIT_SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]*)\)\s*$")


def read_csv(path: Path, display: str) -> RawTable:
    """A tidy CSV (spec §3.2): encoding and delimiter detected, headers in Vietnamese or English."""
    text = normalize_newlines(_decode(path.read_bytes(), display))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the CSV file is empty", display) from None
    columns: dict[str, Column] = {}
    dong_per_unit: dict[str, int] = {}
    positions: dict[str, int] = {}
    for i, raw_name in enumerate(header):
        name = normalize(raw_name)
        unit = None
        match = _UNIT_SUFFIX.match(name)
        if match and money_unit_of(match["unit"]) is not None:
            name, unit = match["name"], money_unit_of(match["unit"])
        role = csv_header_words().get(fold(name))
        if role is None or role in positions:
            continue
        key = {"plan_amount": "plan||", "disbursed_amount": "done||"}.get(role, role)
        positions[key] = i
        columns[key] = Column(key, normalize(raw_name), "")
        if key in ("plan||", "done||"):
            dong_per_unit[key] = unit or DEFAULT_DONG_PER_UNIT
    missing = [label for key, label in (("unit", "Đơn vị / unit"), ("line", "Mã nội dung / line"),
                                        ("plan||", "Kế hoạch vốn / plan_amount"),
                                        ("done||", "Giải ngân / disbursed_amount")) if key not in columns]
    if missing:
        raise InputError(f"the CSV header lacks the required column(s): {', '.join(missing)}", display, "", 1)
    body: dict[str, list] = {key: [] for key in columns}
    source_rows = []
    for line_number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        for key, i in positions.items():
            body[key].append(values[i] if i < len(values) else None)
        source_rows.append(line_number)
    frame = _raw_frame(source_rows, body)
    return RawTable(kind="csv", file=display, sheet="", rows=frame, columns=columns, dong_per_unit=dong_per_unit)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- a period ----------------------------------------------------------------------------------------
def read_period(raw_root: Path, period: Period) -> tuple[list[RawTable], list[InputError], list[Path]]:
    """Every report table of a period, the errors met, and the files read."""
    folder = period_folder(raw_root, period)
    files = report_files(folder)
    if not files:
        raise InputError(f"the period folder has no .xlsx, .xlsm or .csv report", folder.relative_to(raw_root).as_posix())
    tables, errors = [], []
    for path in files:
        found, problems = read_file(path, raw_root)
        tables.extend(found)
        errors.extend(problems)
    return tables, errors, files
