"""The header of a report sheet (spec §3.1 "Header", "Amount unit"): where it is, which column
is which, and the money unit stated above it.

Works on a *grid* (the sheet's values, row by row, text already in Unicode) and its merged ranges
as ``(min_row, max_row, min_col, max_col)`` tuples, 1-based: the same for every workbook kind.
The words are data: ``data/header_words.csv`` (roles of header cells) and ``data/money_units.csv``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl.utils import get_column_letter

from ..domain import resources
from ..domain.text import contains_word, fold, normalize
from ..errors import InputError, Phrase
from .raw import DEFAULT_DONG_PER_UNIT, Column
from .sheet import Merged

HEADER_SEARCH_ROWS = 100  # the header row is found among the first rows (after a long preamble)
MAX_HEADER_ROWS = 3


@dataclass
class Header:
    top: int  # 0-based index of the first header row
    depth: int  # header rows
    columns: dict[str, Column]
    body_start: int  # 0-based index of the first row below the header (and its column-number row)
    column_units: dict[str, int] = field(default_factory=dict)  # amount key -> đồng per unit in its header


# --- vocabularies --------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def header_words() -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for row in resources.table("header_words.csv").itertuples():
        words.setdefault(row.role, []).append(fold(row.word))
    return words


@lru_cache(maxsize=None)
def searched_words() -> Phrase:
    """The header words looked for, as an error message quotes them."""
    table = resources.table("header_words.csv")
    def quoted(role):
        return ", ".join(f"'{w}'" for w in table.loc[table["role"] == role, "word"])
    return Phrase.of("header.searched", stt=quoted("stt"), label=quoted("label"))


@lru_cache(maxsize=None)
def money_units() -> list[tuple[str, int]]:
    table = resources.table("money_units.csv")
    pairs = [(fold(w), int(m)) for w, m in zip(table["word"], table["dong_per_unit"])]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def _has(role: str, folded_text: str) -> bool:
    return any(contains_word(folded_text, w) for w in header_words()[role])


_MONEY_LINE = re.compile(r"^\(?\s*(?:đơn vị tính|đơn vị|đvt)\s*:\s*(?P<unit>.+?)\s*\)?\s*\.?$")


_IN_PARENTHESES = re.compile(r"\(([^()]*)\)")


def unit_in_header(texts: list[str]) -> int | None:
    """Đồng per unit named in a column's header texts: "Tổng số (đồng)", "Giải ngân (triệu đồng)"."""
    for text in texts:
        for inner in _IN_PARENTHESES.findall(text):
            multiplier = money_unit_of(inner)
            if multiplier is not None:
                return multiplier
    return None


_MONEY_LABEL = re.compile(r"(?<!\w)(?:đơn vị tính|đơn vị|đvt)\s*:\s*")


def _unit_in_sentence(folded: str) -> int | None:
    """A unit line inside a longer sentence ("Kỳ báo cáo: 9 tháng; đơn vị tính: đồng.")."""
    for match in _MONEY_LABEL.finditer(folded):
        rest = folded[match.end():]
        for word, multiplier in money_units():
            if rest.startswith(word) and (len(rest) == len(word) or not rest[len(word)].isalnum()):
                return multiplier
    return None


def money_unit_of(text: str) -> int | None:
    """Đồng per unit for a unit phrase ("triệu đồng" -> 1_000_000); None if not a money unit."""
    phrase = fold(text).strip(" .()")
    for word, multiplier in money_units():
        if phrase == word:
            return multiplier
    return None


# --- finding the header --------------------------------------------------------------------------
def find_header(grid: list[tuple]) -> int | None:
    """0-based index of the row holding "STT" and a label heading, or None."""
    for index, values in enumerate(grid[:HEADER_SEARCH_ROWS]):
        texts = [fold(v) for v in values if isinstance(v, str)]
        if any(t in header_words()["stt"] for t in texts) and any(_has("label", t) for t in texts):
            return index
    return None


_NUMBER_ROW_CELL = re.compile(r"^\(?[\d\s()+\-*/=x.,%a-z]{1,20}\)?$")


def is_column_number_row(values: tuple) -> bool:
    """A row that only numbers the columns: "(1) (2) 3=4+5" or "1 2 3 ..." (spec §3.1)."""
    cells = [v for v in values if v is not None and str(v).strip() != ""]
    if len(cells) < 3:
        return False
    texts = [fold(v) for v in cells]
    if not all(_NUMBER_ROW_CELL.match(t) and re.search(r"\d", t) for t in texts):
        return False
    leading = [int(m.group()) for t in texts if (m := re.search(r"\d+", t))]
    return leading[:2] == [1, 2] or all(t.startswith("(") for t in texts)


def _header_depth(grid: list[tuple], top: int, merged: list[Merged]) -> int:
    """Rows the header spans: the tallest merge starting on the header row, else the rows below
    that carry sub-headings and no row content (at most three rows in all)."""
    depth = 1
    for min_row, max_row, _, _ in merged:
        if min_row == top + 1:
            depth = max(depth, max_row - min_row + 1)
    while depth < MAX_HEADER_ROWS and top + depth < len(grid):
        row = grid[top + depth]
        texts = [fold(v) for v in row if isinstance(v, str) and v.strip()]
        numbers = [v for v in row if isinstance(v, (int, float))]
        if not texts or numbers or is_column_number_row(row):
            break
        if not all(any(_has(role, t) for role in ("qty", "amount", "dtpt", "sn", "nstw", "nsdp", "carried", "own_year"))
                   or _YEAR.search(t) for t in texts):
            break
        depth += 1
    return min(depth, MAX_HEADER_ROWS)


def _header_paths(grid: list[tuple], top: int, depth: int, merged: list[Merged]) -> dict[int, list[str]]:
    """Each column's header texts from the top header row down (merged cells read from their
    top-left cell; repeated texts once)."""
    width = max((len(r) for r in grid[top: top + depth]), default=0)

    def header_text(r: int, c: int) -> str:
        for min_row, max_row, min_col, max_col in merged:
            if min_row <= r + 1 <= max_row and min_col <= c + 1 <= max_col:
                first = grid[min_row - 1]
                return normalize(first[min_col - 1]) if min_col - 1 < len(first) else ""
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
    return paths


# Carried-over capital (spec §3.1): a sub-group naming a budget year ("Vốn năm 2024 kéo dài",
# "Vốn năm 2025"), or saying "kéo dài" / "chuyển nguồn" / "năm trước chuyển sang" without one, or
# "năm nay". Which year is the period's own is decided where the period is known (transform).
_YEAR = re.compile(r"(?<!\w)năm\s*(\d{4})(?!\d)")
CARRIED, OWN_YEAR = "carried", "own"  #: year markers of an amount key without a written year


def _year_of(texts: list[str]) -> str:
    """The budget year a column's sub-headings name: "2024", ``CARRIED`` (carried over, no year
    written), ``OWN_YEAR`` ("năm nay"), or "" when they name none."""
    for text in texts:
        match = _YEAR.search(text)
        if match:
            return match[1]
    if any(_has("carried", t) for t in texts):
        return CARRIED
    if any(_has("own_year", t) for t in texts):
        return OWN_YEAR
    return ""


def amount_key(side: str, capital: str = "", budget: str = "", year: str = "") -> str:
    """The key of an amount column: ``plan|dtpt|nstw``, with ``|<year marker>`` where a budget
    year is named (``done|||2024``)."""
    return f"{side}|{capital}|{budget}" + (f"|{year}" if year else "")


def amount_parts(key: str) -> tuple[str, str, str, str]:
    """``(side, capital, budget, year marker)`` of an amount key (see :func:`amount_key`)."""
    parts = key.split("|") + [""]
    return parts[0], parts[1], parts[2], parts[3]


def _split_of(texts: list[str]) -> tuple[str, str, str]:
    capital = "dtpt" if any(_has("dtpt", t) for t in texts) else "sn" if any(_has("sn", t) for t in texts) else ""
    budget = "nstw" if any(_has("nstw", t) for t in texts) else "nsdp" if any(_has("nsdp", t) for t in texts) else ""
    return capital, budget, _year_of(texts)


def column_roles(paths: dict[int, list[str]]) -> dict[str, Column]:
    """Which column is which, from the words of its header path (spec §3.1 "Header")."""
    columns: dict[str, Column] = {}

    def put(key: str, c: int, path: list[str]) -> None:
        if key not in columns:  # the first column with a role wins; repeats are ignored
            columns[key] = Column(key, get_column_letter(c + 1), " / ".join(path))

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
                put(amount_key(side, *_split_of(subs)), c, path)
        elif _has("measure_unit", top):
            put("measure_unit", c, path)
        elif _has("label", top):
            put("label", c, path)
    return columns


def read_header(grid: list[tuple], merged: list[Merged], display: str, sheet: str) -> Header | None:
    """The header of a sheet, or None when it has none (not a report sheet). A header without the
    required columns is an :class:`InputError`."""
    top = find_header(grid)
    if top is None:
        return None
    depth = _header_depth(grid, top, merged)
    paths = _header_paths(grid, top, depth, merged)
    columns = column_roles(paths)
    by_letter = {get_column_letter(c + 1): path for c, path in paths.items()}
    column_units = {key: unit for key, col in columns.items()
                    if "|" in key and (unit := unit_in_header(by_letter.get(col.letter, []))) is not None}
    missing: list = [name for key, name in (("stt", "STT"), ("label", "Nội dung")) if key not in columns]
    if not any(k.startswith("plan|") for k in columns):
        missing.append(Phrase("header.plan_column"))
    if not any(k.startswith("done|") for k in columns):
        missing.append(Phrase("header.disbursed_column"))
    if missing:
        raise InputError.of("header.missing_columns", display, sheet, top + 1, missing=missing)
    body_start = top + depth
    if body_start < len(grid) and is_column_number_row(grid[body_start]):
        body_start += 1
    return Header(top, depth, columns, body_start, column_units)


def title_texts(grid: list[tuple], top: int) -> list[str]:
    """The texts above the header (title cells that may name the unit)."""
    return [normalize(v) for row in grid[:top] for v in row if isinstance(v, str) and normalize(v)]


def money_units_of_columns(grid: list[tuple], header: Header, display: str, sheet: str) -> int | dict[str, int]:
    """Đồng per unit of the amount columns: a unit in a column's own header ("Tổng số (đồng)"),
    else the sheet's unit line, else triệu đồng. A column header that contradicts the sheet's line
    is an error naming both (spec §3.1 "Amount unit")."""
    line, where = money_unit_line(grid, header.top, display, sheet)
    if not header.column_units:
        return line if line is not None else DEFAULT_DONG_PER_UNIT
    names = {multiplier: word for word, multiplier in reversed(money_units())}
    for key, unit in header.column_units.items():
        if line is not None and unit != line:
            column = header.columns[key]
            raise InputError.of("header.unit_conflict", display, sheet, header.top + 1, column.letter,
                                letter=column.letter, header=column.header, unit=names.get(unit, unit), where=where,
                                line_unit=names.get(line, line))
    default = line if line is not None else DEFAULT_DONG_PER_UNIT
    return {key: header.column_units.get(key, default) for key in header.columns if "|" in key}


def money_unit(grid: list[tuple], top: int, display: str, sheet: str) -> int:
    """The money unit stated above the header ("Đơn vị tính: triệu đồng"), default triệu đồng."""
    line, _ = money_unit_line(grid, top, display, sheet)
    return line if line is not None else DEFAULT_DONG_PER_UNIT


def money_unit_line(grid: list[tuple], top: int, display: str, sheet: str) -> tuple[int | None, Phrase | str]:
    """The money unit of a unit line above the header and the cell holding it, or (None, "")."""
    for r, row in enumerate(grid[:top]):
        for c, value in enumerate(row):
            if not isinstance(value, str):
                continue
            folded = fold(value)
            match = _MONEY_LINE.match(folded)
            multiplier = money_unit_of(match["unit"]) if match else _unit_in_sentence(folded)
            if match is None and multiplier is None:
                continue
            if multiplier is None:
                raise InputError.of("header.unknown_money_unit", display, sheet, r + 1, get_column_letter(c + 1),
                                    text=normalize(value))
            return multiplier, Phrase.of("phrase.unit_cell", cell=f"{get_column_letter(c + 1)}{r + 1}",
                                         text=normalize(value))
    return None, ""
