"""Benchmark: `mtqg clean` on a province-sized period against the Excel reader alone.

A province-sized period is generated into a temporary folder: 100 units, about 40 rows a sheet,
laid out two ways (7 workbooks of up to 15 sheets; one workbook a unit). For each layout the
script times, side by side and alternating, (a) openpyxl alone loading every workbook and
iterating every cell, and (b) the whole clean (read, clean, validate, write) in-process and as
the `mtqg clean` command. It prints the ratios; the target is clean <= 3x the reader alone.

    .venv/bin/python benchmarks/bench_clean.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

# mtqg_analysis (and with it pandas) is imported only where needed, so that the baseline command
# (--reader-only) pays for Python and openpyxl alone.

PERIOD = "2024-09"
N_UNITS = 100
SHEETS_PER_WORKBOOK = 15


def units_csv(path: Path) -> list[tuple[str, str]]:
    units = [(f"{10000 + i:05d}", f"Xã Thử Nghiệm {i:03d}") for i in range(N_UNITS)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "kind", "district", "province", "aliases", "valid_from", "valid_to", "successor_code"])
        for code, name in units:
            writer.writerow([code, name, "xa", "Huyện Mẫu", "Tỉnh Mẫu", "", "2020-01-01", "", ""])
    return units


def rows_for(seed: int) -> list[tuple]:
    """About 40 rows: every project, sub-project and content of the catalog, leaves with numbers."""
    from mtqg_analysis.domain.catalog import load_catalog

    catalog = load_catalog()
    rows = []
    for i, code in enumerate(catalog.codes):
        leaf = not catalog.children(code)
        name = catalog.name(code)
        plan = round(100 + (seed * 37 + i * 11) % 900 + 0.123, 3) if leaf else None
        done = round(plan * ((seed + i) % 10) / 10, 3) if leaf else None
        qty = (seed + i) % 9 + 1 if leaf and catalog.default_unit(code) else None
        rows.append((str(i + 1), name, catalog.default_unit(code) if leaf else "", qty, plan,
                     (qty // 2 if qty else None), done))
    return rows


def write_sheet(ws, unit_name: str, seed: int, rows: list[tuple] | None = None) -> None:
    """One commune's report sheet: ``rows`` (default: :func:`rows_for` ``seed``) under a two-row header."""
    ws["A1"] = f"UBND {unit_name.upper()}"
    ws["A2"] = "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH MTQG"
    ws["G3"] = "Đơn vị tính: triệu đồng"
    for cell, text in (("A4", "STT"), ("B4", "Nội dung"), ("C4", "Đơn vị tính"), ("D4", "Kế hoạch vốn giao"),
                       ("F4", "Lũy kế giải ngân"), ("D5", "Số lượng"), ("E5", "Tổng số"), ("F5", "Số lượng"),
                       ("G5", "Tổng số")):
        ws[cell] = text
        ws[cell].font = Font(bold=True)
        ws[cell].alignment = Alignment(wrap_text=True)
    for merge in ("A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:G4"):
        ws.merge_cells(merge)
    for r, row in enumerate(rows if rows is not None else rows_for(seed), start=6):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                ws.cell(row=r, column=c, value=value)


def make_period(root: Path, layout: str) -> Path:
    raw = root / "raw"
    folder = raw / PERIOD
    folder.mkdir(parents=True)
    units = units_csv(raw / "units.csv")
    if layout == "workbooks":
        groups = [units[i:i + SHEETS_PER_WORKBOOK] for i in range(0, len(units), SHEETS_PER_WORKBOOK)]
    else:
        groups = [[u] for u in units]
    for g, group in enumerate(groups):
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for code, name in group:
            write_sheet(wb.create_sheet(name.replace("Xã ", "")[:31]), name, int(code))
        wb.save(folder / f"bao-cao-{g:03d}.xlsx")
    return root


def reader_alone(root: Path) -> None:
    for path in sorted((root / "raw" / PERIOD).glob("*.xlsx")):
        wb = openpyxl.load_workbook(path, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reader-only", type=Path, help=argparse.SUPPRESS)  # the baseline as a command
    args = parser.parse_args()
    if args.reader_only:
        reader_alone(args.reader_only)
        return
    from mtqg_analysis.store import build_period

    mtqg = Path(sys.executable).with_name("mtqg")
    print(f"{N_UNITS} units, about {len(rows_for(0))} rows a sheet, period {PERIOD}; best of {args.repeat}")
    for layout in ("workbooks", "one-file-per-unit"):
        with tempfile.TemporaryDirectory() as tmp:
            root = make_period(Path(tmp), layout)
            reader, reader_cmd, inproc, command = [], [], [], []
            for _ in range(args.repeat):  # alternate so that machine noise hits all four alike
                reader.append(timed(lambda: reader_alone(root)))
                reader_cmd.append(timed(lambda: subprocess.run(
                    [sys.executable, str(Path(__file__).resolve()), "--reader-only", str(root)], check=True)))
                inproc.append(timed(lambda: build_period(PERIOD, root)))
                command.append(timed(lambda: subprocess.run(
                    [str(mtqg), "clean", "--period", PERIOD, "--data-dir", str(root), "-q"], check=True,
                    capture_output=True)))
            r, rc, i, c = min(reader), min(reader_cmd), min(inproc), min(command)
            print(f"{layout}:\n"
                  f"  in-process: openpyxl alone {r:5.2f} s | clean {i:5.2f} s = {i / r:4.2f}x "
                  f"(median ratio {statistics.median(inproc) / statistics.median(reader):4.2f}x)\n"
                  f"  commands:   openpyxl alone {rc:5.2f} s | mtqg clean {c:5.2f} s = {c / rc:4.2f}x "
                  f"(median ratio {statistics.median(command) / statistics.median(reader_cmd):4.2f}x)")


if __name__ == "__main__":
    main()
