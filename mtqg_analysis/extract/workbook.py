"""Commune workbooks (spec §3.1): every report sheet of a ``.xlsx``, ``.xlsm``, ``.xls`` or ``.ods``
file as a :class:`~.raw.RawTable`.

The file's kind is told by its content, not its name (:func:`.guards.workbook_kind`); each kind
has its reader (:mod:`.xlsx`, :mod:`.xls`, :mod:`.ods`) handing on sheets as
:class:`~.sheet.SheetGrid`, and the same rules read them all:

- a sheet without a header row (instructions, an empty sheet) is not a report sheet and is
  skipped, unless it looks like a report (names catalog lines and holds numbers): then it is an
  error saying which header words were looked for;
- a hidden sheet is read like any other (and said to be hidden where that explains an error);
- the table ends at the closing block of the document (signature, "Nơi nhận", a date line).
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter

from ..domain import resources
from ..domain.text import fold
from ..errors import InputError, Phrase
from . import guards
from .header import HEADER_SEARCH_ROWS, money_units_of_columns, read_header, searched_words, title_texts
from .raw import RawTable, raw_frame
from .sheet import SheetGrid

log = logging.getLogger(__name__)


def read_workbook(path: Path, display: str) -> tuple[list[RawTable], list[InputError]]:
    """The report tables of one workbook, and the errors that stopped any sheet from being read.
    A workbook that cannot be opened at all raises :class:`~mtqg_analysis.errors.NotReadable`."""
    kind = guards.workbook_kind(path, display)
    if kind == "xls":
        from .xls import sheets
    elif kind == "ods":
        from .ods import sheets
    else:
        from .xlsx import sheets
    tables, errors = [], []
    for sheet in sheets(path, display):
        try:
            table = read_sheet(sheet, display)
        except InputError as error:
            errors.append(error)
            continue
        if table is None:
            continue
        if sheet.fill is not None:
            problems = sheet.fill(table)
            if problems:
                errors.extend(problems)
                continue
        tables.append(table)
    return tables, errors


# --- the closing block, and sheets that look like reports -----------------------------------------
@lru_cache(maxsize=None)
def _closing_words() -> tuple[str, ...]:
    table = resources.table("row_words.csv")
    return tuple(fold(w) for w in table.loc[table["kind"] == "closing", "word"])


_DATE_LINE = re.compile(r"(?<!\w)ngày\s*[\d.…_ ]*\s*tháng\s*[\d.…_ ]*\s*năm\s*[\d.…_ ]*")


def _opens_closing_block(values: tuple) -> bool:
    """A row that opens an administrative document's closing block: "Nơi nhận:", "TM. ỦY BAN
    NHÂN DÂN", "CHỦ TỊCH", "Người lập biểu", a date line "…, ngày 05 tháng 10 năm 2024"; and no
    number in it (a data row never looks like this)."""
    texts = []
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return False
        if isinstance(v, str) and v.strip():
            text = fold(v).lstrip("-+*• ")
            if _NUMBER_TEXT.match(text) and any(ch.isdigit() for ch in text):
                return False
            texts.append(text)
    return any(t.startswith(_closing_words()) or _DATE_LINE.search(t) for t in texts)


@lru_cache(maxsize=None)
def _line_words() -> re.Pattern:
    patterns = resources.table("code_words.csv")["pattern"]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_NUMBER_TEXT = re.compile(r"^[\d.,]+$")


def looks_like_report(grid: list[tuple]) -> str | None:
    """The first cell naming a catalog line ("Dự án 1", "TDA2") in a sheet that also holds
    numbers, as "B12 'Dự án 1: …'"; None for instructions, notes and empty sheets."""
    named, has_numbers = None, False
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                has_numbers = True
            elif isinstance(value, str):
                text = fold(value).lstrip("-+*• ")
                if named is None and _line_words().match(text):
                    named = f"{get_column_letter(c + 1)}{r + 1} '{value.strip()[:40]}'"
                elif not has_numbers and _NUMBER_TEXT.match(text) and any(ch.isdigit() for ch in text):
                    has_numbers = True
        if named and has_numbers:
            return named
    return None


# --- one sheet ---------------------------------------------------------------------------------------
def read_sheet(sheet: SheetGrid, display: str) -> RawTable | None:
    """One report sheet, or None when the sheet has no header row (instructions, empty)."""
    grid = sheet.grid
    header = read_header(grid, sheet.merged, display, sheet.name)
    hidden = Phrase("phrase.hidden_sheet") if sheet.hidden else ""
    if header is None:
        named = looks_like_report(grid)
        if named:
            raise InputError.of("sheet.no_header", display, sheet.name, hidden=hidden, named=named,
                                rows=HEADER_SEARCH_ROWS, words=searched_words())
        log.info("%s: sheet '%s'%s has no header row (STT, Nội dung): not a report sheet, skipped",
                 display, sheet.name, hidden)
        return None
    columns = header.columns
    dong_per_unit = money_units_of_columns(grid, header, display, sheet.name)
    index = {key: column_index_from_string(col.letter) - 1 for key, col in columns.items()}
    body: dict[str, list] = {key: [] for key in columns}
    source_rows = []
    for r in range(header.body_start, len(grid)):
        values = grid[r]
        if _opens_closing_block(values):
            break  # the signature block and what follows are not the table (spec §3.1 "End of the table")
        record = [(values[i] if i < len(values) else None) for i in index.values()]
        if all(v is None or (isinstance(v, str) and v.strip() == "") for v in record):
            continue
        for key, value in zip(index, record):
            body[key].append(value)
        source_rows.append(r + 1)
    frame = raw_frame(source_rows, body)

    rate_is_fraction = None
    if "rate" in columns:
        col = index["rate"]
        rate_is_fraction = pd.Series(
            [isinstance(v, (int, float)) and not isinstance(v, bool) and sheet.percent(int(r) - 1, col)
             for r, v in zip(frame["source_row"], frame["rate"])], index=frame.index, dtype=bool)

    return RawTable(
        kind="workbook", file=display, sheet=sheet.name, rows=frame, columns=columns,
        dong_per_unit=dong_per_unit, unit_hints=[sheet.name, *title_texts(grid, header.top)],
        rate_is_fraction=rate_is_fraction, conversions=sheet.conversions, hidden=sheet.hidden,
    )
