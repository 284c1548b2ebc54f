"""``reports/<period>/summary.xlsx``: the district report's main tables for people who work in Excel.

One sheet per table (by project, by sub-project, by content, units, full/no disbursement, quality),
Vietnamese (or English) headers, amounts in triệu đồng with "#,##0.###" formats and rates as
percentages, so Excel shows them in the reader's own locale. Text that Excel would run as a formula
(starting with = + - @, tab or CR: OWASP "CSV injection") is written as text with a leading
apostrophe. The workbook is written atomically.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import atomic
from . import report_helpers as h

AMOUNT_FORMAT = "#,##0.###"
RATE_FORMAT = "0.00%"
QTY_FORMAT = "#,##0.##"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """A text cell that no spreadsheet will take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def sheets(funding: pd.DataFrame, period, data_dir=None, lang: str = "vi") -> dict[str, pd.DataFrame]:
    """The tables of the workbook, by sheet name, as numbers (not formatted text)."""
    vi = lang == "vi"
    out = {
        ("Theo dự án" if vi else "By project"): h.line_table(funding, "project", lang),
        ("Theo tiểu dự án" if vi else "By sub-project"): h.line_table(funding, "subproject", lang),
        ("Theo nội dung" if vi else "By content"): h.line_table(funding, "line", lang),
        ("Xếp hạng đơn vị" if vi else "Units"): h.unit_ranking(funding)[
            ["rank", "unit_code", "unit_name", "plan_vnd", "disbursed_vnd", "fin_rate"]],
        ("Giải ngân 100% - chưa" if vi else "Full and none"): h.full_and_none(funding, lang),
        ("Ghi chú" if vi else "Notes"): h.notes(funding),
        ("Chất lượng dữ liệu" if vi else "Data quality"): h.quality(period, data_dir),
    }
    return out


def write_summary(period, data_dir, destination: str | Path, lang: str = "vi") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .store import load_period

    funding = load_period(period, data_dir, rebuild="never")
    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets(funding, period, data_dir, lang).items():
        sheet = book.create_sheet(title[:31])
        columns = list(frame.columns)
        headers = [h._header(c, lang) for c in columns]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for values in frame.itertuples(index=False):
            row = []
            for column, value in zip(columns, values):
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    row.append(None)
                elif column in ("plan_vnd", "disbursed_vnd"):
                    row.append(int(value) / 1_000_000)
                elif column in ("fin_rate", "phys_rate", "plan_qty", "done_qty"):
                    row.append(float(value))
                elif column == "rank":
                    row.append(int(value))
                else:
                    row.append(safe_text(str(value)))
            sheet.append(row)
        for index, column in enumerate(columns, start=1):
            fmt = {"plan_vnd": AMOUNT_FORMAT, "disbursed_vnd": AMOUNT_FORMAT, "fin_rate": RATE_FORMAT,
                   "phys_rate": RATE_FORMAT, "plan_qty": QTY_FORMAT, "done_qty": QTY_FORMAT}.get(column)
            letter = get_column_letter(index)
            if fmt:
                for cell in sheet[letter][1:]:
                    cell.number_format = fmt
            for cell in sheet[letter][1:]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
            sheet.column_dimensions[letter].width = 60 if column in ("name", "message", "note", "full", "none") else 16
        sheet.freeze_panes = "A2"
    destination = Path(destination)
    atomic.write_with(destination, lambda tmp: book.save(tmp))
    return destination
