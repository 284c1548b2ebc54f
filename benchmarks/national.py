"""A generated national-style data folder: one province, N communes, one workbook a commune.

The units follow the second edition of the contract (spec §2.1): a province (``tinh``) at the
top and its communes (``xa``) directly under it (``parent_code``), in force since 2025-07-01, plus
the province's own budget ("Cấp tỉnh"). Four periods of one year (2026-03, -06, -09, -12), each
commune's figures year-to-date, growing from one period to the next.

    .venv/bin/python benchmarks/national.py OUT_DIR --units 300      # writes OUT_DIR/raw/

Used by ``bench_national.py``; deterministic (a unit's figures depend on its number only).
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_clean import rows_for, write_sheet  # noqa: E402  (the same sheet layout as the clean benchmark)

PROVINCE = ("91", "Tỉnh Thử Nghiệm")
PERIODS = ("2026-03", "2026-06", "2026-09", "2026-12")
SINCE = "2025-07-01"


def commune(i: int) -> tuple[str, str]:
    return f"{30000 + i:05d}", f"Xã Mẫu Số {i + 1:04d}"


def units_csv(path: Path, n: int) -> list[tuple[str, str]]:
    units = [commune(i) for i in range(n)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "kind", "parent_code", "aliases", "valid_from", "valid_to", "successor_code"])
        writer.writerow([*PROVINCE, "tinh", "", "Cấp tỉnh|UBND tỉnh Thử Nghiệm", SINCE, "", ""])
        for code, name in units:
            writer.writerow([code, name, "xa", PROVINCE[0], "", SINCE, "", ""])
    return units


def grown(rows: list[tuple], month: int) -> list[tuple]:
    """The year-to-date rows at ``month``: disbursed amounts and quantities in proportion, and
    each project's and sub-project's row stating the sums of the lines under it (as communes
    fill them in; blank subtotals would each be a subtotal_mismatch finding)."""
    from mtqg_analysis.domain.catalog import load_catalog

    catalog = load_catalog()
    share = month / 12
    leaves = {code: (plan, None if done is None else round(done * share, 3))
              for code, (_, _, _, _, plan, _, done) in zip(catalog.codes, rows) if plan is not None}

    def sums(code: str) -> tuple[float, float]:
        if code in leaves:
            return leaves[code]
        parts = [sums(child) for child in catalog.children(code)]
        return round(sum(p for p, _ in parts), 3), round(sum(d for _, d in parts), 3)

    out = []
    for code, (stt, name, unit, qty, plan, done_qty, done) in zip(catalog.codes, rows):
        plan, done = sums(code)
        out.append((stt, name, unit, qty, plan, None if done_qty is None else int(done_qty * share), done))
    return out


def write_workbook(path: Path, unit_name: str, seed: int, month: int) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = unit_name.replace("Xã ", "")[:31]
    write_sheet(wb.active, unit_name, seed, grown(rows_for(seed), month))
    wb.save(path)


def generate(root: Path, n_units: int, periods: tuple[str, ...] = PERIODS) -> list[str]:
    """``root/raw/``: units.csv and one workbook per commune (and the province's own) per period;
    returns the communes' codes."""
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    units = units_csv(raw / "units.csv", n_units)
    for period in periods:
        folder = raw / period
        folder.mkdir(exist_ok=True)
        month = int(period[5:])
        write_workbook(folder / "cap-tinh.xlsx", "Cấp tỉnh", 7, month)
        for code, name in units:
            write_workbook(folder / f"{code}.xlsx", name, int(code), month)
    return [code for code, _ in units]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=300)
    args = parser.parse_args()
    generate(args.out, args.units)
    return 0


if __name__ == "__main__":
    sys.exit(main())
