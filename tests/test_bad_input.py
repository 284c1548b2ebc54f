"""Bad input (spec §3, §4.3) through the real ``mtqg clean`` command.

Every test first runs a good period, so that ``data/processed/2024-09/`` holds outputs, then
breaks the input and runs again. The failed run must exit non-zero, name the file, sheet, row and
column where they apply, print no traceback, leave the previous outputs byte-identical, leave the
raw files unmodified, and report every error it found, not only the first.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import tree_bytes, tree_hashes
from workbook_builder import PERIOD, Sheet, column_letter, first_data_row

HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, None)
LAND = ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, "62,41", 1, "50", None, None)
ROW = first_data_row(Sheet())
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture
def broken(data_dir, make_workbook, mtqg):
    """Run a good period, then call ``rejected()`` after breaking the input: it runs the CLI again,
    checks what every failed run must do and returns stderr."""
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND]))
    good = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert good.code == 0, good.stderr
    processed = data_dir / "processed"
    assert (processed / PERIOD / "funding.parquet").exists()

    def outputs_now() -> dict[str, bytes]:
        # The run lock beside the period folders (processed/.<P>.lock) holds the last run's pid.
        return {name: data for name, data in tree_bytes(processed).items() if not name.endswith(".lock")}

    def rejected(*, period: str = PERIOD) -> str:
        outputs = outputs_now()
        raw = tree_hashes(data_dir / "raw")
        run = mtqg("clean", "--period", period, "--data-dir", data_dir)
        said = run.stdout + run.stderr
        assert run.code != 0, said
        assert "Traceback" not in said
        assert outputs_now() == outputs, "a failed run changed the previous outputs"
        assert tree_hashes(data_dir / "raw") == raw, "a run modified the raw files"
        return run.stderr
    return rejected


def test_unknown_unit_names_the_closest_known_units(make_workbook, broken):
    make_workbook("b.xlsx", Sheet(rows=[HOUSING], name="Tân Tư", titles=["BIỂU TỔNG HỢP"]))
    said = broken()
    assert "file 2024-09/b.xlsx" in said and "sheet 'Tân Tư'" in said
    assert "unknown unit 'Tân Tư'" in said
    assert "Xã Tân Tú" in said


def test_unknown_label_is_an_error_naming_file_sheet_row_and_label(make_workbook, broken):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, ("2", "Hỗ trợ xây sân bóng", None, 1, "50", 0, "10", None, None)]))
    said = broken()
    assert (f"file 2024-09/a.xlsx, sheet 'Tân Tú', row {ROW + 1}, column {column_letter(Sheet(), 'label')}"
            in said)
    assert "'Hỗ trợ xây sân bóng'" in said


def test_unknown_label_blank_in_every_number_column_is_not_an_error(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, ("", "Các xã khu vực III", None, None, None, None, "-", None, None)]))
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 0, run.stderr


@pytest.mark.parametrize("text", ["12a", "1.2.3", "12,5,3", "abc", "1..2"])
def test_text_that_is_not_a_number_is_an_error_quoting_it_and_naming_its_cell(make_workbook, broken, text):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, text, 1, "50", None, None)]))
    said = broken()
    assert f"row {ROW + 1}, column {column_letter(Sheet(), 'plan')}" in said
    assert f"'{text}'" in said


def test_text_quantity_that_is_not_a_number_is_an_error(make_workbook, broken):
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", "7 nhà", "337,59", 3, "100", None, None)]))
    said = broken()
    assert f"row {ROW}, column {column_letter(Sheet(), 'plan_qty')}" in said
    assert "'7 nhà'" in said


@pytest.mark.parametrize("amount", ["-5", -5, "-1.066,4"])
def test_negative_amount_is_an_error(make_workbook, broken, amount):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, "62,41", 1, amount, None, None)]))
    said = broken()
    assert f"row {ROW + 1}, column {column_letter(Sheet(), 'disbursed')}" in said
    assert "negative" in said


def test_two_bad_cells_in_one_workbook_are_both_reported(make_workbook, broken):
    rows = [("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "12a", 3, "100", None, None),
            ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, "62,41", 1, "1.2.3", None, None)]
    make_workbook("a.xlsx", Sheet(rows=rows))
    said = broken()
    assert "2 error(s)" in said
    assert f"row {ROW}, column {column_letter(Sheet(), 'plan')}" in said and "'12a'" in said
    assert f"row {ROW + 1}, column {column_letter(Sheet(), 'disbursed')}" in said and "'1.2.3'" in said


def test_errors_of_several_files_are_reported_together(make_workbook, broken):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, ("2", "Hỗ trợ xây sân bóng", None, 1, "50", 0, "10", None, None)]))
    make_workbook("b.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "-3", 3, "1", None, None)],
                                  name="Lục Bình"))
    (Path(make_workbook("c.xlsx", Sheet(rows=[HOUSING], name="Vi Hương")))).write_bytes(b"garbage, not a zip")
    said = broken()
    assert "2 error(s)" in said
    assert "file 2024-09/a.xlsx" in said and "file 2024-09/b.xlsx" in said
    # A file that cannot be opened is not an error of its own (spec §2): the failed run still names it.
    assert "1 file(s) NOT READ" in said and "file 2024-09/c.xlsx" in said


def test_same_unit_reported_twice_names_both_sources(make_workbook, broken):
    make_workbook("b.xlsx", Sheet(rows=[HOUSING], name="Xã Tân Tú"))
    said = broken()
    assert "2024-09/a.xlsx" in said and "2024-09/b.xlsx" in said
    assert "Tân Tú" in said and "twice" in said


def test_same_line_twice_in_one_sheet_is_an_error(make_workbook, broken):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND, HOUSING]))
    said = broken()
    assert f"rows {ROW} and {ROW + 2}" in said


def test_sheet_with_a_header_but_missing_required_columns_is_an_error(make_workbook, broken):
    columns = [("stt", ["STT"]), ("label", ["Nội dung"]), ("plan", ["Kế hoạch vốn", "Tổng số"]), ("note", ["Ghi chú"])]
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], columns=columns))
    said = broken()
    header_row = len(Sheet().titles) + 2
    assert f"file 2024-09/a.xlsx, sheet 'Tân Tú', row {header_row}" in said
    assert "disbursed" in said and "lacks" in said


def test_unknown_money_unit_is_an_error_naming_its_cell(make_workbook, broken):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING], money_unit="Đơn vị tính: USD"))
    said = broken()
    assert "row 3" in said and "unknown money unit" in said and "USD" in said


def not_read(data_dir, mtqg, name: str) -> str:
    """Run a period holding a good workbook and ``name``, a file that cannot be opened: the run
    goes on (spec §2), prints the file as NOT READ (even with --quiet) and lists it in quality.csv.
    Returns what the run printed about it."""
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir, "--quiet")
    said = run.stdout + run.stderr
    assert run.code == 0, said
    assert "Traceback" not in said
    assert "1 file(s) NOT READ" in run.stderr and f"file 2024-09/{name}:" in run.stderr
    quality = (data_dir / "processed" / PERIOD / "quality.csv").read_text(encoding="utf-8")
    assert f"file_not_read,,,2024-09/{name}," in quality
    return run.stderr


def test_unreadable_file_is_named_as_not_read(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND]))
    (data_dir / "raw" / PERIOD / "hong.xlsx").write_bytes(bytes(range(256)) * 40)
    said = not_read(data_dir, mtqg, "hong.xlsx")
    assert "not an Excel or OpenDocument workbook" in said and "save it as" in said


def test_encrypted_workbook_is_named_as_not_read(data_dir, make_workbook, mtqg):
    """An Excel file saved with a password is an OLE2 container holding EncryptedPackage."""
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND]))
    body = OLE2_SIGNATURE + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(64) \
        + "EncryptedPackage".encode("utf-16-le") + bytes(2048)
    (data_dir / "raw" / PERIOD / "mat-khau.xlsx").write_bytes(body)
    said = not_read(data_dir, mtqg, "mat-khau.xlsx")
    assert "password" in said and "cannot be read" in said


def test_damaged_old_xls_named_xlsx_is_named_as_not_read(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND]))
    (data_dir / "raw" / PERIOD / "cu.xlsx").write_bytes(OLE2_SIGNATURE + bytes(4096))
    said = not_read(data_dir, mtqg, "cu.xlsx")
    assert ".xls workbook (named .xlsx) cannot be read" in said and "save it as" in said


def test_empty_csv_and_csv_without_required_columns_are_errors(data_dir, make_csv, broken):
    (data_dir / "raw" / PERIOD / "rong.csv").write_bytes(b"")
    make_csv("thieu.csv", ["unit", "line", "plan_amount"], [["Tân Tú", "DA1.ND2", "1"]])
    said = broken()
    assert "file 2024-09/rong.csv" in said
    assert "file 2024-09/thieu.csv" in said and "disbursed_amount" in said


def test_csv_unknown_unit_and_line_name_row_and_column(make_csv, broken):
    make_csv("x.csv", ["unit", "line", "plan_amount", "disbursed_amount"],
             [["Lục Bình", "DA1.ND2", "1", "0"], ["Tân Tứ Xuyên", "DA1.ND2", "1", "0"], ["Vi Hương", "DA99", "1", "0"]])
    said = broken()
    assert "file 2024-09/x.csv, row 3, column unit" in said and "'Tân Tứ Xuyên'" in said
    assert "file 2024-09/x.csv, row 4, column line" in said and "'DA99'" in said


def test_empty_period_folder_is_an_error(data_dir, mtqg, broken):
    (data_dir / "raw" / "2024-12").mkdir()
    (data_dir / "raw" / "2024-12" / "doc-truoc.txt").write_text("chưa có báo cáo", encoding="utf-8")
    said = broken(period="2024-12")
    assert "2024-12" in said and "no .xlsx" in said
    assert not (data_dir / "processed" / "2024-12" / "funding.parquet").exists()


@pytest.mark.parametrize("period", ["2024-13", "abc", "2024-00", "24-06", "2024-Q5"])
def test_period_that_does_not_parse_is_an_error(broken, period):
    said = broken(period=period)
    assert f"'{period}' is not a reporting period" in said
    assert "YYYY-MM" in said


def test_period_with_no_raw_folder_is_an_error(broken):
    said = broken(period="2023-06")
    assert "no raw folder for period 2023-06" in said
    assert "2024-09" in said  # the periods that do exist


def test_failed_first_run_writes_nothing(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "12a", 3, "100", None, None)]))
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code != 0 and "'12a'" in run.stderr
    assert tree_bytes(data_dir / "processed" / PERIOD) == {}


def test_fixing_the_input_after_a_failed_run_gives_outputs(data_dir, make_workbook, mtqg, broken):
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "12a", 3, "100", None, None)]))
    broken()
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "12", 3, "10", None, None)]))
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 0, run.stderr
    funding = (data_dir / "processed" / PERIOD / "funding.csv").read_text(encoding="utf-8")
    assert "12000000" in funding
