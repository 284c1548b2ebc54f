"""One sheet of any workbook kind, as the readers of :mod:`.workbook` hand it on.

``.xlsx``/``.xlsm`` (openpyxl, :mod:`.xlsx`), ``.xls`` (xlrd, :mod:`.xls`) and ``.ods`` (calamine,
:mod:`.ods`) differ in how they are opened; after that every sheet is the same thing: its values
row by row with text already in Unicode (:mod:`.cells`), its merged ranges, and which cells carry
a percent number format. The rules of spec §3.1 (:mod:`.header`, :mod:`.workbook`) see only this.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

Merged = tuple[int, int, int, int]  # min_row, max_row, min_col, max_col (1-based, inclusive)


def _no_percent(_row: int, _col: int) -> bool:
    return False


@dataclass
class SheetGrid:
    name: str
    hidden: bool
    grid: list[tuple]
    merged: list[Merged] = field(default_factory=list)
    conversions: list[dict] = field(default_factory=list)  # legacy-encoded cells turned into Unicode
    percent: Callable[[int, int], bool] = _no_percent  # (0-based row, column): a percent number format
    fill: Callable | None = None  # computes formulas without stored values in a read table (xlsx)
