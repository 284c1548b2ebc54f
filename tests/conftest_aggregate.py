"""Hand-built tidy tables (spec §4.1) for the aggregate, format and narrative tests.

``h1_frame()`` splits the district figures of ``../shared/spec/figures-2024-H1.md`` over units
(a split of our own, independent of the shipped sample workbooks) so that every line total and
every list of communes the notice names comes out as the notice says.
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

TIDY_COLUMNS = ["period", "unit_code", "unit_name", "line_code", "capital_type", "budget_source",
                "measure_unit", "plan_qty", "done_qty", "plan_vnd", "disbursed_vnd", "source_file",
                "source_sheet", "source_row", "note"]

UNIT_NAMES = {
    "063": "Huyện Bạch Thông", "01969": "Thị trấn Phủ Thông", "01975": "Xã Vi Hương",
    "01978": "Xã Sĩ Bình", "01981": "Xã Vũ Muộn", "01984": "Xã Đôn Phong", "01990": "Xã Lục Bình",
    "01993": "Xã Tân Tú", "01999": "Xã Nguyên Phúc", "02002": "Xã Cao Sơn", "02005": "Xã Quân Hà",
    "02008": "Xã Cẩm Giàng", "02011": "Xã Mỹ Thanh", "02014": "Xã Dương Phong",
    "02017": "Xã Quang Thuận",
}
CODE = {name.split(" ", 1)[1] if name.startswith("Xã ") else name: code for code, name in UNIT_NAMES.items()}
CODE["TT Phủ Thông"] = "01969"
CODE["huyện"] = "063"

# (unit short name, line, measure unit, plan qty, done qty, plan triệu, disbursed triệu,
#  capital type, budget source)
H1_ROWS = [
    # Dự án 1, Nội dung số 02: housing, 46 nhà / 2.041, 14 nhà / 616
    ("Tân Tú", "DA1.ND2", "nhà", 8, 3, "355", "132", "", ""),
    ("Lục Bình", "DA1.ND2", "nhà", 7, 2, "311", "88", "", ""),
    ("Nguyên Phúc", "DA1.ND2", "nhà", 6, 2, "266", "88", "", ""),
    ("Mỹ Thanh", "DA1.ND2", "nhà", 6, 2, "266", "88", "", ""),
    ("Dương Phong", "DA1.ND2", "nhà", 5, 2, "222", "88", "", ""),
    ("Vi Hương", "DA1.ND2", "nhà", 6, 3, "266", "132", "", ""),
    ("Sĩ Bình", "DA1.ND2", "nhà", 4, 0, "178", "0", "", ""),
    ("Quân Hà", "DA1.ND2", "nhà", 4, 0, "177", "0", "dtpt", ""),
    # Nội dung số 04: water tanks, 74 téc / 223, 44 téc / 132
    ("Tân Tú", "DA1.ND4.PT", "téc", 6, 6, "18", "18", "", ""),
    ("Lục Bình", "DA1.ND4.PT", "téc", 6, 6, "18", "18", "", ""),
    ("Nguyên Phúc", "DA1.ND4.PT", "téc", 6, 6, "18", "18", "", ""),
    ("Sĩ Bình", "DA1.ND4.PT", "téc", 5, 5, "15", "15", "", ""),
    ("Cao Sơn", "DA1.ND4.PT", "téc", 5, 5, "15", "15", "sn", ""),
    ("Dương Phong", "DA1.ND4.PT", "téc", 5, 5, "15", "15", "", ""),
    ("Quang Thuận", "DA1.ND4.PT", "téc", 6, 6, "18", "18", "", ""),
    ("TT Phủ Thông", "DA1.ND4.PT", "téc", 5, 5, "15", "15", "", ""),
    ("Mỹ Thanh", "DA1.ND4.PT", "téc", 15, 0, "45,5", "0", "", ""),
    ("Vũ Muộn", "DA1.ND4.PT", "téc", 15, 0, "45,5", "0", "", ""),
    # Dự án 3, Tiểu dự án 2: value-chain projects, 5 dự án / 4.550, 1 / 919
    ("Đôn Phong", "DA3.TDA2.ND1.CHUOI", "dự án", 2, 1, "1820", "919", "sn", ""),
    ("Quang Thuận", "DA3.TDA2.ND1.CHUOI", "dự án", 1, 0, "900", "0", "", ""),
    ("Sĩ Bình", "DA3.TDA2.ND1.CHUOI", "dự án", 1, 0, "930", "0", "", ""),
    ("huyện", "DA3.TDA2.ND1.CHUOI", "dự án", 1, 0, "900", "0", "", ""),
    # community production projects, 19 dự án / 6.993, 7 / 2.471
    ("Cao Sơn", "DA3.TDA2.ND1.CONGDONG", "dự án", 3, 2, "1100", "736", "", ""),
    ("Vi Hương", "DA3.TDA2.ND1.CONGDONG", "dự án", 2, 2, "736", "700", "", ""),
    ("Nguyên Phúc", "DA3.TDA2.ND1.CONGDONG", "dự án", 2, 1, "738", "368", "", ""),
    ("Đôn Phong", "DA3.TDA2.ND1.CONGDONG", "dự án", 2, 1, "735", "300", "", ""),
    ("Lục Bình", "DA3.TDA2.ND1.CONGDONG", "dự án", 3, 1, "1100", "367", "", ""),
    ("Tân Tú", "DA3.TDA2.ND1.CONGDONG", "dự án", 2, 0, "830", "0", "", ""),
    ("Dương Phong", "DA3.TDA2.ND1.CONGDONG", "dự án", 2, 0, "700", "0", "", ""),
    ("Quang Thuận", "DA3.TDA2.ND1.CONGDONG", "dự án", 3, 0, "1054", "0", "", ""),
    # Dự án 4: maintenance (vốn sự nghiệp), 16 công trình / 2.629, 7 / 807,463
    ("Vi Hương", "DA4.TDA1.DTBD", "công trình", 2, 2, "310", "298,5", "", ""),
    ("Mỹ Thanh", "DA4.TDA1.DTBD", "công trình", 2, 2, "305", "290,2", "", ""),
    ("Sĩ Bình", "DA4.TDA1.DTBD", "công trình", 3, 1, "480", "95,263", "", ""),
    ("Vũ Muộn", "DA4.TDA1.DTBD", "công trình", 3, 1, "470", "68,5", "", ""),
    ("Quân Hà", "DA4.TDA1.DTBD", "công trình", 2, 1, "320", "55", "", ""),
    ("Cẩm Giàng", "DA4.TDA1.DTBD", "công trình", 2, 0, "330", "0", "", ""),
    ("TT Phủ Thông", "DA4.TDA1.DTBD", "công trình", 2, 0, "414", "0", "", ""),
    # investment (vốn đầu tư), 36 công trình / 14.302, 16 / 6.606
    ("huyện", "DA4.TDA1.ND1", "công trình", 6, 2, "4302", "1006", "dtpt", ""),
    ("Vi Hương", "DA4.TDA1.ND1", "công trình", 3, 3, "1000", "800", "", ""),
    ("Lục Bình", "DA4.TDA1.ND1", "công trình", 3, 3, "1000", "1000", "", ""),
    *[(u, "DA4.TDA1.ND1", "công trình", 3, 1, "1000", "475", "", "")
      for u in ["TT Phủ Thông", "Sĩ Bình", "Vũ Muộn", "Đôn Phong", "Tân Tú", "Nguyên Phúc",
                "Cao Sơn", "Mỹ Thanh"]],
    # Dự án 8: money only, 1.066,4 / 133,77
    ("Vũ Muộn", "DA8", "", None, None, "95", "38", "", ""),
    ("Vi Hương", "DA8", "", None, None, "90", "30,6", "", ""),
    ("Lục Bình", "DA8", "", None, None, "100", "0", "", ""),
    ("Cao Sơn", "DA8", "", None, None, "98", "0", "", ""),
    ("TT Phủ Thông", "DA8", "", None, None, "120", "11", "", ""),
    ("Sĩ Bình", "DA8", "", None, None, "110", "15", "", ""),
    ("Đôn Phong", "DA8", "", None, None, "60", "9,17", "sn", "nstw"),
    ("Đôn Phong", "DA8", "", None, None, "42", "0", "sn", "nsdp"),
    ("Quân Hà", "DA8", "", None, None, "105", "12", "", ""),
    ("Cẩm Giàng", "DA8", "", None, None, "96,4", "10", "", ""),
    ("Dương Phong", "DA8", "", None, None, "80", "6", "", ""),
    ("huyện", "DA8", "", None, None, "70", "2", "", ""),
]


def trieu_to_vnd(text: str) -> int:
    """"807,463" (triệu đồng, Vietnamese notation) -> 807463000 đồng, exactly."""
    return int(Decimal(text.replace(".", "").replace(",", ".")) * 1_000_000)


def tidy(rows, period: str = "2024-06") -> pd.DataFrame:
    """A tidy table (spec §4.1 columns and dtypes) from tuples as in :data:`H1_ROWS`."""
    records = []
    for i, (unit, line, mu, pq, dq, plan, disb, cap, src) in enumerate(rows, start=2):
        code = CODE[unit]
        records.append({
            "period": period, "unit_code": code, "unit_name": UNIT_NAMES[code], "line_code": line,
            "capital_type": cap, "budget_source": src, "measure_unit": mu,
            "plan_qty": np.nan if pq is None else float(pq), "done_qty": np.nan if dq is None else float(dq),
            "plan_vnd": trieu_to_vnd(plan), "disbursed_vnd": trieu_to_vnd(disb),
            "source_file": f"{period}/hand-built.xlsx", "source_sheet": unit, "source_row": i, "note": "",
        })
    frame = pd.DataFrame.from_records(records, columns=TIDY_COLUMNS)
    return frame.astype({
        "period": "string", "unit_code": "string", "unit_name": "string", "line_code": "string",
        "capital_type": "string", "budget_source": "string", "measure_unit": "string",
        "plan_qty": "float64", "done_qty": "float64", "plan_vnd": "int64", "disbursed_vnd": "int64",
        "source_file": "string", "source_sheet": "string", "source_row": "int64", "note": "string",
    })


def h1_frame() -> pd.DataFrame:
    """2024-06 as the notice tells it."""
    return tidy(H1_ROWS, "2024-06")


def q3_frame() -> pd.DataFrame:
    """A 2024-09 table: 2024-06 plus, in Sĩ Bình, 2 houses and 88 triệu disbursed, and in
    Quang Thuận a community-project plan raised from 1.054 to 1.154 triệu đồng."""
    rows = []
    for row in H1_ROWS:
        unit, line = row[0], row[1]
        if (unit, line) == ("Sĩ Bình", "DA1.ND2"):
            row = (*row[:4], 2, row[5], "88", *row[7:])
        if (unit, line) == ("Quang Thuận", "DA3.TDA2.ND1.CONGDONG"):
            row = (*row[:5], "1154", *row[6:])
        rows.append(row)
    return tidy(rows, "2024-09")
