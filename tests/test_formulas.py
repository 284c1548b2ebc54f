"""Formulas without cached values (subtotal rows of script-written workbooks)."""
from __future__ import annotations

import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from mtqg_analysis.extract.formulas import UnsupportedFormula, evaluate, fill_table, needs_formulas

CELLS = {"E8": 10, "E9": 20.5, "E10": None, "E11": "", "E12": 4, "F8": 1, "F9": 2,
         "E13": "=SUM(E8:E12)", "E14": "=E13-E12", "G1": "ghi chú", "H1": True}


def value(coordinate):
    return CELLS.get(coordinate)


@pytest.mark.parametrize("formula, expected", [
    ("=E8", 10),
    ("=$E$8", 10),
    ("=e8", 10),
    ("=SUM(E8:E12)", 34.5),
    ("=SUM(E12:E8)", 34.5),
    ("=sum(E8:F9)", 33.5),
    ("=SUM(E8,E9,E12)", 34.5),
    ("=SUM(E8:E9,F8:F9,100)", 133.5),
    ("=E8+E9-E12", 26.5),
    ("=-E8+1", -9),
    ("=(E8+E9)-(E12-1)", 27.5),
    ("=E8+1.5e3", 1510),
    ("=SUM()", 0),
    ("=E10+E11", 0),                # empty cells count as zero
    ("=SUM(G1,E8)", 10),            # SUM ignores text, as Excel does
    ("=SUM(E8:E9)+SUM(F8:F9)", 33.5),
    ("=E13", 34.5),                 # a formula referring to a formula
    ("=E14+0", 30.5),
    ("= SUM( E8:E9 ) ", 30.5),
    ("=Sheet1!E8+'Sheet1'!E9", 30.5),
])
def test_evaluate(formula, expected):
    assert evaluate(formula, value, sheet="Sheet1") == pytest.approx(expected)


def test_same_sheet_by_its_vietnamese_name():
    assert evaluate("='TT Phủ Thông'!E8+'TT Phủ Thông'!E9", value, sheet="TT Phủ Thông") == 30.5


@pytest.mark.parametrize("formula, reason", [
    ("=E8*2", "'*' is not supported"),
    ("=E8/2", "'/' is not supported"),
    ("=AVERAGE(E8:E9)", "AVERAGE is not supported"),
    ("=IF(E8>0,1,0)", "IF is not supported"),
    ("=Other!E8", "another sheet ('Other')"),
    ("=[1]Sheet1!E8", "'[' is not supported"),
    ("=E8:E9", "only supported inside SUM"),
    ("=G1+1", "holds text 'ghi chú'"),
    ('="abc"', "is not supported"),
    ("=SUM(E8", "not closed"),
    ("=(E8", "not closed"),
    ("=E8+", "ends too early"),
    ("=", "empty"),
    ("=E8 E9", "only +, -, SUM"),
    ("=E8>0", "'>' is not supported"),
    ("=SUM(E8*2)", "'*' is not supported"),
    ("=HYPERLINK(\"http://x\",\"y\")", "HYPERLINK is not supported"),
    ("=SUM(A1:XFD1048576)", "more than 1,000,000 cells"),
])
def test_unsupported_formulas_say_which_and_why(formula, reason):
    with pytest.raises(UnsupportedFormula) as caught:
        evaluate(formula, value, sheet="Sheet1")
    assert reason in str(caught.value)
    assert formula in str(caught.value)
    assert "save it" in str(caught.value)


def test_circular_reference_is_refused():
    cells = {"A1": "=A2+1", "A2": "=A1"}
    with pytest.raises(UnsupportedFormula, match="circular"):
        evaluate("=A1", cells.get)


def test_other_sheet_without_knowing_own_sheet_is_refused():
    with pytest.raises(UnsupportedFormula, match="another sheet"):
        evaluate("=Sheet1!E8", value)


# --- files -----------------------------------------------------------------------------------------
def write_formula_workbook(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Xã Tân Tú"
    sheet.append(["STT", "Nội dung", "Kế hoạch", "Giải ngân"])
    sheet.append([1, "Hỗ trợ nhà ở", 100, 40])
    sheet.append([2, "Hỗ trợ đất ở", 50, 10])
    sheet.append(["", "Tổng cộng", "=SUM(C2:C3)", "=D2+D3"])
    workbook.save(path)


def add_cached_values(path, values: dict[str, object]):
    """Rewrite the sheet XML as Excel saves it: every formula with its computed value."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].decode("utf-8")
    for coordinate, cached in values.items():
        xml, count = re.subn(rf'(<c r="{coordinate}"[^>]*>)(<f>[^<]*</f>)<v\s*/>', rf"\1\2<v>{cached}</v>", xml)
        assert count == 1, coordinate
    members["xl/worksheets/sheet1.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_script_written_file_needs_formulas(tmp_path):
    path = tmp_path / "script.xlsx"
    write_formula_workbook(path)
    assert openpyxl.load_workbook(path, data_only=True).active["C4"].value is None
    assert needs_formulas(path)


def test_excel_saved_file_has_cached_values(tmp_path):
    path = tmp_path / "excel.xlsx"
    write_formula_workbook(path)
    add_cached_values(path, {"C4": 150, "D4": 50})
    assert openpyxl.load_workbook(path, data_only=True).active["C4"].value == 150
    assert not needs_formulas(path)


def test_one_missing_cached_value_is_enough(tmp_path):
    path = tmp_path / "half.xlsx"
    write_formula_workbook(path)
    add_cached_values(path, {"C4": 150})
    assert needs_formulas(path)


def test_file_without_formulas(tmp_path):
    path = tmp_path / "plain.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["STT", "Nội dung"])
    workbook.active.append([1, "formula text in a string: <f>"])
    workbook.save(path)
    assert not needs_formulas(path)


def test_not_a_workbook_is_not_our_business(tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"not a zip at all")
    assert not needs_formulas(path)


def test_fill_table_from_a_script_written_file(tmp_path):
    from mtqg_analysis.extract import Column, RawTable

    path = tmp_path / "script.xlsx"
    write_formula_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True).active
    formulas = openpyxl.load_workbook(path, data_only=False).active
    rows = pd.DataFrame({"source_row": [2, 3, 4],
                         "plan||": [values[f"C{r}"].value for r in (2, 3, 4)],
                         "done||": [values[f"D{r}"].value for r in (2, 3, 4)]}, dtype=object)
    table = RawTable("workbook", "2024-06/xa.xlsx", values.title, rows,
                     {"plan||": Column("plan||", "C", "Kế hoạch"), "done||": Column("done||", "D", "Giải ngân")})
    assert fill_table(table, formulas) == []
    assert table.rows["plan||"].tolist() == [100, 50, 150.0]
    assert table.rows["done||"].tolist() == [40, 10, 50.0]


def test_fill_table_names_the_cell_of_an_unsupported_formula(tmp_path):
    from mtqg_analysis.extract import Column, RawTable

    path = tmp_path / "avg.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Xã Tân Tú"
    sheet["C2"], sheet["C3"] = 5, "=AVERAGE(C2:C2)"
    workbook.save(path)
    formulas = openpyxl.load_workbook(path).active
    rows = pd.DataFrame({"source_row": [2, 3], "plan||": [5, None]}, dtype=object)
    table = RawTable("workbook", "2024-06/avg.xlsx", "Xã Tân Tú", rows, {"plan||": Column("plan||", "C", "KH")})
    errors = fill_table(table, formulas)
    assert len(errors) == 1
    error = errors[0]
    assert (error.file, error.sheet, error.row, error.column) == ("2024-06/avg.xlsx", "Xã Tân Tú", 3, "C")
    assert "AVERAGE" in error.message
