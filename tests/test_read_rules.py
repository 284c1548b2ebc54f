"""Spec §3.1 (commune workbook) and §3.2 (tidy CSV), one test per rule.

Each test writes a tiny real workbook or CSV into a temporary ``data/raw/2024-09/`` and runs
``build_period``; it then looks at the processed table and ``quality.csv`` as an analyst would.
"""
from __future__ import annotations

import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from mtqg_analysis.store import build_period, load_period, processed_dir
from workbook_builder import (COLUMNS_1, COLUMNS_2, COLUMNS_3, COLUMNS_SPLIT, DONE, PERIOD, PLAN, Cell, Sheet,
                              TextSheet, first_data_row)

TAN_TU = "01993"
HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, None)
LAND = ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, "62,41", 1, "50", None, None)
PROJECT_1 = ("I", "Dự án 1: Giải quyết tình trạng thiếu đất ở, nhà ở", None, None, "400", None, "150", None, None)


def build(data_dir) -> pd.DataFrame:
    build_period(PERIOD, data_dir)
    return load_period(PERIOD, data_dir, rebuild="never")


def quality(data_dir) -> pd.DataFrame:
    return pd.read_csv(processed_dir(PERIOD, data_dir) / "quality.csv", dtype=str, keep_default_na=False)


def findings(data_dir, check: str) -> pd.DataFrame:
    q = quality(data_dir)
    return q[q["check"] == check]


def one(tidy: pd.DataFrame, line: str, unit: str = TAN_TU, capital: str = "") -> pd.Series:
    capitals = tidy["capital_type"].fillna("")  # missing where the report does not split
    sel = tidy[(tidy["unit_code"] == unit) & (tidy["line_code"] == line) & (capitals == capital)]
    assert len(sel) == 1, f"{unit} {line} {capital!r}:\n{tidy.to_string()}"
    return sel.iloc[0]


def dong(text: str, multiplier: int) -> int:
    return int((Decimal(text) * multiplier).to_integral_value(rounding=ROUND_HALF_UP))


# --- header ---------------------------------------------------------------------------------------
def test_header_two_merged_rows_is_read(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[PROJECT_1, HOUSING, LAND], columns=COLUMNS_2))
    tidy = build(data_dir)
    assert sorted(tidy["line_code"]) == ["DA1.ND1", "DA1.ND2"]
    housing = one(tidy, "DA1.ND2")
    assert (housing["plan_qty"], housing["done_qty"]) == (7.0, 3.0)
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)
    assert housing["measure_unit"] == "nhà"


def test_header_three_merged_rows_is_read(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[PROJECT_1, HOUSING, LAND], columns=COLUMNS_3))
    tidy = build(data_dir)
    housing = one(tidy, "DA1.ND2")
    assert (housing["plan_qty"], housing["done_qty"]) == (7.0, 3.0)
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)


def test_header_one_row_is_read(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], columns=COLUMNS_1, number_row=None))
    housing = one(build(data_dir), "DA1.ND2")
    assert (housing["plan_qty"], housing["done_qty"]) == (7.0, 3.0)
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)


def test_header_unmerged_parent_cells_are_read(data_dir, make_workbook):
    """The parent heading typed only above the first column of its group, without merging."""
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], merge=False))
    housing = one(build(data_dir), "DA1.ND2")
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)


@pytest.mark.parametrize("order", [
    ["note", "stt", "label", "unit", "plan_qty", "plan", "done_qty", "disbursed", "rate"],
    ["stt", "label", "unit", "done_qty", "disbursed", "plan_qty", "plan", "note", "rate"],
    ["stt", "label", "note", "disbursed", "done_qty", "plan", "plan_qty", "unit"],
], ids=["note_first", "done_group_before_plan_group", "shuffled"])
def test_columns_in_any_order(data_dir, make_workbook, order):
    columns = dict(COLUMNS_2)
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, "ghi chú")
    make_workbook("a.xlsx", Sheet(rows=[row], columns=[(k, columns[k]) for k in order]))
    housing = one(build(data_dir), "DA1.ND2")
    assert (housing["plan_qty"], housing["done_qty"]) == (7.0, 3.0)
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)
    assert (housing["measure_unit"], housing["note"]) == ("nhà", "ghi chú")


@pytest.mark.parametrize("plan_group, done_group, qty, plan_amount, done_amount", [
    ("Kế hoạch vốn giao", "Thực hiện, giải ngân", "Khối lượng", "Tổng số", "Giải ngân"),
    ("KH vốn giao năm 2024", "Lũy kế giải ngân từ đầu năm", "Số lượng", "Tổng", "Tổng"),
    ("Vốn giao", "Lũy kế thực hiện", "KL", "Vốn", "Đã giải ngân"),
    ("Kế hoạch vốn", "Luỹ kế giải ngân từ đầu năm", "SL", "Tổng số", "Tổng số"),
])
def test_header_word_variants(data_dir, make_workbook, plan_group, done_group, qty, plan_amount, done_amount):
    columns = [("stt", ["STT"]), ("label", ["Nội dung"]), ("unit", ["ĐVT"]),
               ("plan_qty", [plan_group, qty]), ("plan", [plan_group, plan_amount]),
               ("done_qty", [done_group, qty]), ("disbursed", [done_group, done_amount])]
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], columns=columns))
    housing = one(build(data_dir), "DA1.ND2")
    assert (housing["plan_qty"], housing["done_qty"]) == (7.0, 3.0)
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)


@pytest.mark.parametrize("style", ["paren", "plain"])
def test_column_number_row_is_skipped(data_dir, make_workbook, style):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], number_row=style))
    tidy = build(data_dir)
    assert list(tidy["line_code"]) == ["DA1.ND2"]
    assert one(tidy, "DA1.ND2")["source_row"] == first_data_row(Sheet(rows=[HOUSING], number_row=style))


# --- money unit -------------------------------------------------------------------------------------
@pytest.mark.parametrize("line, multiplier", [
    ("Đơn vị tính: đồng", 1),
    ("ĐVT: đồng", 1),
    ("(Đơn vị tính: đồng)", 1),
    ("Đơn vị tính: nghìn đồng", 1_000),
    ("ĐVT: ngàn đồng", 1_000),
    ("Đơn vị: triệu đồng", 1_000_000),
    ("ĐVT: tr.đ", 1_000_000),
    ("(ĐVT: Tr.đồng)", 1_000_000),
    ("Đơn vị tính: tỷ đồng", 1_000_000_000),
])
def test_money_unit_line_converts_to_dong(data_dir, make_workbook, line, multiplier):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "1.066,4", 3, "807,463", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row], money_unit=line))
    housing = one(build(data_dir), "DA1.ND2")
    assert housing["plan_vnd"] == dong("1066.4", multiplier)
    assert housing["disbursed_vnd"] == dong("807.463", multiplier)


def test_money_unit_default_is_trieu_dong(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], money_unit=None))
    housing = one(build(data_dir), "DA1.ND2")
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)


# --- numbers ----------------------------------------------------------------------------------------
def test_numeric_cells_are_taken_as_they_are(data_dir, make_workbook):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, 337.59, 3.0, 100, None, None)
    make_workbook("a.xlsx", Sheet(rows=[row]))
    housing = one(build(data_dir), "DA1.ND2")
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)
    assert (housing["plan_qty"], housing["done_qty"]) == (7.0, 3.0)


@pytest.mark.parametrize("text, trieu", [("2.041", "2041"), ("807,463", "807.463"), ("1.066,4", "1066.4"),
                                         ("1.234.567", "1234567"), ("0,5", "0.5")])
def test_text_numbers_use_vietnamese_notation(data_dir, make_workbook, text, trieu):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", "7", text, "3", text, None, None)
    make_workbook("a.xlsx", Sheet(rows=[row]))
    housing = one(build(data_dir), "DA1.ND2")
    assert housing["plan_vnd"] == housing["disbursed_vnd"] == dong(trieu, 1_000_000)


@pytest.mark.parametrize("dash", ["-", "–", " - "])
def test_dash_means_zero(data_dir, make_workbook, dash):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", dash, dash, None, None)
    make_workbook("a.xlsx", Sheet(rows=[row]))
    housing = one(build(data_dir), "DA1.ND2")
    assert housing["disbursed_vnd"] == 0
    assert housing["done_qty"] == 0.0


@pytest.mark.parametrize("done", [None, "-", 0])
def test_quantity_not_reported_when_no_planned_quantity(data_dir, make_workbook, done):
    """A line measured only in money (Dự án 8): no planned quantity, so quantities are NaN."""
    row = ("VIII", "Dự án 8: Thực hiện bình đẳng giới", None, None, "120", done if done != 0 else None, "30", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row]))
    line = one(build(data_dir), "DA8")
    assert math.isnan(line["plan_qty"]) and math.isnan(line["done_qty"])
    assert (line["plan_vnd"], line["disbursed_vnd"]) == (120_000_000, 30_000_000)


@pytest.mark.parametrize("done", [None, "-", ""])
def test_done_quantity_blank_is_zero_when_plan_quantity_given(data_dir, make_workbook, done):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", done, "0", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row]))
    housing = one(build(data_dir), "DA1.ND2")
    assert housing["plan_qty"] == 7.0
    assert housing["done_qty"] == 0.0


# --- text ---------------------------------------------------------------------------------------------
def test_nfd_labels_are_matched(data_dir, make_workbook):
    label = unicodedata.normalize("NFD", "Nội dung số 02: Hỗ trợ nhà ở")
    assert label != unicodedata.normalize("NFC", label)
    row = ("1", label, unicodedata.normalize("NFD", "nhà"), 7, "337,59", 3, "100", None,
           unicodedata.normalize("NFD", "đã hoàn thành"))
    make_workbook("a.xlsx", Sheet(rows=[row], name=unicodedata.normalize("NFD", "Tân Tú")))
    housing = one(build(data_dir), "DA1.ND2")
    assert housing["measure_unit"] == "nhà"
    assert housing["note"] == "đã hoàn thành"
    assert housing["unit_code"] == TAN_TU  # the NFD sheet name names the unit


def test_non_breaking_spaces_line_breaks_and_repeated_spaces_in_labels(data_dir, make_workbook):
    rows = [("I", "Dự\u00a0 án 1:\nGiải quyết tình trạng thiếu đất ở\u00a0", None, None, "400", None, "150", None, None),
            ("1", "Nội  dung\u00a0số 02:\r\nHỗ trợ   nhà ở\u00a0", "nhà\u00a0", 7, "337,59", 3, "100", None, None),
            ("2", "Nội dung số 01:\nHỗ trợ\nđất ở", "hộ", 4, "62,41", 1, "50", None, "  ghi\u00a0\nchú  ")]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy = build(data_dir)
    assert sorted(tidy["line_code"]) == ["DA1.ND1", "DA1.ND2"]
    assert one(tidy, "DA1.ND2")["measure_unit"] == "nhà"
    assert one(tidy, "DA1.ND1")["note"] == "ghi chú"


# --- labels: code words and context ------------------------------------------------------------------
@pytest.mark.parametrize("project, content", [
    ("Dự án 1", "Nội dung số 02"),
    ("DA1", "ND 02"),
    ("Dự án số 1: Giải quyết tình trạng thiếu đất ở", "NDS 02"),
    ("DA 1", "ND02: Hỗ trợ nhà ở"),
    ("dự án 1", "nội dung 2"),
])
def test_labels_with_code_words_are_matched(data_dir, make_workbook, project, content):
    rows = [("I", project, None, None, "337,59", None, "100", None, None),
            ("1", content, "nhà", 7, "337,59", 3, "100", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy = build(data_dir)
    assert list(tidy["line_code"]) == ["DA1.ND2"]


@pytest.mark.parametrize("project, subproject, content", [
    ("Dự án 3", "Tiểu dự án 2", "Nội dung số 01"),
    ("DA3", "TDA 2", "ND 01"),
    ("DA 3", "TDA2", "NDS 01"),
])
def test_subproject_code_words_are_matched(data_dir, make_workbook, project, subproject, content):
    rows = [("II", project, None, None, "848,43", None, "0", None, None),
            ("1", subproject, None, None, "848,43", None, "0", None, None),
            ("a", content, "dự án", 2, "848,43", 0, "0", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    assert list(build(data_dir)["line_code"]) == ["DA3.TDA2.ND1"]


def test_content_code_word_is_read_in_the_context_of_the_rows_above(data_dir, make_workbook):
    """"Nội dung số 01" under Dự án 4 / Tiểu dự án 1 is DA4.TDA1.ND1; under DA3 / TDA2, DA3.TDA2.ND1."""
    rows = [("II", "Dự án 3", None, None, "100", None, "10", None, None),
            ("1", "Tiểu dự án 2", None, None, "100", None, "10", None, None),
            ("a", "Nội dung số 01", "dự án", 1, "100", 0, "10", None, None),
            ("III", "Dự án 4", None, None, "200", None, "20", None, None),
            ("1", "Tiểu dự án 1", None, None, "200", None, "20", None, None),
            ("a", "Nội dung số 01", "công trình", 2, "200", 1, "20", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy = build(data_dir)
    assert one(tidy, "DA3.TDA2.ND1")["plan_vnd"] == 100_000_000
    assert one(tidy, "DA4.TDA1.ND1")["plan_vnd"] == 200_000_000
    assert len(tidy) == 2


def test_labels_without_code_words_are_matched_by_name(data_dir, make_workbook):
    rows = [("I", "Giải quyết tình trạng thiếu đất ở, nhà ở, đất sản xuất, nước sinh hoạt", None, None, "400",
             None, "150", None, None),
            ("1", "Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, None),
            ("2", "Hỗ trợ nước sinh hoạt", None, None, "62,41", None, "50", None, None),
            ("a", "Hỗ trợ nước sinh hoạt phân tán", "téc", 5, "62,41", 2, "50", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy = build(data_dir)
    assert sorted(tidy["line_code"]) == ["DA1.ND2", "DA1.ND4.PT"]


# --- totals, subtotals, "Trong đó" ----------------------------------------------------------------------
TOTAL = ("", "Tổng cộng", None, None, "400", None, "150", None, None)


@pytest.mark.parametrize("where", ["top", "bottom", "absent"])
def test_total_row_is_not_added_wherever_it_stands(data_dir, make_workbook, where):
    body = [HOUSING, LAND]
    rows = {"top": [TOTAL, *body], "bottom": [*body, TOTAL], "absent": body}[where]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy = build(data_dir)
    assert sorted(tidy["line_code"]) == ["DA1.ND1", "DA1.ND2"]
    assert tidy["plan_vnd"].sum() == 400_000_000
    assert tidy["disbursed_vnd"].sum() == 150_000_000
    assert findings(data_dir, "subtotal_mismatch").empty


@pytest.mark.parametrize("label", ["Tổng số", "Cộng", "Tổng", "TỔNG CỘNG"])
def test_total_row_words(data_dir, make_workbook, label):
    make_workbook("a.xlsx", Sheet(rows=[("", label, None, None, "400", None, "150", None, None), HOUSING, LAND]))
    tidy = build(data_dir)
    assert tidy["plan_vnd"].sum() == 400_000_000


def test_subtotal_row_is_not_added(data_dir, make_workbook):
    """A project row followed by its contents is a subtotal; a project row alone is data."""
    rows = [PROJECT_1, HOUSING, LAND, ("II", "Dự án 8", None, None, "120", None, "30", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy = build(data_dir)
    assert sorted(tidy["line_code"]) == ["DA1.ND1", "DA1.ND2", "DA8"]
    assert tidy["plan_vnd"].sum() == 520_000_000


def test_trong_do_rows_are_not_data(data_dir, make_workbook):
    rows = [HOUSING, ("", "Trong đó: hộ nghèo", "nhà", 5, "200", 2, "60", None, None),
            ("", "- Trong đó vốn đối ứng", None, None, "20", None, "5", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy = build(data_dir)
    assert list(tidy["line_code"]) == ["DA1.ND2"]
    assert one(tidy, "DA1.ND2")["plan_vnd"] == 337_590_000


@pytest.mark.parametrize("stated", ["500", "300"])
def test_subtotal_mismatch_is_a_quality_finding_not_an_error(data_dir, make_workbook, stated):
    project = ("I", "Dự án 1", None, None, stated, None, "150", None, None)
    make_workbook("a.xlsx", Sheet(rows=[project, HOUSING, LAND]))
    tidy = build(data_dir)
    assert tidy["plan_vnd"].sum() == 400_000_000
    found = findings(data_dir, "subtotal_mismatch")
    assert len(found) == 1
    assert found.iloc[0]["line_code"] == "DA1"
    assert found.iloc[0]["source_row"] == str(first_data_row(Sheet()))


def test_total_row_mismatch_is_a_quality_finding(data_dir, make_workbook):
    total = ("", "Tổng cộng", None, None, "999", None, "150", None, None)
    make_workbook("a.xlsx", Sheet(rows=[total, HOUSING, LAND]))
    build(data_dir)
    found = findings(data_dir, "subtotal_mismatch")
    assert len(found) == 1 and "total" in found.iloc[0]["message"]


# --- sheets and units ------------------------------------------------------------------------------------
def test_instructions_sheet_is_skipped(data_dir, make_workbook):
    make_workbook("a.xlsx", TextSheet(), Sheet(rows=[HOUSING]), TextSheet(name="Trống", lines=[]))
    tidy = build(data_dir)
    assert list(tidy["source_sheet"]) == ["Tân Tú"]


@pytest.mark.parametrize("sheet_name, code", [
    ("Tân Tú", "01993"), ("Xã Tân Tú", "01993"), ("X. Tân Tú", "01993"), ("XÃ TÂN TÚ", "01993"),
    ("UBND XÃ TÂN TÚ", "01993"), ("TT Phủ Thông", "01969"), ("TT. Phủ Thông", "01969"),
    ("Thị trấn Phủ Thông", "01969"), ("Cấp huyện", "063"), ("Sỹ Bình", "01978"),
])
def test_unit_by_sheet_name(data_dir, make_workbook, sheet_name, code):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], name=sheet_name, titles=["BIỂU TỔNG HỢP"]))
    tidy = build(data_dir)
    assert list(tidy["unit_code"]) == [code]


@pytest.mark.parametrize("title, code", [
    ("UBND XÃ TÂN TÚ", "01993"), ("Xã Tân Tú", "01993"), ("ỦY BAN NHÂN DÂN XÃ LỤC BÌNH", "01990"),
    ("TT Phủ Thông", "01969"), ("UBND THỊ TRẤN PHỦ THÔNG", "01969"), ("X. Vi Hương", "01975"),
])
def test_unit_by_title_cell_when_the_sheet_name_is_not_a_unit(data_dir, make_workbook, title, code):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], name="Sheet1", titles=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", title]))
    tidy = build(data_dir)
    assert list(tidy["unit_code"]) == [code]


# --- split columns ---------------------------------------------------------------------------------------
def test_capital_type_split_gives_one_row_per_non_empty_split(data_dir, make_workbook):
    rows = [{"stt": "1", "label": "Nội dung số 02: Hỗ trợ nhà ở", "unit": "nhà", "plan_qty": 7,
             "plan_dtpt": "300", "plan_sn": "37,59", "done_qty": 3, "done_dtpt": "100", "done_sn": "-"},
            {"stt": "2", "label": "Nội dung số 01: Hỗ trợ đất ở", "unit": "hộ", "plan_qty": 4,
             "plan_dtpt": "62,41", "plan_sn": None, "done_qty": 1, "done_dtpt": "50", "done_sn": "0"}]
    make_workbook("a.xlsx", Sheet(rows=rows, columns=COLUMNS_SPLIT))
    tidy = build(data_dir)
    assert list(zip(tidy["line_code"], tidy["capital_type"])) == [
        ("DA1.ND1", "dtpt"), ("DA1.ND2", "dtpt"), ("DA1.ND2", "sn")]
    dtpt, sn = one(tidy, "DA1.ND2", capital="dtpt"), one(tidy, "DA1.ND2", capital="sn")
    assert (dtpt["plan_vnd"], dtpt["disbursed_vnd"]) == (300_000_000, 100_000_000)
    assert (sn["plan_vnd"], sn["disbursed_vnd"]) == (37_590_000, 0)
    # Quantities belong to the line: on the first split only.
    assert (dtpt["plan_qty"], dtpt["done_qty"]) == (7.0, 3.0)
    assert math.isnan(sn["plan_qty"]) and math.isnan(sn["done_qty"])
    assert tidy["budget_source"].isna().all()  # no budget split: missing, not a blank label


def test_split_columns_beside_a_total_column_are_checked_against_it(data_dir, make_workbook):
    good = {"stt": "1", "label": "Nội dung số 02: Hỗ trợ nhà ở", "unit": "nhà", "plan_qty": 7, "plan": "337,59",
            "plan_dtpt": "300", "plan_sn": "37,59", "done_qty": 3, "disbursed": "100", "done_dtpt": "100",
            "done_sn": None}
    bad = {"stt": "2", "label": "Nội dung số 01: Hỗ trợ đất ở", "unit": "hộ", "plan_qty": 4, "plan": "70",
           "plan_dtpt": "62,41", "done_qty": 1, "disbursed": "50", "done_dtpt": "50"}
    make_workbook("a.xlsx", Sheet(rows=[good, bad], columns=COLUMNS_3))
    tidy = build(data_dir)
    assert one(tidy, "DA1.ND2", capital="sn")["plan_vnd"] == 37_590_000
    assert one(tidy, "DA1.ND1", capital="dtpt")["plan_vnd"] == 62_410_000
    found = findings(data_dir, "subtotal_mismatch")
    assert list(found["line_code"]) == ["DA1.ND1"]
    assert "Tổng số" in found.iloc[0]["message"]


# --- stated rate -------------------------------------------------------------------------------------------
RATE_COLUMNS = [*COLUMNS_2[:7], ("rate", ["Tỷ lệ giải ngân (%)"])]


@pytest.mark.parametrize("rate", ["30,43", "30,43%", 30.43, Cell(0.3043, "0.00%"), Cell(0.3043, "0%")],
                         ids=["text", "text_percent", "number", "fraction_percent_format", "fraction_0pct"])
def test_stated_rate_is_checked_against_the_computed_rate(data_dir, make_workbook, rate):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "100", 3, "30,43", rate, None)
    make_workbook("a.xlsx", Sheet(rows=[row], columns=RATE_COLUMNS))
    build(data_dir)
    assert findings(data_dir, "stated_rate_mismatch").empty


@pytest.mark.parametrize("rate", ["50", "50%", 0.3043, Cell(0.5, "0.00%")],
                         ids=["text", "text_percent", "fraction_without_percent_format", "fraction"])
def test_wrong_stated_rate_gives_a_stated_rate_mismatch_finding(data_dir, make_workbook, rate):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "100", 3, "30,43", rate, None)
    make_workbook("a.xlsx", Sheet(rows=[row], columns=RATE_COLUMNS))
    tidy = build(data_dir)
    assert one(tidy, "DA1.ND2")["disbursed_vnd"] == 30_430_000  # the rate never changes the amounts
    found = findings(data_dir, "stated_rate_mismatch")
    assert len(found) == 1
    assert found.iloc[0]["source_row"] == str(first_data_row(Sheet()))
    assert "30,43" in found.iloc[0]["message"] or "30.43" in found.iloc[0]["message"]


# --- files --------------------------------------------------------------------------------------------------
def test_several_files_and_several_sheets_in_a_period(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], name="Tân Tú"), Sheet(rows=[HOUSING], name="Lục Bình"))
    make_workbook("b.xlsm", Sheet(rows=[LAND], name="Vi Hương"))
    tidy = build(data_dir)
    assert sorted(zip(tidy["unit_code"], tidy["source_file"], tidy["source_sheet"])) == [
        ("01975", "2024-09/b.xlsm", "Vi Hương"), ("01990", "2024-09/a.xlsx", "Lục Bình"),
        ("01993", "2024-09/a.xlsx", "Tân Tú")]


def test_files_in_subfolders_are_read(data_dir, make_workbook):
    make_workbook("xa/tan-tu/bao-cao.xlsx", Sheet(rows=[HOUSING]))
    tidy = build(data_dir)
    assert list(tidy["source_file"]) == ["2024-09/xa/tan-tu/bao-cao.xlsx"]


def test_lock_files_and_hidden_files_are_skipped_other_files_are_named_not_read(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    folder = data_dir / "raw" / PERIOD
    (folder / "~$a.xlsx").write_bytes(b"\x00lock file of Excel")
    (folder / ".a.xlsx").write_bytes(b"not a workbook")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "b.xlsx").write_bytes(b"not a workbook")
    (folder / "ghi-chu.txt").write_text("Số liệu gửi ngày 30/9", encoding="utf-8")
    (folder / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0 old")
    tidy = build(data_dir)
    assert list(tidy["source_file"]) == ["2024-09/a.xlsx"]
    not_read = findings(data_dir, "file_not_read").set_index("source_file")["message"]
    assert sorted(not_read.index) == ["2024-09/cu.xls", "2024-09/ghi-chu.txt"]  # never silently dropped
    assert "not a report file" in not_read["2024-09/ghi-chu.txt"]
    assert "not an Excel or OpenDocument workbook" in not_read["2024-09/cu.xls"]


def test_a_folder_named_by_a_period_alias_is_read(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]), period="2024-9M")
    tidy = build(data_dir)
    assert list(tidy["source_file"]) == ["2024-9M/a.xlsx"]
    assert set(tidy["period"]) == {"2024-09"}


# --- tidy CSV (spec §3.2) -----------------------------------------------------------------------------------
VI_HEADER = ["Đơn vị", "Mã nội dung", "Loại vốn", "Nguồn vốn", "ĐVT", "KL kế hoạch", "Kế hoạch vốn",
             "KL thực hiện", "Giải ngân", "Ghi chú"]
EN_HEADER = ["unit", "line", "capital_type", "budget_source", "measure_unit", "plan_qty", "plan_amount",
             "done_qty", "disbursed_amount", "note"]
CSV_ROWS = [["Xã Tân Tú", "DA1.ND2", "", "", "nhà", "7", "337,59", "3", "100", "đã xong"],
            ["Lục Bình", "Hỗ trợ nhà ở", "ĐTPT", "", "nhà", "5", "1.066,4", "", "807,463", ""]]


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters with their vowel mark
    precomposed (ê, ơ, ư ...), tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            head = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((head + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


def check_csv_rows(tidy: pd.DataFrame, source: str = "2024-09/x.csv") -> None:
    housing = one(tidy, "DA1.ND2")
    assert (housing["plan_qty"], housing["done_qty"]) == (7.0, 3.0)
    assert (housing["plan_vnd"], housing["disbursed_vnd"]) == (337_590_000, 100_000_000)
    assert housing["note"] == "đã xong" and housing["measure_unit"] == "nhà"
    assert (housing["source_file"], housing["source_sheet"], housing["source_row"]) == (source, "", 2)
    other = one(tidy, "DA1.ND2", unit="01990", capital="dtpt")
    assert (other["plan_vnd"], other["disbursed_vnd"]) == (1_066_400_000, 807_463_000)
    assert (other["plan_qty"], other["done_qty"]) == (5.0, 0.0)
    assert other["source_row"] == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_encodings_are_detected(data_dir, make_csv, encoding):
    make_csv("x.csv", VI_HEADER, CSV_ROWS, encoding=encoding, delimiter=";")
    check_csv_rows(build(data_dir))


def test_csv_windows_1258_is_detected(data_dir):
    text = "\r\n".join(";".join(r) for r in [VI_HEADER, *CSV_ROWS]) + "\r\n"
    data = to_cp1258(text)
    assert data.decode("cp1258") != text  # tone marks are combining characters in cp1258
    path = data_dir / "raw" / PERIOD / "x.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    check_csv_rows(build(data_dir))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_delimiter_is_detected(data_dir, make_csv, delimiter):
    rows = [[f'"{v}"' if delimiter in v else v for v in r] for r in CSV_ROWS]
    make_csv("x.csv", VI_HEADER, rows, delimiter=delimiter)
    check_csv_rows(build(data_dir))


@pytest.mark.parametrize("header", [VI_HEADER, EN_HEADER, [h.upper() for h in EN_HEADER],
                                    [h.upper() for h in VI_HEADER]], ids=["vi", "en", "EN", "VI"])
def test_csv_headers_in_vietnamese_or_english(data_dir, make_csv, header):
    make_csv("x.csv", header, CSV_ROWS, delimiter=";")
    check_csv_rows(build(data_dir))


@pytest.mark.parametrize("suffix, multiplier", [("", 1_000_000), (" (triệu đồng)", 1_000_000), (" (đồng)", 1),
                                                (" (nghìn đồng)", 1_000), (" (tỷ đồng)", 1_000_000_000)])
def test_csv_amount_unit_in_the_header(data_dir, make_csv, suffix, multiplier):
    header = ["unit", "line", f"plan_amount{suffix}", f"Giải ngân{suffix}"]
    make_csv("x.csv", header, [["Tân Tú", "DA1.ND2", "1.066,4", "807,463"]], delimiter=";")
    housing = one(build(data_dir), "DA1.ND2")
    assert housing["plan_vnd"] == dong("1066.4", multiplier)
    assert housing["disbursed_vnd"] == dong("807.463", multiplier)


@pytest.mark.parametrize("line", ["DA1.ND2", "da1.nd2", "Nội dung số 02: Hỗ trợ nhà ở", "Hỗ trợ nhà ở",
                                  "HỖ TRỢ NHÀ Ở"])
def test_csv_line_given_as_a_code_or_a_name(data_dir, make_csv, line):
    make_csv("x.csv", ["unit", "line", "plan_amount", "disbursed_amount"], [["Tân Tú", line, "100", "50"]],
             delimiter=";")
    assert list(build(data_dir)["line_code"]) == ["DA1.ND2"]


def test_csv_and_workbooks_in_one_period(data_dir, make_csv, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    make_csv("b.csv", EN_HEADER, [["Lục Bình", "DA1.ND1", "", "", "hộ", "4", "62,41", "1", "50", ""]])
    tidy = build(data_dir)
    assert sorted(zip(tidy["unit_code"], tidy["line_code"])) == [("01990", "DA1.ND1"), ("01993", "DA1.ND2")]
