"""Write the shipped sample workbooks under data/raw/<period>/ (2024-06, 2024-09, 2024-12, 2025-06,
2025-12, 2025-EXT).

One workbook per period, as a district office would collect them: an instructions sheet
("Hướng dẫn") followed by one report sheet per unit of huyện Bạch Thông (14 communes and the
town, plus the district level "Cấp huyện"), in the commune workbook format of the shared spec
(../shared/spec/README.md §3.1).

2025 crosses the reorganisation of 2025-07-01 (spec §2.1, data/raw/units.csv): 2025-06 is reported
by the old communes and town of Bạch Thông; 2025-12 and 2025-EXT (the year-end window, capital
disbursed until 31/01/2026) by the five communes of tỉnh Thái Nguyên that succeeded them. Every 2025
sheet splits capital by budget year ("Vốn năm 2025" beside "Vốn năm 2024 kéo dài", spec §3.1): what
2024 left undisbursed on works, houses and production projects is carried over into 2025. Xã Phong
Quang also took in a commune outside the old district; its figures include that commune's part
(OUTSIDE). All of 2025 is ILLUSTRATIVE.

The split of the 2024-06 figures over units is ILLUSTRATIVE. It is written below as an explicit
table (H1_SPLIT) chosen so that:
  * the district totals of every line are exactly those of the inspection notice for the first half
    of 2024 (../shared/spec/figures-2024-H1.md);
  * every statement the notice makes about named communes holds (which communes disbursed, which
    reached 100%, which did not disburse, which have the highest rates).
These conditions are asserted (check_h1) before anything is written.

2024-09 and 2024-12 are year-to-date cumulative continuations: a few explicit plan adjustments
(PLAN_CHANGES), forest-protection lines from 2024-09 (FOREST), and progress drawn from a
fixed-seed generator; done quantities and disbursements never fall, never exceed the plan, and
about nine tenths of the plan is disbursed by the end of the year (asserted in check_periods).

The sheets vary the way real commune reports do (money unit, text numbers in Vietnamese notation,
capital-type split columns, total row at the top or bottom, column-number row, label styles);
the layout of each unit is in SHEETS.

The output is deterministic: no clock, no locale, fixed seed, fixed document timestamps and fixed
zip entry timestamps, so running it twice gives byte-identical files.

    python scripts/make_sample_data.py [--out DIR]     (default: data/raw of this repository)
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import re
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

# The committed workbooks were written by openpyxl's own XML writer; with lxml installed (python-docx
# brings it) openpyxl would write the same workbooks with other bytes. Byte-identical output needs
# the same writer everywhere.
os.environ.setdefault("OPENPYXL_LXML", "False")
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, Side  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
YEAR_2024 = ("2024-06", "2024-09", "2024-12")
YEAR_2025 = ("2025-06", "2025-12", "2025-EXT")
PERIODS = YEAR_2024 + YEAR_2025
FILE_NAMES = {
    "2024-06": "bao-cao-mtqg-6-thang-2024.xlsx",
    "2024-09": "bao-cao-mtqg-9-thang-2024.xlsx",
    "2024-12": "bao-cao-mtqg-nam-2024.xlsx",
    "2025-06": "bao-cao-mtqg-6-thang-2025.xlsx",
    "2025-12": "bao-cao-mtqg-nam-2025.xlsx",
    "2025-EXT": "bao-cao-mtqg-nam-2025-giai-ngan-den-31-01-2026.xlsx",
}
PERIOD_LABELS = {"2024-06": "6 tháng đầu năm 2024", "2024-09": "9 tháng năm 2024", "2024-12": "năm 2024",
                 "2025-06": "6 tháng đầu năm 2025", "2025-12": "năm 2025",
                 "2025-EXT": "năm 2025 (giải ngân đến 31/01/2026)"}
# Fixed document dates (the day each period's consolidation was made); also used in the zip entries.
DOC_DATES = {
    "2024-06": dt.datetime(2024, 7, 5, 8, 0, 0),
    "2024-09": dt.datetime(2024, 10, 7, 8, 0, 0),
    "2024-12": dt.datetime(2025, 1, 10, 8, 0, 0),
    "2025-06": dt.datetime(2025, 6, 27, 8, 0, 0),
    "2025-12": dt.datetime(2026, 1, 9, 8, 0, 0),
    "2025-EXT": dt.datetime(2026, 2, 6, 8, 0, 0),
}
SEED = 1719

# --------------------------------------------------------------------------------------------
# Units (codes and names as in data/raw/units.csv).
# --------------------------------------------------------------------------------------------
UNIT_NAMES = {
    "01969": "Thị trấn Phủ Thông",
    "01975": "Vi Hương",
    "01978": "Sĩ Bình",
    "01981": "Vũ Muộn",
    "01984": "Đôn Phong",
    "01990": "Lục Bình",
    "01993": "Tân Tú",
    "01999": "Nguyên Phúc",
    "02002": "Cao Sơn",
    "02005": "Quân Hà",
    "02008": "Cẩm Giàng",
    "02011": "Mỹ Thanh",
    "02014": "Dương Phong",
    "02017": "Quang Thuận",
    "063": "Cấp huyện",
}
CODE = {name: code for code, name in UNIT_NAMES.items()}

# --------------------------------------------------------------------------------------------
# Catalog lines used (codes from catalog.csv), their physical unit and capital type.
# --------------------------------------------------------------------------------------------
LEAVES = {
    "DA1.ND2": ("nhà", "dtpt"),
    "DA1.ND4.PT": ("téc", "sn"),
    "DA3.TDA1": ("ha", "sn"),
    "DA3.TDA2.ND1.CHUOI": ("dự án", "sn"),
    "DA3.TDA2.ND1.CONGDONG": ("dự án", "sn"),
    "DA4.TDA1.ND1": ("công trình", "dtpt"),
    "DA4.TDA1.DTBD": ("công trình", "sn"),
    "DA8": (None, "sn"),  # money only: no quantities
}
# The part of the catalog the sheets show, in report order: (code, children).
TREE = [
    ("DA1", [("DA1.ND2", []), ("DA1.ND4", [("DA1.ND4.PT", [])])]),
    ("DA3", [("DA3.TDA1", []),
             ("DA3.TDA2", [("DA3.TDA2.ND1", [("DA3.TDA2.ND1.CHUOI", []), ("DA3.TDA2.ND1.CONGDONG", [])])])]),
    ("DA4", [("DA4.TDA1", [("DA4.TDA1.ND1", []), ("DA4.TDA1.DTBD", [])])]),
    ("DA8", []),
]
# Row labels: (full code words, short code words, name). The name is the catalog name.
LABELS = {
    "DA1": ("Dự án 1", "DA1", "Giải quyết tình trạng thiếu đất ở, nhà ở, đất sản xuất, nước sinh hoạt"),
    "DA1.ND2": ("Nội dung số 02", "ND 02", "Hỗ trợ nhà ở"),
    "DA1.ND4": ("Nội dung số 04", "ND 04", "Hỗ trợ nước sinh hoạt"),
    "DA1.ND4.PT": (None, None, "Hỗ trợ nước sinh hoạt phân tán"),
    "DA3": ("Dự án 3", "DA3", "Phát triển sản xuất nông, lâm nghiệp bền vững, phát huy tiềm năng, thế mạnh "
            "của các vùng miền để sản xuất hàng hóa theo chuỗi giá trị"),
    "DA3.TDA1": ("Tiểu dự án 1", "TDA 1", "Phát triển kinh tế nông, lâm nghiệp bền vững gắn với bảo vệ rừng "
                 "và nâng cao thu nhập cho người dân"),
    "DA3.TDA2": ("Tiểu dự án 2", "TDA 2", "Hỗ trợ phát triển sản xuất theo chuỗi giá trị, vùng trồng dược liệu "
                 "quý, thúc đẩy khởi sự kinh doanh, khởi nghiệp và thu hút đầu tư vùng đồng bào dân tộc thiểu "
                 "số và miền núi"),
    "DA3.TDA2.ND1": ("Nội dung số 01", "ND 01", "Hỗ trợ phát triển sản xuất theo chuỗi giá trị"),
    "DA3.TDA2.ND1.CHUOI": (None, None, "Dự án phát triển sản xuất theo chuỗi giá trị"),
    "DA3.TDA2.ND1.CONGDONG": (None, None, "Dự án hỗ trợ phát triển sản xuất cộng đồng"),
    "DA4": ("Dự án 4", "DA4", "Đầu tư cơ sở hạ tầng thiết yếu, phục vụ sản xuất, đời sống trong vùng đồng bào "
            "dân tộc thiểu số và miền núi và các đơn vị sự nghiệp công lập của lĩnh vực dân tộc"),
    "DA4.TDA1": ("Tiểu dự án 1", "TDA 1", "Đầu tư cơ sở hạ tầng thiết yếu, phục vụ sản xuất, đời sống trong "
                 "vùng đồng bào dân tộc thiểu số và miền núi"),
    "DA4.TDA1.ND1": ("Nội dung số 01", "ND 01", "Đầu tư cơ sở hạ tầng thiết yếu vùng đồng bào dân tộc thiểu số "
                     "và miền núi"),
    "DA4.TDA1.DTBD": (None, None, "Duy tu, bảo dưỡng công trình cơ sở hạ tầng"),
    "DA8": ("Dự án 8", "DA8", "Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ "
            "và trẻ em"),
}

# --------------------------------------------------------------------------------------------
# 2024-06: the illustrative split of the notice's district figures over units.
# One row per unit and line: (line, plan qty, plan, done qty, disbursed). Amounts in triệu đồng.
# DA8 is measured in money only (quantities None).
# --------------------------------------------------------------------------------------------
H1_SPLIT = {
    "Thị trấn Phủ Thông": [
        ("DA1.ND4.PT",             4,    "12",     4,    "12"),
        ("DA4.TDA1.ND1",           3,  "1180",     1,   "380"),
        ("DA4.TDA1.DTBD",          2,   "414",     0,     "0"),
        ("DA8",                 None,   "120",  None,    "11"),
    ],
    "Vi Hương": [
        ("DA1.ND2",                4,   "178",     3,   "132"),
        ("DA3.TDA2.ND1.CONGDONG",  2,   "736",     2,   "700"),
        ("DA4.TDA1.ND1",           3,  "1150",     3,  "1020"),
        ("DA4.TDA1.DTBD",          2,   "310",     2,   "298.5"),
        ("DA8",                 None,    "90",  None,    "30.6"),
    ],
    "Sĩ Bình": [
        ("DA1.ND2",                6,   "266",     0,     "0"),
        ("DA1.ND4.PT",             7,    "21",     7,    "21"),
        ("DA3.TDA2.ND1.CHUOI",     1,   "935",     0,     "0"),
        ("DA4.TDA1.ND1",           2,   "820",     1,   "400"),
        ("DA4.TDA1.DTBD",          3,   "480",     1,    "95.263"),
        ("DA8",                 None,   "110",  None,    "15"),
    ],
    "Vũ Muộn": [
        ("DA1.ND4.PT",            14,    "42.5",   0,     "0"),
        ("DA4.TDA1.ND1",           2,   "820",     1,   "310"),
        ("DA4.TDA1.DTBD",          3,   "470",     1,    "68.5"),
        ("DA8",                 None,    "95",  None,    "38"),
    ],
    "Đôn Phong": [
        ("DA1.ND2",                3,   "131",     0,     "0"),
        ("DA3.TDA2.ND1.CHUOI",     2,  "1820",     1,   "919"),
        ("DA3.TDA2.ND1.CONGDONG",  2,   "735",     1,   "300"),
        ("DA4.TDA1.ND1",           3,  "1100",     1,   "380"),
        ("DA8",                 None,   "102",  None,     "9.17"),
    ],
    "Lục Bình": [
        ("DA1.ND2",                6,   "266",     3,   "132"),
        ("DA1.ND4.PT",             5,    "15",     5,    "15"),
        ("DA3.TDA2.ND1.CONGDONG",  3,  "1100",     1,   "367"),
        ("DA4.TDA1.ND1",           3,  "1120",     3,  "1010"),
        ("DA8",                 None,   "100",  None,     "0"),
    ],
    "Tân Tú": [
        ("DA1.ND2",                5,   "222",     2,    "88"),
        ("DA1.ND4.PT",             6,    "18",     6,    "18"),
        ("DA3.TDA2.ND1.CONGDONG",  2,   "830",     0,     "0"),
        ("DA4.TDA1.ND1",           2,   "760",     1,   "330"),
    ],
    "Nguyên Phúc": [
        ("DA1.ND2",                5,   "222",     2,    "88"),
        ("DA1.ND4.PT",             6,    "18",     6,    "18"),
        ("DA3.TDA2.ND1.CONGDONG",  2,   "738",     1,   "368"),
        ("DA4.TDA1.ND1",           2,   "780",     1,   "350"),
    ],
    "Cao Sơn": [
        ("DA1.ND4.PT",             5,    "15",     5,    "15"),
        ("DA3.TDA2.ND1.CONGDONG",  3,  "1104",     2,   "736"),
        ("DA4.TDA1.ND1",           3,  "1090",     1,   "300"),
        ("DA8",                 None,    "98",  None,     "0"),
    ],
    "Quân Hà": [
        ("DA1.ND2",                5,   "222",     0,     "0"),
        ("DA4.TDA1.ND1",           3,  "1060",     0,   "180"),
        ("DA4.TDA1.DTBD",          2,   "320",     1,    "55"),
        ("DA8",                 None,   "105",  None,    "12"),
    ],
    "Cẩm Giàng": [
        ("DA1.ND2",                4,   "178",     0,     "0"),
        ("DA4.TDA1.ND1",           2,   "800",     1,   "360"),
        ("DA4.TDA1.DTBD",          2,   "330",     0,     "0"),
        ("DA8",                 None,    "96.4", None,   "10"),
    ],
    "Mỹ Thanh": [
        ("DA1.ND2",                4,   "178",     2,    "88"),
        ("DA1.ND4.PT",            16,    "48.5",   0,     "0"),
        ("DA4.TDA1.ND1",           2,   "650",     0,   "250"),
        ("DA4.TDA1.DTBD",          2,   "305",     2,   "290.2"),
    ],
    "Dương Phong": [
        ("DA1.ND2",                4,   "178",     2,    "88"),
        ("DA1.ND4.PT",             5,    "15",     5,    "15"),
        ("DA3.TDA2.ND1.CONGDONG",  2,   "700",     0,     "0"),
        ("DA4.TDA1.ND1",           2,   "750",     0,   "286"),
        ("DA8",                 None,    "80",  None,     "6"),
    ],
    "Quang Thuận": [
        ("DA1.ND4.PT",             6,    "18",     6,    "18"),
        ("DA3.TDA2.ND1.CHUOI",     1,   "925",     0,     "0"),
        ("DA3.TDA2.ND1.CONGDONG",  3,  "1050",     0,     "0"),
    ],
    "Cấp huyện": [
        ("DA3.TDA2.ND1.CHUOI",     1,   "870",     0,     "0"),
        ("DA4.TDA1.ND1",           4,  "2222",     2,  "1050"),
        ("DA8",                 None,    "70",  None,     "2"),
    ],
}

# The notice's district figures (figures-2024-H1.md): line -> (plan qty, plan, done qty, disbursed).
NOTICE_H1 = {
    "DA1.ND2": (46, "2041", 14, "616"),
    "DA1.ND4.PT": (74, "223", 44, "132"),
    "DA3.TDA2.ND1.CHUOI": (5, "4550", 1, "919"),
    "DA3.TDA2.ND1.CONGDONG": (19, "6993", 7, "2471"),
    "DA4.TDA1.DTBD": (16, "2629", 7, "807.463"),
    "DA4.TDA1.ND1": (36, "14302", 16, "6606"),
    "DA8": (None, "1066.4", None, "133.77"),
}
NOTICE_TOTAL = ("31804.4", "11685.233")

# Forest protection (DA3.TDA1): contracts signed in H1 without figures; some sheets list the line
# with every number cell blank in 2024-06 (no data), the others omit it.
H1_BLANK_FOREST = ("Sĩ Bình", "Cao Sơn", "Quang Thuận")
# From 2024-09: unit -> (ha, plan in triệu đồng). Nothing disbursed until 2024-12 (acceptance in Q4).
FOREST = {
    "Sĩ Bình": (283, "120.395"),
    "Vũ Muộn": (120, "45.784"),
    "Cao Sơn": (180, "76.5"),
    "Dương Phong": (201, "74.856"),
    "Quang Thuận": (250, "106.25"),
    "Vi Hương": (150, "63.9"),
}
# Plan adjustments: (period, unit, line) -> (new plan qty, new plan in triệu đồng).
PLAN_CHANGES = {
    ("2024-09", "Cao Sơn", "DA3.TDA2.ND1.CONGDONG"): (4, "1472"),    # one more project assigned
    ("2024-09", "Cấp huyện", "DA4.TDA1.ND1"): (5, "2650"),           # one more work assigned
    ("2024-12", "Quân Hà", "DA4.TDA1.ND1"): (3, "985.6"),            # savings after tendering
    ("2024-12", "Quang Thuận", "DA3.TDA2.ND1.CHUOI"): (1, "880"),    # lowered by decision
}

# Slips of the kind real sheets carry, so that the data-quality checks (quality.csv, the report's
# data-quality section) have something to find: a project subtotal typed wrong and a stated rate
# left from an earlier draft. Neither touches a data row, so every published total stays exact.
# Amounts are in nghìn đồng.
SLIPS = {
    ("2024-06", "Nguyên Phúc", "DA3"): {"plan_delta": 50_000},
    ("2024-09", "Quân Hà", "DA1.ND2"): {"rate": 12.5},
}

NOTES = {
    ("2024-06", "Thị trấn Phủ Thông", "DA4.TDA1.DTBD"): "Đang lựa chọn nhà thầu",
    ("2024-06", "Vi Hương", "DA4.TDA1.DTBD"): "Đã hoàn thành 02/02 công trình",
    ("2024-06", "Mỹ Thanh", "DA4.TDA1.DTBD"): "Đã hoàn thành 02/02 công trình",
    ("2024-06", "Mỹ Thanh", "DA1.ND4.PT"): "Chưa giải ngân, đang lựa chọn nhà cung cấp",
    ("2024-06", "Vũ Muộn", "DA1.ND4.PT"): "Chưa giải ngân",
    ("2024-06", "Đôn Phong", "DA3.TDA2.ND1.CHUOI"): "Đã giải ngân 01 dự án",
    ("2024-06", "Tân Tú", "DA3.TDA2.ND1.CONGDONG"): "Đang hoàn thiện hồ sơ dự án",
    ("2024-06", "Quân Hà", "DA4.TDA1.ND1"): "Tạm ứng hợp đồng",
    ("2024-06", "Mỹ Thanh", "DA4.TDA1.ND1"): "Tạm ứng hợp đồng",
    ("2024-06", "Dương Phong", "DA4.TDA1.ND1"): "Tạm ứng hợp đồng",
    ("2024-06", "Lục Bình", "DA8"): "Chưa giải ngân",
    ("2024-06", "Cao Sơn", "DA8"): "Chưa giải ngân",
    ("2024-06", "Sĩ Bình", "DA1.ND2"): "Các hộ đang xây dựng",
    ("2024-06", "Quân Hà", "DA1.ND2"): "Các hộ đang xây dựng",
    ("2024-09", "Cao Sơn", "DA3.TDA2.ND1.CONGDONG"): "Điều chỉnh tăng kế hoạch, bổ sung 01 dự án",
    ("2024-09", "Cấp huyện", "DA4.TDA1.ND1"): "Bổ sung 01 công trình",
    ("2024-09", "Vi Hương", "DA4.TDA1.DTBD"): "Đã hoàn thành, chờ quyết toán",
    ("2024-12", "Quân Hà", "DA4.TDA1.ND1"): "Điều chỉnh giảm kế hoạch do tiết kiệm sau đấu thầu",
    ("2024-12", "Quang Thuận", "DA3.TDA2.ND1.CHUOI"): "Điều chỉnh giảm kế hoạch",
    ("2024-12", "Cao Sơn", "DA3.TDA1"): "Đã nghiệm thu",
    ("2024-12", "Sĩ Bình", "DA3.TDA1"): "Đã nghiệm thu",
}
for _unit in H1_BLANK_FOREST:
    NOTES[("2024-06", _unit, "DA3.TDA1")] = "Đã ký hợp đồng khoán bảo vệ rừng, dự kiến nghiệm thu, giải ngân quý IV"
for _unit in FOREST:
    NOTES.setdefault(("2024-09", _unit, "DA3.TDA1"), "Dự kiến nghiệm thu, giải ngân quý IV")

# --------------------------------------------------------------------------------------------
# Layout of each unit's sheet (the same in every period).
#   money: "trieu" | "nghin" | "dong" and the cell text; text: amounts as Vietnamese-notation text;
#   split: "Vốn ĐTPT" / "Vốn sự nghiệp" sub-columns; total: "top" | "bottom"; colnum: column-number row;
#   labels: "full" (Dự án 1: ...), "short" (DA1: ...), "name" (names only); messy: line breaks and
#   non-breaking spaces in labels, as pasted from Word.
# --------------------------------------------------------------------------------------------
def _layout(sheet, title, money="trieu", money_text="Đơn vị tính: triệu đồng", text=False, split=False,
            total="top", colnum=False, labels="full", messy=False, label_header="Nội dung",
            qty_header="Số lượng", plan_header="Kế hoạch vốn giao", done_header="Lũy kế giải ngân từ đầu năm",
            total_label="TỔNG CỘNG"):
    return dict(sheet=sheet, title=title, money=money, money_text=money_text, text=text, split=split,
                total=total, colnum=colnum, labels=labels, messy=messy, label_header=label_header,
                qty_header=qty_header, plan_header=plan_header, done_header=done_header,
                total_label=total_label)


SHEETS = {
    "Thị trấn Phủ Thông": _layout("TT Phủ Thông", "UBND THỊ TRẤN PHỦ THÔNG", total="bottom",
                                  total_label="Tổng cộng"),
    "Vi Hương": _layout("Xã Vi Hương", "UBND XÃ VI HƯƠNG", colnum=True, label_header="Nội dung, dự án"),
    "Sĩ Bình": _layout("X. Sỹ Bình", "UBND XÃ SỸ BÌNH", money="nghin", money_text="ĐVT: nghìn đồng",
                       total="bottom", labels="short", qty_header="Khối lượng"),
    "Vũ Muộn": _layout("Vũ Muộn", "UBND XÃ VŨ MUỘN", text=True, colnum=True, labels="short",
                       label_header="Tên dự án, nội dung"),
    "Đôn Phong": _layout("Đôn Phong", "UBND XÃ ĐÔN PHONG", split=True, total="bottom",
                         plan_header="Kế hoạch vốn giao năm 2024"),
    "Lục Bình": _layout("X. Lục Bình", "UBND XÃ LỤC BÌNH", labels="short"),
    "Tân Tú": _layout("Tân Tú", "UBND XÃ TÂN TÚ", total="bottom", colnum=True),
    "Nguyên Phúc": _layout("Xã Nguyên Phúc", "UBND XÃ NGUYÊN PHÚC", money="dong",
                           money_text="Đơn vị tính: đồng", label_header="Nội dung, dự án"),
    "Cao Sơn": _layout("Cao Sơn", "UBND XÃ CAO SƠN", text=True, split=True, total="bottom", colnum=True,
                       labels="short", qty_header="Khối lượng"),
    "Quân Hà": _layout("Quân Hà", "UBND XÃ QUÂN HÀ", labels="name", plan_header="KH vốn giao năm 2024",
                       done_header="Thực hiện, giải ngân lũy kế từ đầu năm"),
    "Cẩm Giàng": _layout("Cẩm Giàng", "UBND XÃ CẨM GIÀNG", total="bottom", colnum=True, messy=True),
    "Mỹ Thanh": _layout("X. Mỹ Thanh", "UBND XÃ MỸ THANH", total_label="Tổng cộng"),
    "Dương Phong": _layout("Dương Phong", "UBND XÃ DƯƠNG PHONG", money_text="(Đơn vị tính: triệu đồng)",
                           total="bottom", labels="short"),
    "Quang Thuận": _layout("Quang Thuận", "UBND XÃ QUANG THUẬN", colnum=True, label_header="Nội dung, dự án",
                           qty_header="Khối lượng"),
    "Cấp huyện": _layout("Cấp huyện", "UBND HUYỆN BẠCH THÔNG", split=True, colnum=True,
                         label_header="Nội dung, dự án"),
}
SHEET_ORDER = [UNIT_NAMES[c] for c in sorted(UNIT_NAMES) if c != "063"] + ["Cấp huyện"]

INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN BIỂU BÁO CÁO",
    "Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi "
    "(Quyết định số 1719/QĐ-TTg), huyện Bạch Thông.",
    "1. Mỗi đơn vị (xã, thị trấn, cấp huyện) báo cáo trên một trang tính riêng, tên trang tính là tên đơn vị.",
    "2. Khối lượng thực hiện và vốn giải ngân là số lũy kế từ đầu năm đến hết kỳ báo cáo.",
    "3. Ghi rõ đơn vị tiền (triệu đồng, nghìn đồng hoặc đồng) ở dòng phía trên bảng.",
    "4. Dòng dự án, tiểu dự án, nội dung là dòng cộng của các dòng chi tiết bên dưới.",
    "5. Tỷ lệ giải ngân (%) = vốn giải ngân lũy kế / kế hoạch vốn giao x 100.",
    "Lưu ý: số liệu theo từng đơn vị trong tệp này là số liệu minh họa.",
]

# --------------------------------------------------------------------------------------------
# Amounts are handled as integers in thousandths of a triệu đồng (= nghìn đồng): exact.
# --------------------------------------------------------------------------------------------
def milli(text: str) -> int:
    value = Decimal(text) * 1000
    assert value == value.to_integral_value(), f"more than 3 decimals in triệu đồng: {text}"
    return int(value)


def rate(done: int, plan: int) -> Decimal | None:
    if not plan:
        return None
    return (Decimal(done) * 100 / Decimal(plan)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def build_h1():
    """{unit: {line: [plan_qty, plan, done_qty, disbursed]}} for 2024-06 (amounts in nghìn đồng)."""
    data = {}
    for unit, rows in H1_SPLIT.items():
        lines = data.setdefault(unit, {})
        for line, pq, plan, dq, disb in rows:
            assert line not in lines, (unit, line)
            lines[line] = [pq, milli(plan), dq, milli(disb)]
    return data


def check_h1(data):
    """Assert the 2024-06 split reproduces the notice (figures-2024-H1.md)."""
    assert set(data) == set(UNIT_NAMES.values()), "every unit appears"
    assert all(data[u] for u in data)
    for line, (pq, plan, dq, disb) in NOTICE_H1.items():
        rows = [v[line] for v in data.values() if line in v]
        if pq is None:
            assert all(r[0] is None and r[2] is None for r in rows), line
        else:
            assert sum(r[0] for r in rows) == pq, (line, "plan qty")
            assert sum(r[2] for r in rows) == dq, (line, "done qty")
        assert sum(r[1] for r in rows) == milli(plan), (line, "plan")
        assert sum(r[3] for r in rows) == milli(disb), (line, "disbursed")
    for unit, lines in data.items():
        for line, (pq, plan, dq, disb) in lines.items():
            assert 0 <= disb <= plan and plan > 0, (unit, line)
            assert pq is None or 0 <= dq <= pq, (unit, line)

    def with_plan(line):
        return {u: v[line] for u, v in data.items() if line in v}

    def units(line, pred):
        return {u for u, r in with_plan(line).items() if pred(r)}

    # Housing: disbursed in exactly these six; all others with a plan have done 0 and disbursed 0.
    housing = {"Tân Tú", "Lục Bình", "Nguyên Phúc", "Mỹ Thanh", "Dương Phong", "Vi Hương"}
    assert units("DA1.ND2", lambda r: r[3] > 0) == housing
    assert all(r[2] == 0 and r[3] == 0 for u, r in with_plan("DA1.ND2").items() if u not in housing)
    # Water tanks: 100% in exactly these eight, none in Mỹ Thanh and Vũ Muộn, nobody else planned.
    full = {"Tân Tú", "Lục Bình", "Nguyên Phúc", "Sĩ Bình", "Cao Sơn", "Dương Phong", "Quang Thuận",
            "Thị trấn Phủ Thông"}
    assert units("DA1.ND4.PT", lambda r: r[3] == r[1] and r[2] == r[0]) == full
    assert units("DA1.ND4.PT", lambda r: r[3] == 0) == {"Mỹ Thanh", "Vũ Muộn"}
    assert set(with_plan("DA1.ND4.PT")) == full | {"Mỹ Thanh", "Vũ Muộn"}
    # Value chain: the one disbursed project is in Đôn Phong.
    assert units("DA3.TDA2.ND1.CHUOI", lambda r: r[3] > 0) == {"Đôn Phong"}
    assert units("DA3.TDA2.ND1.CHUOI", lambda r: r[2] > 0) == {"Đôn Phong"}
    # Community production: disbursed in exactly these five.
    assert units("DA3.TDA2.ND1.CONGDONG", lambda r: r[3] > 0) == {"Cao Sơn", "Vi Hương", "Nguyên Phúc",
                                                                  "Đôn Phong", "Lục Bình"}
    # Maintenance: Vi Hương and Mỹ Thanh finished all their works, nobody else did.
    assert units("DA4.TDA1.DTBD", lambda r: r[2] == r[0]) == {"Vi Hương", "Mỹ Thanh"}
    # DA8: highest rates Vũ Muộn and Vi Hương; not disbursed exactly Lục Bình and Cao Sơn.
    da8 = with_plan("DA8")
    ranked = sorted(da8, key=lambda u: Decimal(da8[u][3]) / da8[u][1], reverse=True)
    assert set(ranked[:2]) == {"Vũ Muộn", "Vi Hương"}
    assert Decimal(da8[ranked[1]][3]) / da8[ranked[1]][1] > Decimal(da8[ranked[2]][3]) / da8[ranked[2]][1]
    assert units("DA8", lambda r: r[3] == 0) == {"Lục Bình", "Cao Sơn"}
    # Overall: Vi Hương and Lục Bình have the best rates; the district level stays below them.
    overall = {u: Decimal(sum(r[3] for r in v.values())) / sum(r[1] for r in v.values()) for u, v in data.items()}
    ranked = sorted(overall, key=overall.get, reverse=True)
    assert set(ranked[:2]) == {"Vi Hương", "Lục Bình"}, ranked
    assert overall[ranked[1]] > overall[ranked[2]]
    # Totals of the lines with figures.
    assert sum(r[1] for v in data.values() for r in v.values()) == milli(NOTICE_TOTAL[0])
    assert sum(r[3] for v in data.values() for r in v.values()) == milli(NOTICE_TOTAL[1])


def _done_qty(line, plan_qty, done_prev, disb, plan):
    """Done quantity that follows the disbursement, never falling.

    Projects count once they have disbursed anything (rounded up); houses, tanks and works count
    when paid in full (rounded down).
    """
    if plan_qty is None:
        return None
    if disb >= plan:
        q = plan_qty
    elif LEAVES[line][0] == "dự án":
        q = -((-plan_qty * disb) // plan)
    else:
        q = (plan_qty * disb) // plan
    return max(done_prev, min(plan_qty, q))


def build_periods(h1):
    """{period: {unit: {line: [plan_qty, plan, done_qty, disbursed]}}} for the three periods of 2024."""
    rng = random.Random(SEED)
    periods = {"2024-06": h1}
    # Plans per period (carry forward, apply changes, add forest lines from 2024-09).
    plans = {"2024-06": {u: {ln: (r[0], r[1]) for ln, r in v.items()} for u, v in h1.items()}}
    for prev, period in zip(YEAR_2024, YEAR_2024[1:]):
        cur = {u: dict(v) for u, v in plans[prev].items()}
        if period == "2024-09":
            for unit, (ha, plan) in FOREST.items():
                cur[unit]["DA3.TDA1"] = (ha, milli(plan))
        for (p, unit, line), (qty, plan) in PLAN_CHANGES.items():
            if p == period:
                assert line in cur[unit], (p, unit, line)
                cur[unit][line] = (qty, milli(plan))
        plans[period] = cur
    # Year-end targets and the share of the remaining way done by 2024-09, drawn in a fixed order.
    targets = {}
    for unit in sorted(plans["2024-12"]):
        for line in sorted(plans["2024-12"][unit]):
            full, level, share = rng.random(), rng.random(), rng.random()
            target = Decimal(1) if full < 0.2 else Decimal("0.74") + Decimal("0.22") * Decimal(f"{level:.4f}")
            if line == "DA1.ND4.PT":
                target = Decimal(1)  # every planned tank delivered by the end of the year
            targets[(unit, line)] = (target, Decimal("0.30") + Decimal("0.35") * Decimal(f"{share:.4f}"))
    for prev, period in zip(YEAR_2024, YEAR_2024[1:]):
        out = {}
        for unit, lines in plans[period].items():
            for line, (pq, plan) in lines.items():
                before = periods[prev].get(unit, {}).get(line, [pq, plan, 0 if pq is not None else None, 0])
                final_plan = plans["2024-12"][unit][line][1]
                target, share = targets[(unit, line)]
                final = max(before[3], int((target * final_plan).to_integral_value(ROUND_HALF_UP)))
                if line == "DA3.TDA1":
                    disb = 0 if period == "2024-09" else final  # acceptance and payment in Q4
                elif period == "2024-09":
                    disb = before[3] + int((share * (final - before[3])).to_integral_value(ROUND_HALF_UP))
                else:
                    disb = final
                disb = min(disb, plan)
                if line == "DA3.TDA1" and period == "2024-12":
                    dq = pq  # the whole contracted area accepted
                else:
                    dq = _done_qty(line, pq, before[2], disb, plan)
                out.setdefault(unit, {})[line] = [pq, plan, dq, disb]
        periods[period] = out
    return periods


def check_periods(periods):
    for prev, period in zip(YEAR_2024, YEAR_2024[1:]):
        for unit, lines in periods[period].items():
            for line, (pq, plan, dq, disb) in lines.items():
                assert 0 <= disb <= plan, (period, unit, line)
                assert pq is None or 0 <= dq <= pq, (period, unit, line)
                if line in periods[prev].get(unit, {}):
                    b = periods[prev][unit][line]
                    assert disb >= b[3], (period, unit, line, "disbursed falls")
                    assert pq is None or dq >= b[2], (period, unit, line, "done falls")
                    assert disb <= plan, (period, unit, line)
            assert set(periods[prev][unit]) <= set(lines), (period, unit, "a line disappeared")
    for period in YEAR_2024:
        assert set(periods[period]) == set(UNIT_NAMES.values())
    year = periods["2024-12"]
    total_plan = sum(r[1] for v in year.values() for r in v.values())
    total_disb = sum(r[3] for v in year.values() for r in v.values())
    assert Decimal("0.85") <= Decimal(total_disb) / total_plan <= Decimal("0.95"), total_disb / total_plan
    assert all(r[3] == 0 for v in periods["2024-09"].values() for ln, r in v.items() if ln == "DA3.TDA1")
    assert all(r[3] > 0 for v in year.values() for ln, r in v.items() if ln == "DA3.TDA1")


# --------------------------------------------------------------------------------------------
# 2025: across the reorganisation of 2025-07-01, with 2024 capital carried over (ILLUSTRATIVE).
# A 2025 record is [plan qty, plan, done qty, disbursed, carried plan, carried disbursed]: plan and
# disbursed are totals; the carried-over part (capital of 2024) is the last two values, the rest is
# 2025's own capital. Quantities belong to the line (they stand on the own-year row, spec §4.1).
# --------------------------------------------------------------------------------------------
# Lines whose unspent 2024 capital is extended into 2025 (works, houses, production projects);
# the others' leftovers lapse.
CARRY_LINES = ("DA1.ND2", "DA3.TDA2.ND1.CHUOI", "DA3.TDA2.ND1.CONGDONG", "DA4.TDA1.ND1", "DA4.TDA1.DTBD")
# The five communes of tỉnh Thái Nguyên from 2025-07-01 (codes and names as in data/raw/units.csv)
# and the old units whose history each takes (their first successor).
NEW_UNITS = {
    "01969": ("Phủ Thông", ["Thị trấn Phủ Thông", "Vi Hương", "Lục Bình", "Tân Tú"]),
    "01981": ("Vĩnh Thông", ["Sĩ Bình", "Vũ Muộn", "Cao Sơn"]),
    "02008": ("Cẩm Giàng", ["Nguyên Phúc", "Quân Hà", "Cẩm Giàng", "Mỹ Thanh"]),
    "02014": ("Bạch Thông", ["Dương Phong", "Quang Thuận"]),
    "01849": ("Phong Quang", ["Đôn Phong"]),
}
# Xã Phong Quang also took in a commune from outside huyện Bạch Thông: its part of the 2025 plan
# (line -> plan qty, own plan, carried plan in triệu đồng), reported from 2025-12 only.
OUTSIDE = {"01849": {"DA1.ND2": (3, "133.5", "44.5"), "DA4.TDA1.ND1": (2, "760", "190"),
                     "DA8": (None, "85", "0")}}
NEW_SHEETS = {
    "Phủ Thông": _layout("Phủ Thông", "UBND XÃ PHỦ THÔNG", total="bottom", total_label="Tổng cộng",
                         plan_header="Kế hoạch vốn năm 2025"),
    "Vĩnh Thông": _layout("Vĩnh Thông", "UBND XÃ VĨNH THÔNG", money="nghin", money_text="ĐVT: nghìn đồng",
                          labels="short", qty_header="Khối lượng", colnum=True),
    "Cẩm Giàng": _layout("X. Cẩm Giàng", "UBND XÃ CẨM GIÀNG", text=True, colnum=True, label_header="Nội dung, dự án"),
    "Bạch Thông": _layout("Bạch Thông", "UBND XÃ BẠCH THÔNG", total="bottom", labels="short",
                          done_header="Thực hiện, giải ngân lũy kế từ đầu năm"),
    "Phong Quang": _layout("Xã Phong Quang", "UBND XÃ PHONG QUANG", labels="name", qty_header="Khối lượng"),
}
CAPITAL_YEAR_HEADERS = ("Vốn năm 2025", "Vốn năm 2024 kéo dài")
NOTES.update({
    ("2025-06", "Vi Hương", "DA4.TDA1.ND1"): "Vốn năm 2024 kéo dài: đang thi công",
    ("2025-06", "Quân Hà", "DA1.ND2"): "Các hộ đang xây dựng",
    ("2025-12", "Phong Quang", "DA1.ND2"): "Gồm kế hoạch của xã ngoài huyện Bạch Thông cũ sáp nhập từ 01/07/2025",
    ("2025-12", "Phủ Thông", "DA4.TDA1.ND1"): "Tiếp nhận công trình của các xã cũ từ 01/07/2025",
    ("2025-EXT", "Cẩm Giàng", "DA4.TDA1.ND1"): "Giải ngân đến 31/01/2026",
})


def _share(rng, low: str, high: str) -> Decimal:
    return Decimal(low) + (Decimal(high) - Decimal(low)) * Decimal(f"{rng.random():.4f}")


def _part(amount: int, share: Decimal) -> int:
    return int((share * amount).to_integral_value(ROUND_HALF_UP))


def build_2025(year_2024):
    """{period: {unit: {line: record}}} for 2025-06 (old units), 2025-12 and 2025-EXT (the five new
    communes), from the 2024 year-end figures: plans of 2025 drawn around those of 2024, and the
    2024 leftovers of CARRY_LINES carried over. Fixed seed, drawn in a fixed order."""
    rng = random.Random(SEED + 2025)
    h1 = {}
    for unit in sorted(year_2024):
        if unit == "Cấp huyện":
            continue  # the district's own projects are not reported separately in 2025 (illustrative)
        for line in sorted(year_2024[unit]):
            pq, plan24, dq24, disb24 = year_2024[unit][line]
            factor = _share(rng, "0.85", "1.15")
            own = _part(plan24, factor) // 100 * 100  # whole 0,1 triệu đồng
            qty = None if pq is None else max(1, int((factor * pq).to_integral_value(ROUND_HALF_UP)))
            carried = plan24 - disb24 if line in CARRY_LINES else 0
            own_done = _part(own, _share(rng, "0.12", "0.45"))
            carried_done = _part(carried, _share(rng, "0.35", "0.85"))
            h1.setdefault(unit, {})[line] = [qty, own + carried, None, own_done + carried_done, carried, carried_done]
    for unit, lines in h1.items():
        for line, r in lines.items():
            r[2] = _done_qty(line, r[0], 0, r[3] - r[5], r[1] - r[4])
    year_end = {}
    for code in sorted(NEW_UNITS):
        name, old = NEW_UNITS[code]
        merged: dict[str, list] = {}
        for unit in old:
            for line, r in h1[unit].items():
                m = merged.setdefault(line, [None if r[0] is None else 0, 0, None, 0, 0, 0])
                if r[0] is not None:
                    m[0] += r[0]
                m[1] += r[1]
                m[4] += r[4]
        for line, (qty, own, carried) in OUTSIDE.get(code, {}).items():
            m = merged.setdefault(line, [None if qty is None else 0, 0, None, 0, 0, 0])
            if qty is not None:
                m[0] += qty
            m[1] += milli(own) + milli(carried)
            m[4] += milli(carried)
        before = {line: [sum(h1[u][line][i] for u in old if line in h1[u]) for i in (3, 5)] for line in merged}
        for line in sorted(merged):
            m = merged[line]
            own_plan, carried_plan = m[1] - m[4], m[4]
            own_before, carried_before = before[line]
            own_done = max(own_before, _part(own_plan, _share(rng, "0.70", "0.93")))
            carried_done = max(carried_before, _part(carried_plan, _share(rng, "0.90", "1.00")))
            m[3], m[5] = own_done + carried_done, carried_done
            done_before = sum(h1[u][line][2] for u in old if line in h1[u] and h1[u][line][2] is not None)
            m[2] = _done_qty(line, m[0], done_before, own_done, own_plan)
        year_end[name] = merged
    extended = {}
    for name in sorted(year_end):
        for line in sorted(year_end[name]):
            qty, plan, done, disb, carried_plan, carried_done = year_end[name][line]
            own_plan, own_done = plan - carried_plan, disb - carried_done
            own_done = min(own_plan, own_done + _part(own_plan - own_done, _share(rng, "0.30", "0.75")))
            # Carried-over capital may not be disbursed after 31/12 of the year it was extended into.
            extended.setdefault(name, {})[line] = [qty, plan, _done_qty(line, qty, done, own_done, own_plan),
                                                   own_done + carried_done, carried_plan, carried_done]
    return {"2025-06": h1, "2025-12": year_end, "2025-EXT": extended}


def check_2025(year_2024, periods):
    """Assert the 2025 figures: carried-over plans are the 2024 leftovers of CARRY_LINES; no
    amount exceeds its plan; year-to-date values never fall, with the old units under their
    successors; carried-over capital is not disbursed after 2025-12."""
    for unit, lines in periods["2025-06"].items():
        for line, r in lines.items():
            left = year_2024[unit][line][1] - year_2024[unit][line][3]
            assert r[4] == (left if line in CARRY_LINES else 0), (unit, line)
    for period in YEAR_2025:
        for unit, lines in periods[period].items():
            for line, (pq, plan, dq, disb, cplan, cdisb) in lines.items():
                assert 0 <= cdisb <= cplan <= plan and 0 <= disb - cdisb <= plan - cplan, (period, unit, line)
                assert pq is None or 0 <= dq <= pq, (period, unit, line)
    for code, (name, old) in NEW_UNITS.items():
        for line, r in periods["2025-12"][name].items():
            olds = [periods["2025-06"][u][line] for u in old if line in periods["2025-06"][u]]
            assert r[3] >= sum(o[3] for o in olds) and r[5] >= sum(o[5] for o in olds), (name, line)
            e = periods["2025-EXT"][name][line]
            assert e[3] >= r[3] and e[5] == r[5] and e[1] == r[1], (name, line)
    assert set(periods["2025-12"]) == {name for name, _ in NEW_UNITS.values()}
    assert any(r[4] for v in periods["2025-12"].values() for r in v.values())


# --------------------------------------------------------------------------------------------
# Writing the sheets.
# --------------------------------------------------------------------------------------------
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def vi_number(value: Decimal) -> str:
    """Vietnamese notation: "." groups thousands, "," is the decimal mark, no trailing zeros."""
    if value == 0:
        return "-"
    text = f"{value.normalize():f}"
    integer, _, decimals = text.partition(".")
    groups = f"{int(integer):,}".replace(",", ".")
    return groups + ("," + decimals if decimals else "")


def money_cell(amount: int, layout) -> object:
    """A cell value for an amount in nghìn đồng, in the sheet's money unit and notation."""
    if layout["money"] == "trieu":
        value = Decimal(amount) / 1000
    elif layout["money"] == "nghin":
        value = Decimal(amount)
    else:
        value = Decimal(amount) * 1000
    if layout["text"]:
        return vi_number(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def qty_cell(qty, layout):
    if qty is None:
        return None
    if layout["text"]:
        return "-" if qty == 0 else str(qty)
    return qty


def rate_cell(done, plan, layout):
    r = rate(done, plan)
    if r is None:
        return None
    if layout["text"]:
        return "0" if r == 0 else vi_number(r)
    return int(r) if r == r.to_integral_value() else float(r)


def label(code, layout):
    full, short, name = LABELS[code]
    words = {"full": full, "short": short, "name": None}[layout["labels"]]
    if not words:
        text = name
    else:
        text = f"{words}: {name}"
    if layout["messy"]:
        text = (f"{words}:\n{name}" if words else name).replace(" ", "  ", 1) + "\u00a0"
    return text


def sheet_rows(lines, blank_lines, layout):
    """The body rows of one unit: list of dicts (stt, code, leaf, values...), in report order."""
    present = set(lines) | set(blank_lines)
    rows = []

    def leaves_below(node):
        code, children = node
        if not children:
            return [code] if code in present else []
        return [c for child in children for c in leaves_below(child)]

    def visit(node, depth, index):
        code, children = node
        below = leaves_below(node)
        if not below:
            return False
        stt = [ROMAN[index], str(index + 1), "abcdefgh"[index], "-"][depth]
        data = [lines[c] for c in below if c in lines]
        plan = sum(r[1] for r in data)
        disb = sum(r[3] for r in data)
        split = _split_sums({c: lines[c] for c in below if c in lines})
        row = dict(stt=stt, code=code, leaf=not children, blank=code in blank_lines, plan=plan, disb=disb,
                   split=split, qty=(lines[code][0], lines[code][2]) if code in lines else (None, None))
        rows.append(row)
        i = 0
        for child in children:
            if visit(child, depth + 1, i):
                i += 1
        return True

    i = 0
    for node in TREE:
        if visit(node, 0, i):
            i += 1
    return rows


def _splits(code, record):
    """{split column: (plan, disbursed)} of one line: by budget year for a 2025 record (the year's
    own capital and the capital carried over from 2024), else by the line's capital type."""
    if len(record) > 4:
        return {"own": (record[1] - record[4], record[3] - record[5]), "carried": (record[4], record[5])}
    return {ct: (record[1], record[3]) if LEAVES[code][1] == ct else (0, 0) for ct in ("dtpt", "sn")}


def _split_sums(lines):
    """The split columns summed over ``lines`` ({code: record})."""
    sums = {}
    for code, record in lines.items():
        for key, (plan, disb) in _splits(code, record).items():
            old = sums.get(key, (0, 0))
            sums[key] = (old[0] + plan, old[1] + disb)
    return sums or {"dtpt": (0, 0), "sn": (0, 0)}


def write_sheet(ws, unit, lines, blank_lines, period, layout):
    by_year = any(len(r) > 4 for r in lines.values())  # 2025: split by budget year, not capital type
    split = layout["split"] or by_year
    split_columns = (("own", CAPITAL_YEAR_HEADERS[0]), ("carried", CAPITAL_YEAR_HEADERS[1])) if by_year else (
        ("dtpt", "Vốn ĐTPT"), ("sn", "Vốn sự nghiệp"))
    # Columns.
    c_stt, c_label, c_unit = 1, 2, 3
    width = 4 if split else 2
    c_plan0 = 4
    c_done0 = c_plan0 + width
    c_rate = c_done0 + width
    c_note = c_rate + 1
    ncols = c_note
    money_col = c_rate

    ws.cell(1, 1, layout["title"]).font = BOLD
    ws.cell(2, 1, "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH MTQG PHÁT TRIỂN KT-XH VÙNG ĐỒNG BÀO DTTS&MN "
                  + PERIOD_LABELS[period].upper()).font = BOLD
    ws.cell(3, 1, f"(Kỳ báo cáo: {PERIOD_LABELS[period]}, số liệu lũy kế từ đầu năm)")
    ws.cell(4, money_col, layout["money_text"]).font = Font(italic=True)

    h1, h2 = 5, 6
    for col, text in ((c_stt, "STT"), (c_label, layout["label_header"]), (c_unit, "Đơn vị tính"),
                      (c_rate, "Tỷ lệ giải ngân (%)"), (c_note, "Ghi chú")):
        ws.cell(h1, col, text)
        ws.merge_cells(start_row=h1, start_column=col, end_row=h2, end_column=col)
    ws.cell(h1, c_plan0, layout["plan_header"])
    ws.merge_cells(start_row=h1, start_column=c_plan0, end_row=h1, end_column=c_plan0 + width - 1)
    ws.cell(h1, c_done0, layout["done_header"])
    ws.merge_cells(start_row=h1, start_column=c_done0, end_row=h1, end_column=c_done0 + width - 1)
    subs = [layout["qty_header"], "Tổng số"] + ([header for _, header in split_columns] if split else [])
    for j, text in enumerate(subs):
        ws.cell(h2, c_plan0 + j, text)
        ws.cell(h2, c_done0 + j, text)
    for r in (h1, h2):
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            cell.font = BOLD
            cell.alignment = CENTER
            cell.border = BORDER
    row = h2 + 1
    if layout["colnum"]:
        for c in range(1, ncols + 1):
            cell = ws.cell(row, c, f"({c})")
            cell.alignment = CENTER
            cell.border = BORDER
            cell.font = Font(italic=True)
        row += 1

    body = sheet_rows(lines, blank_lines, layout)
    total_plan = sum(r[1] for r in lines.values())
    total_disb = sum(r[3] for r in lines.values())
    total_split = _split_sums(lines)

    def write_amounts(r, plan, disb, splits):
        ws.cell(r, c_plan0 + 1, money_cell(plan, layout))
        ws.cell(r, c_done0 + 1, money_cell(disb, layout))
        if split:
            for j, (key, _) in enumerate(split_columns):
                ws.cell(r, c_plan0 + 2 + j, money_cell(splits.get(key, (0, 0))[0], layout))
                ws.cell(r, c_done0 + 2 + j, money_cell(splits.get(key, (0, 0))[1], layout))
        ws.cell(r, c_rate, rate_cell(disb, plan, layout))

    def write_total(r):
        ws.cell(r, c_label, layout["total_label"])
        write_amounts(r, total_plan, total_disb, total_split)
        for c in range(1, ncols + 1):
            ws.cell(r, c).font = BOLD

    if layout["total"] == "top":
        write_total(row)
        row += 1
    for item in body:
        ws.cell(row, c_stt, item["stt"]).alignment = CENTER
        ws.cell(row, c_label, label(item["code"], layout)).alignment = WRAP
        if not item["leaf"]:
            for c in (c_stt, c_label):
                ws.cell(row, c).font = BOLD
        if item["blank"]:
            ws.cell(row, c_unit, LEAVES[item["code"]][0])
        else:
            if item["leaf"]:
                ws.cell(row, c_unit, LEAVES[item["code"]][0])
                pq, dq = item["qty"]
                ws.cell(row, c_plan0, qty_cell(pq, layout))
                ws.cell(row, c_done0, qty_cell(dq, layout))
            slip = SLIPS.get((period, unit, item["code"]), {})
            write_amounts(row, item["plan"] + slip.get("plan_delta", 0), item["disb"], item["split"])
            if "rate" in slip:
                ws.cell(row, c_rate, slip["rate"])
        note = NOTES.get((period, unit, item["code"]))
        if note:
            ws.cell(row, c_note, note).alignment = WRAP
        row += 1
    if layout["total"] == "bottom":
        write_total(row)
        row += 1
    for r in range(h2 + 1, row):
        for c in range(1, ncols + 1):
            ws.cell(r, c).border = BORDER

    widths = {c_stt: 6, c_label: 60, c_unit: 11, c_rate: 12, c_note: 30}
    for c in range(1, ncols + 1):
        ws.column_dimensions[_col(c)].width = widths.get(c, 13)


def _col(c):
    from openpyxl.utils import get_column_letter
    return get_column_letter(c)


INSTRUCTIONS_NEW = [
    "HƯỚNG DẪN ĐIỀN BIỂU BÁO CÁO",
    "Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi "
    "(Quyết định số 1719/QĐ-TTg), các xã thuộc tỉnh Thái Nguyên (theo địa giới hành chính từ 01/07/2025).",
    "1. Mỗi xã báo cáo trên một trang tính riêng, tên trang tính là tên xã.",
    "2. Khối lượng thực hiện và vốn giải ngân là số lũy kế từ đầu năm đến hết kỳ báo cáo.",
    "3. Vốn năm 2025 và vốn năm 2024 kéo dài sang năm 2025 ghi ở hai cột riêng; cột Tổng số là tổng hai cột.",
    "4. Báo cáo năm (giải ngân đến 31/01/2026): vốn năm 2024 kéo dài chỉ được giải ngân đến 31/12/2025.",
    "Lưu ý: số liệu theo từng đơn vị trong tệp này là số liệu minh họa.",
]


def workbook_bytes(period, data) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Hướng dẫn"
    new_units = period in ("2025-12", "2025-EXT")  # reported by the communes of tỉnh Thái Nguyên
    for i, text in enumerate(INSTRUCTIONS_NEW if new_units else INSTRUCTIONS, start=1):
        ws.cell(i, 1, text)
    ws["A1"].font = BOLD
    ws.column_dimensions["A"].width = 110
    if new_units:
        for unit in [NEW_UNITS[c][0] for c in NEW_UNITS]:
            write_sheet(wb.create_sheet(NEW_SHEETS[unit]["sheet"]), unit, data[unit], [], period, NEW_SHEETS[unit])
    for unit in [] if new_units else [u for u in SHEET_ORDER if u in data]:
        layout = SHEETS[unit]
        blank = [l for l in ("DA3.TDA1",) if period == "2024-06" and unit in H1_BLANK_FOREST]
        write_sheet(wb.create_sheet(layout["sheet"]), unit, data[unit], blank, period, layout)
    stamp = DOC_DATES[period]
    office = "UBND tỉnh Thái Nguyên" if new_units else "UBND huyện Bạch Thông"
    wb.properties.creator = office
    wb.properties.lastModifiedBy = office
    wb.properties.title = f"Báo cáo Chương trình MTQG 1719 - {PERIOD_LABELS[period]}"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return _normalise_zip(buffer.getvalue(), stamp)


def _normalise_zip(raw: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite the package with fixed entry timestamps and the fixed modified date.

    openpyxl stamps docProps/core.xml with the current time on save and zip entries get the
    current local time; both are replaced so the bytes depend on the content only.
    """
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + iso.encode() + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def build():
    h1 = build_h1()
    check_h1(h1)
    periods = build_periods(h1)
    check_periods(periods)
    periods.update(build_2025(periods["2024-12"]))
    check_2025(periods["2024-12"], periods)
    return periods


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "data" / "raw",
                        help="raw data folder to write <period>/ subfolders into (default: data/raw)")
    args = parser.parse_args(argv)
    periods = build()
    for period in PERIODS:
        folder = args.out / period
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FILE_NAMES[period]
        path.write_bytes(workbook_bytes(period, periods[period]))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
