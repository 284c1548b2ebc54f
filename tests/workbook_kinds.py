"""The same workbook as ``.xls`` (Excel 97-2003, written by xlwt) or ``.ods`` (OpenDocument,
written by odfpy), for the tests of spec §2/§3.1 that every workbook kind is read alike.

A test builds the workbook as usual with openpyxl (``workbook_builder``, a cell's font and number
format set on it), then :func:`save_as` writes a real file of the other kind with what matters to
the reader: values, merged ranges, percent number formats, fonts (TCVN3 ".VnTime" text), and
hidden sheets.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl


def save_as(book: openpyxl.Workbook, path: Path) -> Path:
    """Write ``book`` to ``path`` as the kind its suffix names (``.xls``, ``.ods`` or ``.xlsx``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = path.suffix.lower()
    if kind == ".xls":
        _xls(book, path)
    elif kind == ".ods":
        _ods(book, path)
    else:
        book.save(path)
    return path


def _merged_cover(ws) -> tuple[dict, set]:
    """Top-left (row, col) -> (rows, cols) of each merged range, and the cells it covers."""
    tops, covered = {}, set()
    for m in ws.merged_cells.ranges:
        tops[(m.min_row, m.min_col)] = (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
        covered |= {(r, c) for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col, m.max_col + 1)
                    if (r, c) != (m.min_row, m.min_col)}
    return tops, covered


def _xls(book: openpyxl.Workbook, path: Path) -> None:
    import xlwt

    out = xlwt.Workbook(encoding="utf-8")
    styles: dict = {}

    def style(cell):
        key = (cell.font.name if cell.font else None, cell.number_format)
        if key not in styles:
            st = xlwt.XFStyle()
            if key[0]:
                st.font = xlwt.Font()
                st.font.name = key[0]
            if key[1] and key[1] != "General":
                st.num_format_str = key[1]
            styles[key] = st
        return styles[key]

    for ws in book.worksheets:
        sheet = out.add_sheet(ws.title, cell_overwrite_ok=True)
        if ws.sheet_state != "visible":
            sheet.visibility = 1 if ws.sheet_state == "hidden" else 2
        tops, covered = _merged_cover(ws)
        for row in ws.iter_rows():
            for cell in row:
                r, c = cell.row, cell.column
                if (r, c) in covered:
                    continue
                value = cell.value
                if (r, c) in tops:
                    rows, cols = tops[(r, c)]
                    sheet.write_merge(r - 1, r + rows - 2, c - 1, c + cols - 2, value, style(cell))
                elif value is not None:
                    sheet.write(r - 1, c - 1, value, style(cell))
    out.save(str(path))


def _ods(book: openpyxl.Workbook, path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties, TextProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    hidden = Style(name="hidden-table", family="table")
    hidden.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(hidden)
    fonts: dict[str, str] = {}

    def font_style(name: str) -> str:
        if name not in fonts:
            fonts[name] = f"font{len(fonts)}"
            st = Style(name=fonts[name], family="table-cell")
            st.addElement(TextProperties(fontname=name))
            doc.automaticstyles.addElement(st)
        return fonts[name]

    for ws in book.worksheets:
        table = Table(name=ws.title, stylename="hidden-table") if ws.sheet_state != "visible" else Table(name=ws.title)
        tops, covered = _merged_cover(ws)
        for r in range(1, ws.max_row + 1):
            row = TableRow()
            for c in range(1, ws.max_column + 1):
                if (r, c) in covered:
                    row.addElement(CoveredTableCell())
                    continue
                cell = ws.cell(row=r, column=c)
                value = cell.value
                attributes = {}
                if (r, c) in tops:
                    rows, cols = tops[(r, c)]
                    attributes.update(numberrowsspanned=rows, numbercolumnsspanned=cols)
                if cell.font is not None and cell.font.name and cell.font.name.startswith((".Vn", "VNI")):
                    attributes["stylename"] = font_style(cell.font.name)
                if value is None:
                    row.addElement(TableCell(**attributes))
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    kind = "percentage" if "%" in (cell.number_format or "") else "float"
                    odf_cell = TableCell(valuetype=kind, value=value, **attributes)
                    odf_cell.addElement(P(text=str(value)))
                    row.addElement(odf_cell)
                else:
                    odf_cell = TableCell(valuetype="string", **attributes)
                    odf_cell.addElement(P(text=str(value)))
                    row.addElement(odf_cell)
            table.addElement(row)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
