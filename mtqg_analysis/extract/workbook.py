"""Commune workbooks (spec §3.1): every report sheet of a ``.xlsx``/``.xlsm`` file as a
:class:`~.raw.RawTable`.

A sheet without a header row (instructions, an empty sheet) is not a report sheet and is skipped;
a hidden sheet is read when it has a header. The header (:mod:`.header`), the text conversions
(:mod:`.cells`) and formulas without stored values (:mod:`.formulas`) have modules of their own.
"""
from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl.utils import column_index_from_string

from ..errors import InputError
from . import formulas, guards, legacy
from .cells import openpyxl_grid
from .header import HEADER_SEARCH_ROWS, find_header, money_unit, read_header, title_texts
from .raw import RawTable, raw_frame

log = logging.getLogger(__name__)


def _open_workbook(path: Path, display: str):
    import openpyxl  # imported here: CSV-only runs do not pay for it

    guards.check_xlsx(path, display)
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except zipfile.BadZipFile:
        raise InputError("the file is not a valid .xlsx workbook (damaged or not an Excel file); "
                         "open it in Excel and save it again as .xlsx", display) from None
    except (KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise InputError(f"the workbook cannot be read ({type(exc).__name__}: {exc}); "
                         "open it in Excel and save it again as .xlsx", display) from None


def _formula_workbook(path: Path, display: str):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, data_only=False)
    except (KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile) as exc:  # loaded once already
        raise InputError(f"the workbook's formulas cannot be read ({type(exc).__name__})", display) from None


def read_workbook(path: Path, display: str) -> tuple[list[RawTable], list[InputError]]:
    """The report tables of one workbook, and the errors that stopped any sheet from being read."""
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
    fonts = getattr(workbook, "_fonts", [])
    return any(legacy.font_encoding(getattr(font, "name", None)) for font in fonts)


def _looks_like_report(sheet) -> bool:
    return find_header(list(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True))) is not None


def read_sheet(sheet, display: str, *, legacy_fonts: bool = False) -> RawTable | None:
    """One report sheet, or None when the sheet has no header row (instructions, empty)."""
    grid, conversions = openpyxl_grid(sheet, legacy_fonts)
    merged = [(m.min_row, m.max_row, m.min_col, m.max_col) for m in sheet.merged_cells.ranges]
    header = read_header(grid, merged, display, sheet.title)
    if header is None:
        return None
    columns = header.columns
    dong_per_unit = money_unit(grid, header.top, display, sheet.title)
    index = {key: column_index_from_string(col.letter) - 1 for key, col in columns.items()}
    body: dict[str, list] = {key: [] for key in columns}
    source_rows = []
    for r in range(header.body_start, len(grid)):
        values = grid[r]
        record = [(values[i] if i < len(values) else None) for i in index.values()]
        if all(v is None or (isinstance(v, str) and v.strip() == "") for v in record):
            continue
        for key, value in zip(index, record):
            body[key].append(value)
        source_rows.append(r + 1)
    frame = raw_frame(source_rows, body)

    rate_is_fraction = None
    if "rate" in columns:
        col = index["rate"] + 1
        rate_is_fraction = pd.Series(
            [isinstance(v, (int, float)) and "%" in (sheet.cell(row=int(r), column=col).number_format or "")
             for r, v in zip(frame["source_row"], frame["rate"])], index=frame.index, dtype=bool)

    return RawTable(
        kind="workbook", file=display, sheet=sheet.title, rows=frame, columns=columns,
        dong_per_unit=dong_per_unit, unit_hints=[sheet.title, *title_texts(grid, header.top)],
        rate_is_fraction=rate_is_fraction, conversions=conversions,
    )
