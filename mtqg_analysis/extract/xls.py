"""Excel 97-2003 ``.xls`` workbooks through xlrd: every sheet as a :class:`~.sheet.SheetGrid`.

Old ``.xls`` files are still common in district offices, and they are where TCVN3 (".VnTime") and
VNI text lives. xlrd with ``formatting_info=True`` gives what the rules need besides values: the
font of every cell (legacy text is converted by its font, :mod:`.cells`), number formats (a rate
of 0.3043 shown as a percentage) and merged ranges. ``on_demand=True`` loads one sheet at a time,
so memory follows the largest sheet, and the cells of all sheets together are bounded
(:func:`.guards.check_cells`). Excel error values (``#DIV/0!``) come as their text, as openpyxl
gives them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import NotReadable, Phrase
from . import guards, legacy
from .cells import convert_rows
from .sheet import SheetGrid


def sheets(path: Path, display: str) -> Iterator[SheetGrid]:
    import xlrd

    if path.stat().st_size > guards.MAX_FILE_BYTES:
        raise NotReadable.of("xls.too_large", display, limit_mb=guards.MAX_FILE_BYTES // 1048576)
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises many kinds (XLRDError, CompDocError, struct.error, ...)
        reason = Phrase("phrase.password") if "encrypt" in str(exc).lower() else f"{type(exc).__name__}: {exc}"
        named = "" if path.suffix.lower() == ".xls" else Phrase.of("phrase.named", suffix=path.suffix)
        raise NotReadable.of("xls.unreadable", display, named=named, reason=reason) from None
    try:
        fonts = [font.name for font in book.font_list]
        legacy_fonts = any(legacy.font_encoding(name) for name in fonts)
        percent_formats = {key for key, fmt in book.format_map.items() if "%" in (fmt.format_str or "")}
        cells = 0
        for index in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(index)
            except Exception as exc:
                raise NotReadable.of("xls.sheet_unreadable", display, number=index + 1,
                                     reason=f"{type(exc).__name__}: {exc}") from None
            cells += sheet.nrows * sheet.ncols
            guards.check_cells(cells, display)
            yield _sheet(book, sheet, fonts if legacy_fonts else None, percent_formats)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _sheet(book, sheet, fonts: list[str] | None, percent_formats: set[int]) -> SheetGrid:
    import xlrd

    xf_list = book.xf_list

    def value(cell):
        kind = cell.ctype
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if kind == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#N/A")
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if kind in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
            number = cell.value
            return int(number) if float(number).is_integer() and abs(number) < 2**53 else number
        return cell.value

    rows = [[value(cell) for cell in sheet.row(r)] for r in range(sheet.nrows)]

    def xf(r: int, c: int):
        return xf_list[sheet.cell_xf_index(r, c)]

    font_of = None
    if fonts is not None:
        def font_of(r: int, c: int) -> str | None:
            return fonts[xf(r, c).font_index] if xf(r, c).font_index < len(fonts) else None
    grid, conversions = convert_rows(rows, font_of)

    def percent(r: int, c: int) -> bool:
        return r < sheet.nrows and c < sheet.ncols and xf(r, c).format_key in percent_formats

    # xlrd: (first row, row after last, first column, column after last), 0-based.
    merged = [(r0 + 1, r1, c0 + 1, c1) for r0, r1, c0, c1 in sheet.merged_cells]
    return SheetGrid(name=sheet.name, hidden=sheet.visibility != 0, grid=grid, merged=merged,
                     conversions=conversions, percent=percent)
