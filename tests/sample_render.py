"""The shipped sample data, made hostile, rendered once per test session.

The 2024-06 district report and the scorecard of Vi Hương (01975) are rendered by the real
``mtqg report`` (a child process, as cron runs it) from a copy of ``data/raw`` in which

- one note ("Tạm ứng hợp đồng") reads :data:`SCRIPT_NOTE`;
- Vi Hương's name in ``units.csv`` carries a ``<script>`` (:data:`NAME`) and an alias carries HTML
  (:data:`ALIAS`); its sheet "Xã Vi Hương" still matches through an alias;
- the last notes of Vi Hương's sheet carry :data:`PAYLOADS`;

and the data and reports folders have odd but legitimate names (spaces, quotes, "$(id)",
non-ASCII): they must be used as paths, never as code. A signed PDF lies beside the workbook
(:data:`SIGNED_PDF`), as offices keep them: it is not read, and the report says so in its data
quality section (spec §2). None of it changes a figure. The notebook,
report-safety and browser tests all read this one render.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from conftest import REPO, mtqg_process

UNIT = "01975"  # Xã Vi Hương
SHEET = "Xã Vi Hương"
SCRIPT_NOTE = "<script>alert('x')</script> Tạm ứng"
PAYLOADS = ["<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=2">',
            '<a href="javascript:window.__pwned=3">xem</a>', '"><svg onload=window.__pwned=4>']
NAME = f"Xã Vi Hương {PAYLOADS[0]}"
ALIAS = PAYLOADS[3]
DATA_NAME = "dữ liệu 'x' $(id)"
REPORTS_NAME = 'báo cáo "y" ; z'
SIGNED_PDF = "bao-cao-ban-ky.pdf"


def set_unit(data: Path, which: str, **values: str) -> None:
    """Change columns of one unit of ``data/raw/units.csv`` (written back with proper CSV quoting)."""
    path = data / "raw" / "units.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    row = next(r for r in rows if r["code"] == which)
    row.update(values)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def hostile_workbook(data: Path) -> None:
    """The script note, and the payloads in the last notes of Vi Hương's 2024-06 sheet."""
    from openpyxl import load_workbook

    path = next((data / "raw" / "2024-06").glob("*.xlsx"))
    book = load_workbook(path)
    replaced = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "Tạm ứng hợp đồng" and not replaced:
                    cell.value, replaced = SCRIPT_NOTE, True
    assert replaced, "the sample data no longer has the note this test replaces"
    sheet = book[SHEET]
    header = next(row for row in sheet.iter_rows() if row[0].value == "STT")
    notes = next(c.column for c in header if c.value == "Ghi chú")
    rows = [row for row in sheet.iter_rows(min_row=header[0].row + 2) if isinstance(row[4].value, (int, float))]
    for payload, row in zip(PAYLOADS, rows[-len(PAYLOADS):]):
        sheet.cell(row=row[0].row, column=notes, value=payload)
    book.save(path)


def copy_sample(data: Path) -> Path:
    shutil.copytree(REPO / "data" / "raw", data / "raw")
    return data


def render_sample(base: Path) -> dict:
    data = copy_sample(base / DATA_NAME)
    set_unit(data, UNIT, name=NAME, aliases=f"Vi Hương|{SHEET}|{ALIAS}")
    hostile_workbook(data)
    (data / "raw" / "2024-06" / SIGNED_PDF).write_bytes(b"%PDF-1.4 signed scan of the report")
    reports = base / REPORTS_NAME
    first = mtqg_process("report", "--period", "2024-H1", "--units", UNIT, "--jobs", "2",
                         "--data-dir", data, "--reports-dir", reports, cwd=base)
    assert first.returncode == 0, first.stderr
    folder = reports / "2024-06"
    return {"base": base, "data": data, "reports": reports, "first": first, "folder": folder,
            "report": folder / "report.html", "card": folder / f"{UNIT}.html", "index": reports / "index.html"}


def render_sample_2025(base: Path) -> dict:
    """The shipped 2025 sample as cron would render it: the Thái Nguyên report of 2025-12 with a
    scorecard for each of the five communes, and the summary of the phase 2021-2025 (one command)."""
    data = copy_sample(base / "data")
    reports = base / "reports"
    run = mtqg_process("report", "--period", "2025-12", "--units", "all", "--phase", "2021-2025", "--jobs", "2",
                       "--data-dir", data, "--reports-dir", reports, cwd=base)
    assert run.returncode == 0, run.stderr
    return {"base": base, "data": data, "reports": reports, "run": run, "folder": reports / "2025-12",
            "report": reports / "2025-12" / "report.html", "phase": reports / "2021-2025" / "report.html"}
