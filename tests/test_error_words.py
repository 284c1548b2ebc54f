"""The words of input errors (``data/errors.csv``): every key the code raises exists, both
languages fill the same fields, no key is left unused; and ``mtqg check`` prints each kind of
error a commune's file can trigger in Vietnamese, at its cell or row, saying what to do, and in
English with ``--lang en`` (the text cleaning prints)."""
from __future__ import annotations

import ast
import re
import string

import pytest

from conftest import REPO
from mtqg_analysis.domain import resources
from mtqg_analysis.domain.messages import fields, templates
from mtqg_analysis.errors import InputError, Phrase
from workbook_builder import PERIOD, Sheet, TextSheet

HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, None)
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_HEADER = ["unit", "line", "plan_amount", "disbursed_amount", "capital_type"]


# --- the data file ----------------------------------------------------------------------------------
def _literals() -> set[str]:
    """Every string constant of the package's code."""
    found = set()
    for path in (REPO / "mtqg_analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _written(node) -> list[str]:
    """The keys an argument writes out: a string, or either string of ``"a" if c else "b"``; a
    key passed on in a variable is none (the check that every key is used covers it)."""
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _written(node.body) + _written(node.orelse)
    return []


def _keys_raised() -> set[str]:
    """The first (key) argument of every ``X.of("key", ...)``, ``Phrase("key")`` and the reason of
    every ``UnsupportedFormula(formula, "key")`` in the package."""
    keys = set()
    for path in (REPO / "mtqg_analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            owner = getattr(node.func, "value", None)
            index = 1 if name == "UnsupportedFormula" else 0
            if name == "of" and getattr(owner, "id", "") in ("InputError", "NotReadable", "Phrase") or \
                    name in ("Phrase", "UnsupportedFormula"):
                keys.update(_written(node.args[index]) if len(node.args) > index else [])
    return keys


def test_every_key_raised_is_in_the_data_file_and_every_key_there_is_used():
    table = resources.table("errors.csv")
    assert list(table.columns) == ["key", "vi", "en"] and table["key"].is_unique
    known = set(table["key"])
    raised = _keys_raised()
    assert len(raised) > 60
    assert raised - known == set(), "keys raised in code but missing from data/errors.csv"
    literals = _literals()
    assert {key for key in known if key not in literals} == set(), "keys of data/errors.csv no code uses"


def test_both_languages_fill_the_same_fields_and_vietnamese_is_written():
    vi, en = templates("vi"), templates("en")
    formatter = string.Formatter()
    for key in en:
        assert vi[key].strip() and en[key].strip(), key
        assert fields(vi[key]) == fields(en[key]), key
        specs = {name: spec for _, name, spec, _ in formatter.parse(en[key]) if name}
        assert specs == {name: spec for _, name, spec, _ in formatter.parse(vi[key]) if name}, key
        if not key.startswith(("format.", "phrase.named", "phrase.reaches")) or vi[key] != en[key]:
            assert vi[key] != en[key], f"{key} is not translated"
    # What to do is said in every Vietnamese error that is a whole message (not a part of one).
    whole = [key for key in vi if not key.startswith(("phrase.", "format.", "office.", "todo.", "header.searched",
                                                      "header.plan", "header.disbursed", "formula."))]
    def says_what_to_do(key):  # itself, or through the part it is given ({todo}, {advice})
        return re.search(r"\bhãy\b|\bđề nghị\b", vi[key], re.IGNORECASE) or fields(vi[key]) & {"todo", "advice"}
    assert [key for key in whole if not says_what_to_do(key)] == []
    assert re.search("hãy", vi["formula.unsupported"])


def test_an_error_keeps_its_english_message_and_gives_vietnamese_numbers():
    error = InputError.of("workbook.too_many_cells", "a.xlsx", cells=1_234_567, limit=1_000_000)
    assert error.message.startswith("the workbook has 1,234,567 cells in all its sheets, more than the 1,000,000")
    assert str(error) == f"file a.xlsx: {error.message}" and error.text("en") == error.message
    assert error.text("vi").startswith("bảng tính có 1.234.567 ô trong tất cả các trang, vượt mức 1.000.000 ô")
    moved = error.at("b.xlsx", "S", 3, "C")
    assert (moved.file, moved.row, moved.text("vi")) == ("b.xlsx", 3, error.text("vi"))
    phrase = Phrase.of("phrase.closest", names="Xã Tân Tú")
    assert str(phrase) == "; closest known: Xã Tân Tú" and phrase.text("vi") == "; tên gần giống: Xã Tân Tú"


# --- mtqg check, one kind of error at a time --------------------------------------------------------
def _check(mtqg, data_dir, path, lang: str = "vi") -> str:
    run = mtqg("check", path, "--data-dir", data_dir, "-q", "--lang", lang)
    assert run.code == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    return run.stdout


def _workbook(make_workbook, *sheets):
    return make_workbook("a.xlsx", *sheets)


CASES = {  # what the file holds -> (the Vietnamese, at its place; the English of cleaning)
    "unknown_label": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[HOUSING, ("2", "Hỗ trợ xây sân bóng", None, 1, "50",
                                                                              0, "10", None, None)])),
                      "Ô B8: [Lỗi] nhãn 'Hỗ trợ xây sân bóng' không có trong danh mục chương trình; hãy ghi đúng tên",
                      "Cell B8: [Error] unknown label 'Hỗ trợ xây sân bóng' (not a line of the program catalog)"),
    "no_label": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[HOUSING, ("2", None, None, 1, "50", 0, "10", None, None)])),
                 "Ô B8: [Lỗi] hàng có số liệu nhưng không có nội dung", "Cell B8: [Error] a row with numbers has no label"),
    "not_a_number": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[("1", HOUSING[1], "nhà", 7, "337,59", 3, "1OO", None,
                                                                  None)])),
                     "Ô G7: [Lỗi] '1OO' không phải là số; hãy ghi số", "Cell G7: [Error] '1OO' is not a number"),
    "quantity_not_a_number": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[("1", HOUSING[1], "nhà", 7, "337,59", "ba",
                                                                           "100", None, None)])),
                              "Ô F7: [Lỗi] 'ba' không phải là số", "Cell F7: [Error] 'ba' is not a number"),
    "negative": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[("1", HOUSING[1], "nhà", 7, "-337,59", 3, "100", None,
                                                              None)])),
                 "Ô E7: [Lỗi] số tiền âm -337,59 (kế hoạch vốn và giải ngân không được âm); hãy sửa lại số",
                 "Cell E7: [Error] negative amount -337,59"),
    "excel_error": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[("1", HOUSING[1], "nhà", 7, "337,59", 3, "#DIV/0!",
                                                                 None, None)])),
                    "Ô G7: [Lỗi] ô chứa giá trị lỗi Excel '#DIV/0!' thay cho số tiền; hãy sửa công thức",
                    "Cell G7: [Error] the cell holds the Excel error value '#DIV/0!'"),
    "too_large": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[("1", HOUSING[1], "nhà", 7, 5_000_000_000, 3, "100",
                                                               None, None)])),
                  "Ô E7: [Lỗi] số tiền 5000000000 quá lớn, không thể có thật", "is too large to be real"),
    "unknown_money_unit": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[HOUSING], money_unit="Đơn vị tính: USD")),
                           "Ô H3: [Lỗi] đơn vị tiền 'Đơn vị tính: USD' không rõ; hãy ghi đồng, nghìn đồng, triệu đồng",
                           "Cell H3: [Error] unknown money unit 'Đơn vị tính: USD'"),
    "missing_columns": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[HOUSING], columns=[
                            ("stt", ["STT"]), ("label", ["Nội dung"]), ("plan", ["Kế hoạch vốn", "Tổng số"]),
                            ("note", ["Ghi chú"])])),
                        "Dòng 4: [Lỗi] trang tính có dòng tiêu đề nhưng thiếu cột bắt buộc: cột giải ngân",
                        "Row 4: [Error] the sheet has a header row but lacks the required column(s): a disbursed amount"),
    "unknown_unit": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[HOUSING], name="Tân Tư", titles=["BIỂU TỔNG HỢP"])),
                     "đơn vị 'Tân Tư' không có trong", "unknown unit 'Tân Tư'"),
    "line_twice": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[HOUSING, HOUSING])),
                   "Dòng 8: [Lỗi] nội dung DA1.ND2 của Xã Tân Tú xuất hiện hai lần trong một trang tính (hàng 7 và 8); "
                   "hãy xóa một hàng", "Row 8: [Error] line DA1.ND2 of Xã Tân Tú appears twice in one sheet (rows 7 and 8)"),
    "looks_like_a_report": (lambda mw, mc, d: _workbook(mw, TextSheet(name="Số liệu", lines=[
                                "Dự án 1: Giải quyết tình trạng thiếu đất ở", "1.250"])),
                            "[Lỗi] trang tính có vẻ là báo cáo (có ô A1 'Dự án 1: Giải quyết tình trạng thiếu đất' và có "
                            "số liệu) nhưng không tìm thấy dòng tiêu đề trong 100 hàng đầu: đã tìm một ô 'stt'", "looks like a report"),
    "formula": (lambda mw, mc, d: _workbook(mw, Sheet(rows=[("1", HOUSING[1], "nhà", 7, "337,59", 3, "=AVERAGE(E7)",
                                                             None, None)])),
                "Ô G7: [Lỗi] không tính được công thức '=AVERAGE(E7)' (không hỗ trợ hàm AVERAGE (chỉ hỗ trợ SUM)); "
                "hãy mở tệp bằng Excel và lưu lại", "the function AVERAGE is not supported (only SUM)"),
    "csv_unknown_unit_line_and_capital": (
        lambda mw, mc, d: mc("x.csv", CSV_HEADER, [["Tân Tứ Xuyên", "DA1.ND2", "1", "0", ""],
                                                   ["Vi Hương", "DA99", "1", "0", ""],
                                                   ["Vi Hương", "DA1.ND2", "1", "0", "vốn vay"]]),
        "Dòng 2, cột unit: [Lỗi] đơn vị 'Tân Tứ Xuyên' không có trong", "Row 2, column unit: [Error] unknown unit"),
    "csv_missing_columns": (lambda mw, mc, d: mc("x.csv", ["unit", "line", "plan_amount"], [["Tân Tú", "DA1.ND2", "1"]]),
                            "Dòng 1: [Lỗi] dòng tiêu đề của tệp CSV thiếu cột bắt buộc: Giải ngân / disbursed_amount",
                            "Row 1: [Error] the CSV header lacks the required column(s)"),
    "csv_empty": (lambda mw, mc, d: _bytes(d, "rong.csv", b""),
                  "[Lỗi] tệp CSV rỗng; hãy lưu lại từ Excel dạng 'CSV UTF-8'", "[Error] the CSV file is empty"),
    "csv_not_text": (lambda mw, mc, d: _bytes(d, "nhi-phan.csv", b"unit\x00line\x00" * 10),
                     "[Lỗi] tệp CSV không phải văn bản UTF-8, UTF-16 hay Windows-1258",
                     "[Error] the CSV file is not text in UTF-8"),
}


def _bytes(data_dir, name: str, content: bytes):
    path = data_dir / "raw" / PERIOD / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_check_says_each_error_in_vietnamese_at_its_place(case, data_dir, make_workbook, make_csv, mtqg):
    build, vietnamese, english = CASES[case]
    path = build(make_workbook, make_csv, data_dir)
    out = _check(mtqg, data_dir, path)
    assert vietnamese in out, out
    assert "Tệp sẽ bị từ chối" in out
    assert _check(mtqg, data_dir, path, "en").count(english) >= 1
    clean = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert clean.code == 2 and english.split("] ", 1)[-1] in clean.stderr  # cleaning says it in English, as before


def test_csv_errors_name_their_column_by_its_header(data_dir, make_csv, mtqg):
    path = make_csv("x.csv", ["Đơn vị", "Mã nội dung", "Kế hoạch vốn", "Giải ngân", "Loại vốn"],
                    [["Vi Hương", "DA99", "1", "0", ""], ["Vi Hương", "DA1.ND2", "1", "0", "vốn vay"]])
    out = _check(mtqg, data_dir, path)
    assert "Dòng 2, cột Mã nội dung: [Lỗi] nội dung 'DA99' không phải mã hay tên trong danh mục" in out
    assert "Dòng 3, cột Loại vốn: [Lỗi] loại vốn 'vốn vay' không rõ" in out


@pytest.mark.parametrize("content, vietnamese, english", [
    (b"", "tệp rỗng (0 byte); hãy gửi lại báo cáo", "the file is empty (0 bytes)"),
    (b"%PDF-1.4 not a workbook", "đây không phải bảng tính Excel hay OpenDocument (đây là tài liệu PDF); hãy mở tệp "
     "bằng Excel", "this is not an Excel or OpenDocument workbook (it is a PDF document)"),
    (OLE2_SIGNATURE + bytes(4096), "không đọc được bảng tính Excel 97-2003 .xls này (đặt đuôi .xlsx)",
     ".xls workbook (named .xlsx) cannot be read"),
    (b"PK\x03\x04" + bytes(200), "bảng tính bị hỏng", "the workbook is damaged"),
])
def test_a_file_that_cannot_be_read_says_why_in_vietnamese(content, vietnamese, english, data_dir, mtqg, tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(content)
    run = mtqg("check", path, "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 2 and "Tệp không đọc được: " + vietnamese in run.stdout, run.stdout
    run = mtqg("check", path, "--period", PERIOD, "--data-dir", data_dir, "--lang", "en")
    assert run.code == 2 and english in run.stdout, run.stdout
