"""OpenDocument ``.ods`` spreadsheets (LibreOffice): every sheet as a :class:`~.sheet.SheetGrid`.

The values come from python-calamine (a Rust reader: a sheet of 200,000 cells in a fraction of a
second and a few MB, where odfpy's document tree takes seconds and half a GB). calamine does not
give what the rules of spec §3.1 need besides values for this kind, so one streamed pass over the
spreadsheet's ``content.xml`` (:func:`_formatting`, constant memory) collects them: merged ranges
(``number-columns-spanned``/``number-rows-spanned``), percent cells (``value-type="percentage"``)
and the cells drawn in a legacy TCVN3/VNI font (through their cell style).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree

from ..errors import NotReadable
from . import guards, legacy
from .cells import convert_rows
from .sheet import SheetGrid

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


# The qualified names the passes below compare with, once (they are met a million times).
_TABLE, _ROW, _CELL, _COVERED = (_q(TABLE, n) for n in ("table", "table-row", "table-cell", "covered-table-cell"))
_NAME, _ROWS_REPEATED, _COLUMNS_REPEATED = (_q(TABLE, n) for n in ("name", "number-rows-repeated",
                                                                    "number-columns-repeated"))
_COLUMNS_SPANNED, _ROWS_SPANNED, _STYLE_NAME = (_q(TABLE, n) for n in ("number-columns-spanned",
                                                                       "number-rows-spanned", "style-name"))
_VALUE_TYPE, _BODY = _q(OFFICE, "value-type"), _q(OFFICE, "body")


@dataclass
class _Formatting:
    merged: list = field(default_factory=list)
    percent: set = field(default_factory=set)
    fonts: dict = field(default_factory=dict)  # (row, col) -> legacy font name


def sheets(path: Path, display: str) -> Iterator[SheetGrid]:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    guards.check_ods(path, display)
    try:
        with open(path, "rb") as handle:  # from a file, not a path: calamine would go by the suffix
            book = CalamineWorkbook.from_filelike(handle)
        formatting = _formatting(path)
    except (ElementTree.ParseError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise NotReadable.of("ods.unreadable", display, reason=f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # calamine's own errors (CalamineError, ...)
        raise NotReadable.of("ods.unreadable", display, reason=f"{type(exc).__name__}: {exc}") from None
    cells = 0
    for index, meta in enumerate(book.sheets_metadata):
        try:
            sheet = book.get_sheet_by_index(index)
        except Exception as exc:
            raise NotReadable.of("ods.sheet_unreadable", display, sheet=meta.name, reason=exc) from None
        end = sheet.end
        cells += (end[0] + 1) * (end[1] + 1) if end else 0
        guards.check_cells(cells, display)
        rows = [[_value(v) for v in row] for row in sheet.to_python(skip_empty_area=False)] if end else []
        found = formatting.get(meta.name, _Formatting())
        fonts = found.fonts
        grid, conversions = convert_rows(rows, (lambda r, c: fonts.get((r, c))) if fonts else None)
        yield SheetGrid(name=meta.name, hidden=meta.visible != SheetVisibleEnum.Visible, grid=grid,
                        merged=found.merged, conversions=conversions,
                        percent=lambda r, c, cells=found.percent: (r, c) in cells)


def _value(value):
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _formatting(path: Path) -> dict[str, _Formatting]:
    """Per sheet name: merged ranges, percent cells and legacy-font cells, from ``content.xml``."""
    with zipfile.ZipFile(path) as archive:
        legacy_styles = _legacy_font_styles(archive)
        out: dict[str, _Formatting] = {}
        table = row = None
        r = c = 0
        current = None
        with archive.open("content.xml") as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == _CELL or tag == _COVERED:
                        if current is not None:
                            attrib = element.attrib
                            if tag == _CELL and attrib and (_STYLE_NAME in attrib or _COLUMNS_SPANNED in attrib
                                                            or _ROWS_SPANNED in attrib
                                                            or attrib.get(_VALUE_TYPE) == "percentage"):
                                _note_cell(element, current, r, c, legacy_styles)
                            c += int(element.get(_COLUMNS_REPEATED, "1"))
                    elif tag == _ROW and current is not None:
                        c = 0
                        row = element
                    elif tag == _TABLE:
                        table = element.get(_NAME, "")
                        current = out.setdefault(table, _Formatting())
                        r = 0
                    continue
                if tag == _ROW and row is not None:
                    r += int(element.get(_ROWS_REPEATED, "1"))
                    row = None
                    element.clear()
                elif tag == _TABLE:
                    current = None
                    element.clear()
    return out


def _note_cell(element, current: _Formatting, r: int, c: int, legacy_styles: dict[str, str]) -> None:
    columns = int(element.get(_COLUMNS_SPANNED, "1"))
    rows = int(element.get(_ROWS_SPANNED, "1"))
    if columns > 1 or rows > 1:
        current.merged.append((r + 1, r + rows, c + 1, c + columns))
    if element.get(_VALUE_TYPE) == "percentage":
        current.percent.add((r, c))
    style = element.get(_STYLE_NAME)
    if style in legacy_styles:
        current.fonts[(r, c)] = legacy_styles[style]


def _legacy_font_styles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Cell style name -> font name, for the styles drawn in a TCVN3/VNI font (usually none)."""
    styles: dict[str, str] = {}
    for member in ("styles.xml", "content.xml"):
        if member not in archive.namelist():
            continue
        with archive.open(member) as stream:
            name = None
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                if element.tag == _q(STYLE, "style"):
                    if event == "start":
                        name = element.get(_q(STYLE, "name"))
                    else:
                        name = None
                        element.clear()
                elif event == "start" and element.tag == _q(STYLE, "text-properties") and name:
                    font = element.get(_q(STYLE, "font-name")) or element.get(_q(FO, "font-family"))
                    if legacy.font_encoding(font):
                        styles[name] = font
                elif event == "start" and element.tag == _BODY:
                    break  # the automatic styles come before the body: the tables need not be read
    return styles
