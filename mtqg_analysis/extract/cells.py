"""A sheet's values as a grid of Python values, row by row, with every text in Unicode: the one
path through which cell text goes before anything looks at it (domain notes §5.3).

- Excel's ``_xHHHH_`` escapes are turned back into characters;
- a cell drawn in a TCVN3 (".VnTime") or VNI ("VNI-Times") font is converted by its font, so a
  header typed in ".VnTime" is found like any other;
- UTF-8 text misread as Windows-1252 ("PhÆ°á»ng") is repaired, in any font.

Each conversion is recorded (row, column letter, kind, text before and after) for quality.csv.
"""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from . import legacy

RECORDED = (legacy.TCVN3, legacy.VNI, "mojibake")


def convert_text(value, font_name: str | None = None) -> tuple[object, str | None]:
    """A cell value with its text in Unicode, and the kind of conversion made (None if none)."""
    if not isinstance(value, str) or not value:
        return value, None
    text = legacy.unescape_ooxml(value)
    new, kind = legacy.convert_cell_text(text, font_name)
    if kind is None:
        new, repaired = legacy.repair_mojibake(text)
        kind = "mojibake" if repaired else None
    if kind is None and text != value:
        new, kind = text, "escape"
    return new, kind


def _might_need_conversion(value) -> bool:
    return isinstance(value, str) and ("_x" in value or legacy.looks_like_mojibake(value))


def convert_rows(rows, fonts=None) -> tuple[list[tuple], list[dict]]:
    """Convert a grid: ``rows`` of values, and (for workbooks that use legacy fonts) ``fonts``, a
    function ``(row, column) -> font name`` (0-based). Returns the grid and the conversions."""
    grid, conversions = [], []
    for r, values in enumerate(rows):
        values = tuple(values)
        if fonts is None and not any(_might_need_conversion(v) for v in values):
            grid.append(values)  # the common case: nothing to look at in this row
            continue
        out = []
        for c, value in enumerate(values):
            new, kind = convert_text(value, fonts(r, c) if fonts is not None and isinstance(value, str) else None)
            if kind in RECORDED and new != value:
                conversions.append({"row": r + 1, "column": get_column_letter(c + 1), "kind": kind,
                                    "before": value, "after": new})
            out.append(new)
        grid.append(tuple(out))
    return grid, conversions


def openpyxl_grid(sheet, legacy_fonts: bool, max_row: int | None = None) -> tuple[list[tuple], list[dict]]:
    """The converted grid of an openpyxl worksheet. Fonts are looked at only in workbooks that use
    a legacy font somewhere (reading every cell's style is the slow path)."""
    if not legacy_fonts:
        return convert_rows(sheet.iter_rows(max_row=max_row, values_only=True))
    cells = [tuple(row) for row in sheet.iter_rows(max_row=max_row)]

    def font(r: int, c: int) -> str | None:
        style = getattr(cells[r][c], "font", None)
        return style.name if style is not None else None

    return convert_rows(([getattr(cell, "value", None) for cell in row] for row in cells), font)
