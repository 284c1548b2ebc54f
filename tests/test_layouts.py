"""Spec §3.1 as district offices' templates really are (second edition), one test per rule:
header words and position, sheets that look like reports, money units in column headers, total
labels, the end of the table, error values, "1,150", hidden duplicate sheets.

Each test writes a real workbook into ``data/raw/2024-09/`` and runs the real ``mtqg clean``
in-process; refusals are checked for their message (file, sheet, row, column) and never accept
a traceback.
"""
from __future__ import annotations

import pandas as pd
import pytest

from mtqg_analysis.store import load_period, processed_dir
from workbook_builder import COLUMNS_2, DONE, PERIOD, PLAN, Sheet, column_letter, first_data_row, workbook
from workbook_kinds import save_as

HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, None)
LAND = ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, "62,41", 1, "50", None, None)
ROW = first_data_row(Sheet())


def clean(mtqg, data_dir, *extra):
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir, *extra)
    assert "Traceback" not in run.stdout + run.stderr
    return run


def cleaned(mtqg, data_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    run = clean(mtqg, data_dir)
    assert run.code == 0, run.stderr
    quality = pd.read_csv(processed_dir(PERIOD, data_dir) / "quality.csv", dtype=str, keep_default_na=False)
    return load_period(PERIOD, data_dir, rebuild="never"), quality


def header(stt: str = "STT", label: str = "Nội dung", plan: str = PLAN, done: str = DONE,
           plan_amount: str = "Tổng số", done_amount: str = "Giải ngân") -> list:
    columns = dict(COLUMNS_2)
    columns.update(stt=[stt], label=[label], plan_qty=[plan, "Khối lượng"], plan=[plan, plan_amount],
                   done_qty=[done, "Khối lượng"], disbursed=[done, done_amount])
    return list(columns.items())


# --- header words and position ------------------------------------------------------------------------------
@pytest.mark.parametrize("stt, label", [("TT", "Chỉ tiêu"), ("S.T.T", "Nội dung"), ("Số TT", "Danh mục"),
                                        ("TT", "Tên dự án, nội dung"), ("STT", "Nội dung, dự án")])
def test_wider_header_words_are_recognised(data_dir, make_workbook, mtqg, stt, label):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND], columns=header(stt, label)))
    tidy, _ = cleaned(mtqg, data_dir)
    assert tidy["plan_vnd"].sum() == 400_000_000


def test_header_below_row_40_after_a_long_preamble_is_found(data_dir, make_workbook, mtqg):
    preamble = [f"Hướng dẫn {i}: ghi số liệu lũy kế từ đầu năm." for i in range(1, 61)]
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND], titles=["UBND XÃ TÂN TÚ", *preamble]))
    tidy, _ = cleaned(mtqg, data_dir)
    assert tidy["source_row"].min() > 60
    assert tidy["plan_vnd"].sum() == 400_000_000


def test_a_sheet_that_looks_like_a_report_without_a_header_is_an_error_naming_the_words(data_dir, make_workbook, mtqg):
    book = workbook(Sheet(rows=[HOUSING]),
                    Sheet(rows=[("I", "Dự án 1: Giải quyết tình trạng thiếu đất ở", None, None, 400, None, 150, None, None)],
                          name="Vi Hương", columns=header("Thứ tự", "Hạng mục")))
    save_as(book, data_dir / "raw" / PERIOD / "a.xlsx")
    run = clean(mtqg, data_dir)
    assert run.code == 2
    assert "file 2024-09/a.xlsx, sheet 'Vi Hương': the sheet looks like a report (it names B" in run.stderr
    assert "'Dự án 1: Giải quyết" in run.stderr and "no header row was found in its first 100 rows" in run.stderr
    assert "'stt', 'số tt'" in run.stderr and "'tt'" in run.stderr and "'chỉ tiêu'" in run.stderr


def test_instructions_that_mention_projects_but_hold_no_numbers_are_still_skipped(data_dir, make_workbook, mtqg):
    from workbook_builder import TextSheet

    make_workbook("a.xlsx", TextSheet(lines=["Dự án 1: ghi theo biểu", "Dự án 3: ghi diện tích"]), Sheet(rows=[HOUSING]))
    tidy, _ = cleaned(mtqg, data_dir)
    assert len(tidy) == 1


# --- money units in column headers -----------------------------------------------------------------------
@pytest.mark.parametrize("amount, plan_cell, expected", [
    ("Tổng số (đồng)", "268.029.340", 268_029_340),
    ("Tổng số (nghìn đồng)", "268.029", 268_029_000),
    ("Tổng số (triệu đồng)", "268,029", 268_029_000),
    ("Tổng số (tỷ đồng)", "0,268", 268_000_000),
])
def test_money_unit_in_a_column_header_sets_that_column(data_dir, make_workbook, mtqg, amount, plan_cell, expected):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, plan_cell, 3, "0", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row], money_unit=None, columns=header(plan_amount=amount)))
    tidy, _ = cleaned(mtqg, data_dir)
    assert tidy["plan_vnd"].tolist() == [expected]


def test_dong_in_the_column_header_is_never_read_as_trieu(data_dir, make_workbook, mtqg):
    """The issue's case: a plan of 268.029.340 đồng must not become 268.029.340 triệu đồng."""
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, 268029340, 3, 100000000, None, None)
    make_workbook("a.xlsx", Sheet(rows=[row], money_unit=None,
                                  columns=header(plan_amount="Tổng số (đồng)", done_amount="Giải ngân (đồng)")))
    tidy, _ = cleaned(mtqg, data_dir)
    assert tidy[["plan_vnd", "disbursed_vnd"]].values.tolist() == [[268_029_340, 100_000_000]]


def test_a_column_unit_that_agrees_with_the_sheet_line_is_fine(data_dir, make_workbook, mtqg):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "268.029.340", 3, "0", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row], money_unit="Đơn vị tính: đồng", columns=header(plan_amount="Tổng số (đồng)")))
    tidy, _ = cleaned(mtqg, data_dir)
    assert tidy["plan_vnd"].tolist() == [268_029_340]


def test_a_column_unit_that_contradicts_the_sheet_line_is_an_error_naming_both(data_dir, make_workbook, mtqg):
    sheet = Sheet(rows=[HOUSING], money_unit="Đơn vị tính: triệu đồng", columns=header(plan_amount="Tổng số (đồng)"))
    make_workbook("a.xlsx", sheet)
    run = clean(mtqg, data_dir)
    assert run.code == 2
    letter = column_letter(sheet, "plan")
    assert f"file 2024-09/a.xlsx, sheet 'Tân Tú', row {len(sheet.titles) + 2}, column {letter}" in run.stderr
    assert "'Kế hoạch vốn giao / Tổng số (đồng)': đồng" in run.stderr
    assert "contradicts the sheet's unit line" in run.stderr and "'Đơn vị tính: triệu đồng': triệu đồng" in run.stderr


def test_a_unit_line_inside_a_longer_sentence_sets_the_unit(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], money_unit="Kỳ báo cáo: 9 tháng năm 2024; Đơn vị tính: nghìn đồng."))
    tidy, _ = cleaned(mtqg, data_dir)
    assert tidy["plan_vnd"].tolist() == [337_590]


# --- totals -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("label", ["Tổng cộng (I+II+III+IV)", "TỔNG CỘNG TOÀN XÃ", "Cộng (A+B)", "Tổng số:",
                                   "Tổng cộng toàn huyện", "Cộng các dự án"])
def test_total_labels_with_a_formula_or_a_place(data_dir, make_workbook, mtqg, label):
    make_workbook("a.xlsx", Sheet(rows=[(None, label, None, None, "400", None, "150", None, None), HOUSING, LAND]))
    tidy, quality = cleaned(mtqg, data_dir)
    assert tidy["plan_vnd"].sum() == 400_000_000
    assert "subtotal_mismatch" not in set(quality["check"])


def test_a_total_that_names_a_project_is_checked_against_that_project(data_dir, make_workbook, mtqg):
    rows = [HOUSING, LAND, ("", "Cộng Dự án 1", None, None, "400", None, "140", None, None),
            ("II", "Dự án 8", None, None, "120", None, "30", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy, quality = cleaned(mtqg, data_dir)
    assert tidy["plan_vnd"].sum() == 520_000_000  # the total is never added
    mismatch = quality[quality["check"] == "subtotal_mismatch"]
    assert len(mismatch) == 1 and mismatch.iloc[0]["line_code"] == "DA1"  # 150 disbursed, 140 stated
    assert "disbursed 140 triệu đồng stated, 150 triệu đồng" in mismatch.iloc[0]["message"]


def test_a_label_that_only_starts_like_a_total_is_not_one(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, ("2", "Tổng hợp ý kiến cử tri", None, None, "5", None, "1", None, None)]))
    run = clean(mtqg, data_dir)
    assert run.code == 2 and "unknown label 'Tổng hợp ý kiến cử tri'" in run.stderr


def test_total_merged_across_stt_and_label(data_dir, mtqg):
    sheet = Sheet(rows=[HOUSING, LAND, ("TỔNG CỘNG", None, None, None, "400", None, "150", None, None)])
    book = workbook(sheet)
    ws = book["Tân Tú"]
    total_row = ROW + 2
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)
    for suffix in (".xlsx", ".xls", ".ods"):
        save_as(book, data_dir / "raw" / PERIOD / f"a{suffix}")
        tidy, quality = cleaned(mtqg, data_dir)
        assert tidy["plan_vnd"].sum() == 400_000_000, suffix
        assert "subtotal_mismatch" not in set(quality["check"]), suffix
        (data_dir / "raw" / PERIOD / f"a{suffix}").unlink()


# --- the end of the table -------------------------------------------------------------------------------------
SIGNATURE = [("", "", None, None, None, None, None, None, None),
             ("", "Bạch Thông, ngày 05 tháng 10 năm 2024", None, None, None, None, None, None, None),
             ("", "Nơi nhận:", None, None, "TM. ỦY BAN NHÂN DÂN", None, None, None, None),
             ("", "- UBND huyện;", None, None, "CHỦ TỊCH", None, None, None, None),
             ("", "- Lưu: VT.", None, None, None, None, None, None, None),
             ("", "Người lập biểu", None, None, "Nguyễn Văn An", None, None, None, None)]


@pytest.mark.parametrize("first", [0, 1, 2, 5])
def test_the_table_ends_at_the_signature_block(data_dir, make_workbook, mtqg, first):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND, *SIGNATURE[first:]]))
    tidy, _ = cleaned(mtqg, data_dir)
    assert sorted(tidy["line_code"]) == ["DA1.ND1", "DA1.ND2"]


def test_a_note_with_a_date_in_a_data_row_does_not_end_the_table(data_dir, make_workbook, mtqg):
    dated = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, "Giải ngân ngày 5 tháng 7 năm 2024")
    make_workbook("a.xlsx", Sheet(rows=[dated, LAND]))
    tidy, _ = cleaned(mtqg, data_dir)
    assert sorted(tidy["line_code"]) == ["DA1.ND1", "DA1.ND2"]


# --- error values -----------------------------------------------------------------------------------------------
RATE = [*COLUMNS_2[:7], ("rate", ["Tỷ lệ giải ngân (%)"])]


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!"])
def test_an_error_value_in_the_rate_column_is_an_info_finding(data_dir, make_workbook, mtqg, error):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "0", 3, "0", error, None)
    make_workbook("a.xlsx", Sheet(rows=[row, LAND], columns=RATE))
    tidy, quality = cleaned(mtqg, data_dir)
    assert tidy["line_code"].tolist() == ["DA1.ND1"]  # the run goes on (the zero line gives no row)
    found = quality[quality["check"] == "rate_cell_error"]
    assert len(found) == 1 and found.iloc[0]["severity"] == "info"
    assert found.iloc[0]["source_row"] == str(ROW) and f"'{error}'" in found.iloc[0]["message"]
    assert "column H (Tỷ lệ giải ngân (%))" in found.iloc[0]["message"]


def test_an_error_value_in_an_amount_column_is_an_error_naming_the_cell(data_dir, make_workbook, mtqg):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "#REF!", 3, "0", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row]))
    run = clean(mtqg, data_dir)
    assert run.code == 2
    assert f"row {ROW}, column {column_letter(Sheet(), 'plan')}" in run.stderr
    assert "Excel error value '#REF!'" in run.stderr


# --- "1,150" --------------------------------------------------------------------------------------------------
def test_an_ordinary_decimal_comma_is_read_silently(data_dir, make_workbook, mtqg):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "ha", 7, "1,150", 3, "0,500", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row]))
    tidy, quality = cleaned(mtqg, data_dir)
    assert tidy["plan_vnd"].tolist() == [1_150_000]  # 1,15 triệu đồng
    assert "ambiguous_number" not in set(quality["check"])


def test_a_comma_that_gives_a_fraction_of_a_dong_is_an_ambiguous_number(data_dir, make_workbook, mtqg):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "268.029.340", 3, "1,150", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row], money_unit="Đơn vị tính: đồng"))
    _, quality = cleaned(mtqg, data_dir)
    found = quality[quality["check"] == "ambiguous_number"]
    assert len(found) == 1 and found.iloc[0]["source_row"] == str(ROW)
    assert (found.iloc[0]["unit_code"], found.iloc[0]["line_code"]) == ("01993", "DA1.ND2")
    assert f"'1,150' in column {column_letter(Sheet(), 'disbursed')}" in found.iloc[0]["message"]
    assert "fraction of a đồng" in found.iloc[0]["message"]


def test_totals_that_match_only_the_english_reading_decide_it(data_dir, make_workbook, mtqg):
    rows = [("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "1,150", 3, "100", None, None),
            ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, "850", 1, "50", None, None),
            ("", "Tổng cộng", None, None, "2.000", None, "150", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    tidy, quality = cleaned(mtqg, data_dir)
    assert tidy.set_index("line_code").loc["DA1.ND2", "plan_vnd"] == 1_150_000_000  # 1150 triệu, not 1,15
    found = quality[quality["check"] == "ambiguous_number"]
    assert len(found) == 1 and "read as 1.150 because the sheet's totals match only that reading" in found.iloc[0]["message"]
    assert "subtotal_mismatch" not in set(quality["check"])


def test_a_fraction_of_a_countable_quantity_is_an_ambiguous_number(data_dir, make_workbook, mtqg):
    row = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", "1,150", "337,59", 3, "100", None, None)
    make_workbook("a.xlsx", Sheet(rows=[row]))
    _, quality = cleaned(mtqg, data_dir)
    found = quality[quality["check"] == "ambiguous_number"]
    assert len(found) == 1 and "1,150 nhà, a fraction of a countable unit" in found.iloc[0]["message"]


# --- hidden sheets --------------------------------------------------------------------------------------------
def test_a_hidden_sheet_duplicating_a_visible_one_is_named_as_hidden(data_dir, mtqg):
    book = workbook(Sheet(rows=[HOUSING]), Sheet(rows=[HOUSING], name="Tân Tú (cũ)"))
    book["Tân Tú (cũ)"].sheet_state = "hidden"
    save_as(book, data_dir / "raw" / PERIOD / "a.xlsx")
    run = clean(mtqg, data_dir)
    assert run.code == 2
    assert "sheet 'Tân Tú (cũ)'" in run.stderr and "reported twice" in run.stderr
    assert "this sheet is hidden (Format > Sheet > Unhide in Excel)" in run.stderr
