"""The shipped sample workbooks under data/raw/ are exactly what scripts/make_sample_data.py writes.

These tests read the workbooks with openpyxl only, relying on the layout the generator writes
(header at rows 5-6, "STT" in A5); cleaning them to the published figures is tested elsewhere,
against the cleaning library.
"""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "make_sample_data.py"
RAW = REPO / "data" / "raw"
PERIODS = ("2024-06", "2024-09", "2024-12", "2025-06", "2025-12", "2025-EXT")
REPORT_SHEETS = [
    "TT Phủ Thông", "Xã Vi Hương", "X. Sỹ Bình", "Vũ Muộn", "Đôn Phong", "X. Lục Bình", "Tân Tú",
    "Xã Nguyên Phúc", "Cao Sơn", "Quân Hà", "Cẩm Giàng", "X. Mỹ Thanh", "Dương Phong", "Quang Thuận",
    "Cấp huyện",
]
# 2025-06 is reported by the old communes and town (no district level); 2025-12 and 2025-EXT by
# the five communes of tỉnh Thái Nguyên that succeeded them on 2025-07-01.
NEW_SHEETS = ["Phủ Thông", "Vĩnh Thông", "X. Cẩm Giàng", "Bạch Thông", "Xã Phong Quang"]
SHEETS_OF = {"2024-06": REPORT_SHEETS, "2024-09": REPORT_SHEETS, "2024-12": REPORT_SHEETS,
             "2025-06": REPORT_SHEETS[:-1], "2025-12": NEW_SHEETS, "2025-EXT": NEW_SHEETS}


def committed_files():
    return {p.relative_to(RAW).as_posix(): p for period in PERIODS for p in sorted((RAW / period).iterdir())}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw")
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True, cwd=REPO)
    return out


def _members(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def test_generator_reproduces_committed_files(regenerated):
    """Every zip member (sheet XML, styles, properties) is identical. The zip bytes themselves are
    identical on the machine that generated them; another zlib build may compress the same
    members differently, which is not a difference in the workbook."""
    committed = committed_files()
    assert len(committed) == len(PERIODS), sorted(committed)
    produced = {p.relative_to(regenerated).as_posix(): p for p in sorted(regenerated.rglob("*")) if p.is_file()}
    assert sorted(produced) == sorted(committed)
    for name, path in committed.items():
        assert _members(path.read_bytes()) == _members(produced[name].read_bytes()), (
            f"{name} differs from the generator's output: rerun `make sample-data` and commit")


@pytest.mark.parametrize("period", PERIODS)
def test_each_workbook_has_instructions_and_a_report_sheet_per_unit(period):
    (path,) = sorted((RAW / period).glob("*.xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Hướng dẫn", *SHEETS_OF[period]]
    instructions = wb["Hướng dẫn"]
    assert all(v != "STT" for row in instructions.iter_rows(values_only=True) for v in row)
    assert any("minh họa" in str(v) for row in instructions.iter_rows(values_only=True) for v in row)
    for name in SHEETS_OF[period]:
        ws = wb[name]
        assert ws["A5"].value == "STT", name
        assert str(ws["B5"].value).startswith(("Nội dung", "Tên dự án")), name
        assert any(str(v).strip().upper() == "TỔNG CỘNG"
                   for row in ws.iter_rows(min_row=7, values_only=True) for v in row if v), name


def _amount(value, factor: Decimal) -> Decimal:
    if value is None or value == "-":
        return Decimal(0)
    if isinstance(value, str):
        value = value.replace(".", "").replace(",", ".")
    return Decimal(str(value)) * factor


MONEY = {"triệu đồng": Decimal(1), "nghìn đồng": Decimal("0.001"), "đồng": Decimal("0.000001")}


def test_2024_06_total_rows_add_up_to_the_notice():
    """The TỔNG CỘNG rows of the 2024-06 sheets sum to the notice's totals (31.804,4 / 11.685,233)."""
    (path,) = sorted((RAW / "2024-06").glob("*.xlsx"))
    wb = openpyxl.load_workbook(path)
    plan = disbursed = Decimal(0)
    for name in REPORT_SHEETS:
        ws = wb[name]
        money = next(str(v) for v in next(ws.iter_rows(min_row=4, max_row=4, values_only=True)) if v)
        factor = next(f for unit, f in MONEY.items() if money.rstrip(")").endswith(unit))
        header = [c.value for c in ws[6]]
        total_cols = [i for i, v in enumerate(header) if v == "Tổng số"]
        (row,) = [r for r in ws.iter_rows(min_row=7, values_only=True) if str(r[1]).upper() == "TỔNG CỘNG"]
        plan += _amount(row[total_cols[0]], factor)
        disbursed += _amount(row[total_cols[1]], factor)
    assert plan == Decimal("31804.4")
    assert disbursed == Decimal("11685.233")


@pytest.mark.parametrize("period", ["2025-06", "2025-12", "2025-EXT"])
def test_2025_sheets_split_capital_by_budget_year(period):
    """Every 2025 sheet gives "Vốn năm 2025" beside "Vốn năm 2024 kéo dài" in both groups (spec §3.1)."""
    (path,) = sorted((RAW / period).glob("*.xlsx"))
    wb = openpyxl.load_workbook(path)
    for name in SHEETS_OF[period]:
        header = [c.value for c in wb[name][6]]
        assert header.count("Vốn năm 2025") == 2 and header.count("Vốn năm 2024 kéo dài") == 2, name
