"""Build small commune workbooks (spec §3.1) from a compact description, for the reading tests.

A :class:`Sheet` says what a commune's report sheet looks like: title rows, the money-unit line,
the header as one path of texts per column (the words of merged parent cells first: a path
``["Kế hoạch vốn giao", "Tổng số"]`` under a neighbour ``["Kế hoạch vốn giao", "Khối lượng"]``
gives a merged parent cell over both), an optional column-number row, and the rows.

A row is a tuple in the order of :data:`ROW_FIELDS` (STT, label, unit, plan qty, plan amount,
done qty, disbursed, rate, note), or a dict naming the fields it fills, which is how split
columns (``plan_dtpt``, ``done_sn`` ...) are given. A value may be a :class:`Cell` to give it a
number format (a rate of 0.3043 shown as a percentage).

>>> book = build_workbook(tmp / "x.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở",
...     "nhà", 7, "337,59", 3, 100, None, None)]))  # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

PERIOD = "2024-09"  # the period the tests build, unless they say otherwise
ROW_FIELDS = ("stt", "label", "unit", "plan_qty", "plan", "done_qty", "disbursed", "rate", "note")

PLAN = "Kế hoạch vốn giao"
DONE = "Thực hiện, giải ngân"

# The usual two-row header: label group, a plan group and a done group, rate and note.
COLUMNS_2 = [
    ("stt", ["STT"]),
    ("label", ["Nội dung"]),
    ("unit", ["Đơn vị tính"]),
    ("plan_qty", [PLAN, "Khối lượng"]),
    ("plan", [PLAN, "Tổng số"]),
    ("done_qty", [DONE, "Khối lượng"]),
    ("disbursed", [DONE, "Giải ngân"]),
    ("rate", ["Tỷ lệ giải ngân (%)"]),
    ("note", ["Ghi chú"]),
]

# One header row: every heading says which group it belongs to.
COLUMNS_1 = [
    ("stt", ["STT"]),
    ("label", ["Nội dung"]),
    ("unit", ["ĐVT"]),
    ("plan_qty", ["KL kế hoạch"]),
    ("plan", ["Kế hoạch vốn"]),
    ("done_qty", ["KL thực hiện"]),
    ("disbursed", ["Lũy kế giải ngân từ đầu năm"]),
    ("note", ["Ghi chú"]),
]

# Three header rows, split by capital type: plan and done each have a total and ĐTPT / SN.
COLUMNS_3 = [
    ("stt", ["STT"]),
    ("label", ["Nội dung"]),
    ("unit", ["Đơn vị tính"]),
    ("plan_qty", ["Kế hoạch năm 2024", "Khối lượng"]),
    ("plan", ["Kế hoạch năm 2024", "Kế hoạch vốn", "Tổng số"]),
    ("plan_dtpt", ["Kế hoạch năm 2024", "Kế hoạch vốn", "Vốn ĐTPT"]),
    ("plan_sn", ["Kế hoạch năm 2024", "Kế hoạch vốn", "Vốn sự nghiệp"]),
    ("done_qty", ["Lũy kế thực hiện", "Khối lượng"]),
    ("disbursed", ["Lũy kế thực hiện", "Giải ngân", "Tổng số"]),
    ("done_dtpt", ["Lũy kế thực hiện", "Giải ngân", "Vốn ĐTPT"]),
    ("done_sn", ["Lũy kế thực hiện", "Giải ngân", "Vốn sự nghiệp"]),
    ("note", ["Ghi chú"]),
]

# Two header rows split by capital type, no "Tổng số" column beside the splits.
COLUMNS_SPLIT = [
    ("stt", ["STT"]),
    ("label", ["Nội dung"]),
    ("unit", ["Đơn vị tính"]),
    ("plan_qty", [PLAN, "Số lượng"]),
    ("plan_dtpt", [PLAN, "Vốn ĐTPT"]),
    ("plan_sn", [PLAN, "Vốn sự nghiệp"]),
    ("done_qty", [DONE, "Số lượng"]),
    ("done_dtpt", [DONE, "Vốn ĐTPT"]),
    ("done_sn", [DONE, "Vốn sự nghiệp"]),
    ("note", ["Ghi chú"]),
]


@dataclass
class Cell:
    """A cell value with an Excel number format ("0.00%")."""

    value: Any
    number_format: str = "General"


@dataclass
class Sheet:
    """One report sheet. ``money_unit=None`` leaves out the unit line (amounts then in triệu)."""

    rows: list = field(default_factory=list)
    name: str = "Tân Tú"
    titles: list[str] = field(default_factory=lambda: ["UBND XÃ TÂN TÚ",
                                                       "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH MTQG"])
    money_unit: str | None = "Đơn vị tính: triệu đồng"
    columns: list[tuple[str, list[str]]] = field(default_factory=lambda: list(COLUMNS_2))
    number_row: str | None = "paren"  # "paren" gives (1) (2) ..., "plain" gives 1 2 3 ..., None none
    merge: bool = True  # merge parent cells and the cells of short header paths


@dataclass
class TextSheet:
    """A sheet that is not a report (instructions): just lines of text in column A."""

    name: str = "Hướng dẫn"
    lines: list[str] = field(default_factory=lambda: ["Hướng dẫn điền biểu mẫu",
                                                      "Điền số liệu lũy kế từ đầu năm vào các cột."])


def row_values(row, keys: list[str]) -> list:
    """The values of one row for the columns ``keys`` (a tuple follows ROW_FIELDS)."""
    if isinstance(row, dict):
        mapping = row
    else:
        mapping = dict(zip(ROW_FIELDS, row))
    return [mapping.get(key) for key in keys]


def write_sheet(ws, sheet: Sheet) -> dict[str, int]:
    """Fill ``ws``; returns the 1-based sheet row of each body row (key ``"first_row"``) etc."""
    r = 1
    for title in sheet.titles:
        ws.cell(row=r, column=1, value=title)
        r += 1
    keys = [key for key, _ in sheet.columns]
    paths = [path for _, path in sheet.columns]
    if sheet.money_unit is not None:
        ws.cell(row=r, column=max(len(keys) - 1, 1), value=sheet.money_unit)
        r += 1
    top = r
    depth = max(len(p) for p in paths)
    for level in range(depth):
        c = 0
        while c < len(paths):
            path = paths[c]
            if level >= len(path):
                c += 1
                continue
            # Neighbours with the same path down to this level share one merged cell.
            end = c
            while (end + 1 < len(paths) and len(paths[end + 1]) > level
                   and paths[end + 1][: level + 1] == path[: level + 1] and level < len(path) - 1):
                end += 1
            ws.cell(row=top + level, column=c + 1, value=path[level])
            last_row = top + depth - 1 if level == len(path) - 1 else top + level
            if sheet.merge and (end > c or last_row > top + level):
                ws.merge_cells(start_row=top + level, start_column=c + 1, end_row=last_row, end_column=end + 1)
            c = end + 1
    r = top + depth
    if sheet.number_row:
        for c in range(len(keys)):
            ws.cell(row=r, column=c + 1, value=f"({c + 1})" if sheet.number_row == "paren" else c + 1)
        r += 1
    first = r
    for row in sheet.rows:
        for c, value in enumerate(row_values(row, keys)):
            if isinstance(value, Cell):
                cell = ws.cell(row=r, column=c + 1, value=value.value)
                cell.number_format = value.number_format
            elif value is not None:
                ws.cell(row=r, column=c + 1, value=value)
        r += 1
    return {"header_row": top, "first_row": first}


def workbook(*sheets: Sheet | TextSheet) -> openpyxl.Workbook:
    """A new openpyxl workbook holding ``sheets`` in order (not saved: see ``workbook_kinds``)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        if isinstance(sheet, TextSheet):
            for i, line in enumerate(sheet.lines, start=1):
                ws.cell(row=i, column=1, value=line)
        else:
            write_sheet(ws, sheet)
    return wb


def build_workbook(path: Path, *sheets: Sheet | TextSheet) -> Path:
    """Write ``sheets`` (in order) to a new workbook at ``path``; parent folders are created."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook(*sheets).save(path)
    return path


def first_data_row(sheet: Sheet) -> int:
    """The 1-based sheet row of ``sheet.rows[0]``."""
    depth = max(len(p) for _, p in sheet.columns)
    return len(sheet.titles) + (sheet.money_unit is not None) + depth + (sheet.number_row is not None) + 1


def column_letter(sheet: Sheet, key: str) -> str:
    """The Excel letter of the column ``key`` of ``sheet``."""
    return get_column_letter([k for k, _ in sheet.columns].index(key) + 1)
