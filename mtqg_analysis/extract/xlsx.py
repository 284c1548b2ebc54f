"""``.xlsx``/``.xlsm`` workbooks through openpyxl: every sheet as a :class:`~.sheet.SheetGrid`.

openpyxl is the reader of the OOXML kinds because it gives, besides values, the cell styles
(legacy TCVN3/VNI fonts, percent number formats) and merged ranges, and it can load the formulas of
a workbook written by a script (:mod:`.formulas`). The workbook passes :func:`.guards.check_xlsx`
(zip, XML and size checks, cells of all sheets together) before openpyxl sees it.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterator

from ..errors import NotReadable
from . import formulas, guards, legacy
from .cells import openpyxl_grid
from .sheet import SheetGrid


def sheets(path: Path, display: str) -> Iterator[SheetGrid]:
    import openpyxl  # imported here: CSV-only runs do not pay for it

    guards.check_xlsx(path, display)
    try:
        workbook = _load(path, data_only=True)
    except zipfile.BadZipFile:
        raise NotReadable.of("xlsx.invalid", display) from None
    except (KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise NotReadable.of("xlsx.unreadable", display, reason=f"{type(exc).__name__}: {exc}") from None
    legacy_fonts = any(legacy.font_encoding(getattr(font, "name", None)) for font in getattr(workbook, "_fonts", []))
    # Formulas without a stored value (files written by a script, never opened in Excel) are
    # computed from a second, formula-reading load; most files never need it.
    formula_book = _formula_workbook(path, display) if formulas.needs_formulas(path) else None
    for sheet in workbook.worksheets:
        grid, conversions = openpyxl_grid(sheet, legacy_fonts)

        def percent(r: int, c: int, sheet=sheet) -> bool:
            return "%" in (sheet.cell(row=r + 1, column=c + 1).number_format or "")

        fill = None
        if formula_book is not None:
            def fill(table, title=sheet.title):
                return formulas.fill_table(table, formula_book[title])
        yield SheetGrid(
            name=sheet.title, hidden=sheet.sheet_state != "visible", grid=grid,
            merged=[(m.min_row, m.max_row, m.min_col, m.max_col) for m in sheet.merged_cells.ranges],
            conversions=conversions, percent=percent, fill=fill)


def _load(path: Path, data_only: bool):
    """openpyxl's workbook from an open file: openpyxl refuses a path by its suffix, and a
    workbook is read by its content, whatever it is named (an .xlsx saved as "bao-cao.xls")."""
    import openpyxl

    with open(path, "rb") as handle:
        return openpyxl.load_workbook(handle, data_only=data_only)


def _formula_workbook(path: Path, display: str):
    try:
        return _load(path, data_only=False)
    except (KeyError, ValueError, TypeError, OSError, zipfile.BadZipFile) as exc:  # loaded once already
        raise NotReadable.of("xlsx.formulas_unreadable", display, reason=type(exc).__name__) from None
