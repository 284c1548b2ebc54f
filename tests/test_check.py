"""``mtqg check``: what cleaning would say about a file, said about that file alone, before it is
sent; in Vietnamese, with the cell and what to do; nothing written under data/.

Every file of the shipped sample and of the spec examples (both editions) is checked after its
period was cleaned: the check gives the findings cleaning gave for that file, and the errors for a
file cleaning refuses.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import REPO, tree_hashes
from mtqg_analysis.errors import InputErrors
from mtqg_analysis.report.check import check_lines, check_text, context_line, verdict
from mtqg_analysis.store import (build_period, catalog_for, earlier_periods, load_period, load_quality, periods,
                                 units_for)
from mtqg_analysis.validate import check_files
from workbook_builder import Sheet

FIXTURES = REPO / "tests" / "fixtures"
CASES = [REPO / "data"] + sorted((FIXTURES / "spec-examples").iterdir()) + sorted((FIXTURES / "spec-examples-v2").iterdir())
FINDING = ["check", "unit_code", "line_code", "source_file", "source_sheet", "source_row", "details"]


def cleaned_copy(case: Path, to: Path) -> Path:
    """A copy of a case's raw folder with every period cleaned, oldest first."""
    data = to / "data"
    shutil.copytree(case / "raw", data / "raw")
    for period in periods(data):
        build_period(period, data)
    return data


def clean_findings_of(data: Path, period, display: str) -> pd.DataFrame:
    """What cleaning found about one file: the findings placed in it, and the falls of lines its
    units no longer report (those have no place in a file)."""
    quality = load_quality(period, data, rebuild="never")
    units = set(load_period(period, data, rebuild="never").query("source_file == @display")["unit_code"])
    theirs = (quality["source_file"] == display) | (
        (quality["source_file"] == "") & quality["unit_code"].isin(units) & (quality["check"] == "cumulative_decrease"))
    return quality[theirs]


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return sorted(tuple(str(v) for v in r) for r in frame[FINDING].itertuples(index=False))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_check_gives_what_clean_gives_for_each_file(case, tmp_path, mtqg):
    data = cleaned_copy(case, tmp_path)
    before = tree_hashes(data)
    catalog = catalog_for(data)
    for period in periods(data):
        earlier = [p for p in periods(data) if p.year == period.year and p < period]
        context = context_line(period, max(earlier) if earlier else None)
        files = sorted(p for p in (data / "raw").glob(f"{period}*/**/*") if p.is_file())
        displays = [path.relative_to(data / "raw").as_posix() for path in files]
        expected = {name: clean_findings_of(data, period, name) for name in displays}
        every = pd.concat(expected.values(), ignore_index=True)
        not_read = "file_not_read" in set(every["check"])  # cleaning goes on without such a file: refused
        # All the period's files at once: word for word what cleaning found about each of them,
        # each finding in Vietnamese at its place, grouped by file and sheet; nothing for a clean file.
        run = mtqg("check", *files, "--period", period, "--data-dir", data, "-q")
        assert run.code == (2 if not_read else 1 if len(every) else 0), run.stdout
        summary = verdict(0, len(every), not_read)
        assert run.stdout == check_text(check_lines([], every, catalog), summary, context)
        if len(files) > 1:  # one file alone says the same about it
            first, name = files[0], displays[0]
            run = mtqg("check", first, "--period", period, "--data-dir", data, "-q")
            one_not_read = "file_not_read" in set(expected[name]["check"])
            assert run.code == (2 if one_not_read else 1 if len(expected[name]) else 0), (name, run.stdout)
            summary = verdict(0, len(expected[name]), one_not_read)
            assert run.stdout == check_text(check_lines([], expected[name], catalog), summary, context), name
        if not len(every):
            assert "Tệp sẵn sàng để gửi" in run.stdout
    result = check_files(files, data / "raw", period, units_for(data).at(period), catalog,
                         earlier_periods(period, data, rebuild="never"))
    assert _rows(result.findings) == _rows(every)  # the same findings, as data
    assert tree_hashes(data) == before  # nothing written under data/


def test_check_gives_the_errors_clean_refuses_a_file_for(tmp_path, mtqg):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "raw", data / "raw", ignore=shutil.ignore_patterns("2025*", "2024-12"))
    build_period("2024-06", data)
    path = data / "raw" / "2024-09" / "bao-cao-mtqg-9-thang-2024.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Xã Vi Hương"]
    sheet["G10"] = "12a"  # a text that is not a number, in the disbursed cell of Nội dung số 02
    book.save(path)
    with pytest.raises(InputErrors) as refused:
        build_period("2024-09", data)
    before = tree_hashes(data)
    run = mtqg("check", path, "--data-dir", data, "-q", "--html", tmp_path / "kq.html")
    assert run.code == 2
    errors = [e for e in refused.value.errors if e.file == "2024-09/bao-cao-mtqg-9-thang-2024.xlsx"]
    assert errors
    for error in errors:  # in Vietnamese, at its cell, saying what to do
        assert error.text("vi") in run.stdout and error.message not in run.stdout
        assert f"Ô {error.column.split()[0]}{error.row}:" in run.stdout  # "G (Lũy kế ... / Tổng số)" -> Ô G10
    assert "Ô G10: [Lỗi] '12a' không phải là số; hãy ghi số" in run.stdout
    assert "Tệp sẽ bị từ chối" in run.stdout
    english = mtqg("check", path, "--data-dir", data, "-q", "--lang", "en")
    assert english.code == 2 and "Cell G10: [Error] '12a' is not a number" in english.stdout
    assert all(error.message in english.stdout for error in errors)
    page = (tmp_path / "kq.html").read_text(encoding="utf-8")
    assert "Tệp sẽ bị từ chối" in page and "Xã Vi Hương" in page and "Ô G10" in page
    assert tree_hashes(data) == before


def test_each_kind_of_finding(data_dir, make_workbook, mtqg, tmp_path):
    """A commune's file with a fall from the previous period, money and quantity above the plan, a
    wrong stated rate, a subtotal that disagrees, and a unit no longer in force."""
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "300", 3, "200", None, None)]),
                  period="2024-06")
    build_period("2024-06", data_dir)
    path = make_workbook("a.xlsx", Sheet(rows=[
        ("I", "Dự án 1", None, None, "400", None, "999", None, None),
        ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "300", 3, "150", "10", None),
        ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 2, "100", 5, "120", None, None),
    ]), period="2024-09")
    html = tmp_path / "out" / "kq.html"
    before = tree_hashes(data_dir)
    run = mtqg("check", path, "--data-dir", data_dir, "--html", html)
    assert run.code == 1, run.stdout + run.stderr
    out = run.stdout
    assert "so sánh với số liệu 6 tháng đầu năm 2024" in out
    assert "Tệp 2024-09/a.xlsx" in out and "Trang tính 'Tân Tú'" in out
    for words in ("Số giải ngân lũy kế giảm", "số liệu lũy kế từ đầu năm không được giảm",  # cumulative_decrease
                  "Giải ngân vượt kế hoạch", "Khối lượng vượt kế hoạch", "Tỷ lệ ghi sai", "Dòng tổng không khớp",
                  "Tệp được chấp nhận"):
        assert words.lower() in out.lower(), words
    assert "Ô H8: [Cảnh báo] Tỷ lệ ghi sai" in out  # the stated rate, at its cell
    # Each at its cell where the finding is about one cell: the disbursed "Tổng số", the quantity done.
    assert "Ô G8: [Cảnh báo] Số lũy kế giảm" in out and "Ô G9: [Cảnh báo] Giải ngân vượt kế hoạch" in out
    assert "Ô F9: [Cảnh báo] Khối lượng vượt kế hoạch" in out
    # The subtotal row states a disbursed amount the rows do not sum to: the cell of that amount.
    assert "Ô G7: [Cảnh báo] Dòng tổng không khớp" in out and "Dòng 7:" not in out
    page = html.read_text(encoding="utf-8")
    assert "Giải ngân vượt kế hoạch" in page and "<script" not in page
    assert tree_hashes(data_dir) == before
    # A unit no longer in force at the period's end (spec §2.1): a finding, the file is accepted.
    old = make_workbook("b.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 1, "10", 0, "0", None, None)],
                                        name="Tân Tú", titles=["UBND XÃ TÂN TÚ"]), period="2025-12")
    run = mtqg("check", old, "--data-dir", data_dir)
    assert run.code == 1 and "Đơn vị không còn hiệu lực" in run.stdout


def test_a_file_that_cannot_be_read_is_refused(data_dir, mtqg, tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(b"%PDF-1.4 not a workbook")
    run = mtqg("check", path, "--period", "2024-09", "--data-dir", data_dir)
    assert run.code == 2
    assert "Tệp không đọc được" in run.stdout and "bao-cao.xlsx" in run.stdout


def test_check_needs_a_period_and_existing_files(data_dir, mtqg, tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"")
    assert mtqg("check", tmp_path / "x.xlsx", "--data-dir", data_dir).code == 2
    run = mtqg("check", tmp_path / "nothing.xlsx", "--period", "2024-09", "--data-dir", data_dir)
    assert run.code == 2 and "no such file" in run.stderr


def test_a_previous_period_not_cleaned_yet_is_said_not_compared(data_dir, make_workbook, mtqg):
    """The office has the 2024-06 reports but has not run ``mtqg clean`` on them: check compares
    with nothing, says so on its first line with the command, and does not call the period
    unreadable (check never cleans it itself: it writes nothing under data/)."""
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "300", 3, "200", None, None)]),
                  period="2024-06")
    path = make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "300", 3, "150", None, None)]),
                         period="2024-09")
    before = tree_hashes(data_dir)
    run = mtqg("check", path, "--data-dir", data_dir)
    first = run.stdout.splitlines()[0]
    assert "số liệu 6 tháng đầu năm 2024 chưa được tổng hợp" in first and "mtqg clean --period 2024-06" in first
    assert "Không đọc được kỳ trước" not in run.stdout and "lũy kế giảm" not in run.stdout.lower()
    assert run.code == 0, run.stdout
    assert tree_hashes(data_dir) == before
    english = mtqg("check", path, "--data-dir", data_dir, "--lang", "en")
    assert "2024 is not consolidated yet" in english.stdout.splitlines()[0], english.stdout
    build_period("2024-06", data_dir)  # once cleaned, the fall is found
    assert "Ô G7: [Cảnh báo] Số lũy kế giảm" in mtqg("check", path, "--data-dir", data_dir).stdout
