"""Fuzzing the reader and cleaner with mutated sample workbooks (docs/robustness.md, "Fuzzing").

Random edits of the shipped 2024-06 workbook (cell values and types, formulas, merges, deleted
rows and sheets) go through ``build_period`` in-process. Whatever the mutation, the result is
either a valid table or a clean :class:`~mtqg_analysis.errors.InputErrors` naming places; any
other exception is a bug.

The budget is small by default so that ``make test`` stays quick; a longer run:

    MTQG_FUZZ_EXAMPLES=2000 MTQG_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_fuzz.py

Without MTQG_FUZZ_RANDOM the examples are derandomized (the same on every run, as CI needs);
with it, every run draws new ones.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtqg_analysis.errors import InputError, InputErrors, MtqgError
from mtqg_analysis.store import build_period, load_period

REPO = Path(__file__).resolve().parents[1]
SAMPLE = next((REPO / "data" / "raw" / "2024-06").glob("*.xlsx"))
SAMPLE_BYTES = SAMPLE.read_bytes()
EXAMPLES = int(os.environ.get("MTQG_FUZZ_EXAMPLES", "12"))

SPECIAL_TEXT = ["=SUM(E8:E12)", "=E8+E9-E10", "=AVERAGE(E7:E9)", "=Sheet9!A1", "-", "–", "", " ",
                "1.270,5", "807,463", "30,43%", "12a", "1.2.3", "Tổng cộng", "Trong đó", "Dự án 1", "DA4",
                "Tiểu dự án 2", "Nội dung số 02", "STT", "Nội dung", "Kế hoạch vốn", "Giải ngân",
                "Đơn vị tính: nghìn đồng", "ĐVT: đô la", "UBND XÃ TÂN TÚ", "Xã Không Rõ", "Hç trî nhµ ë",
                "PhÆ°á»ng", "=HYPERLINK(\"http://x\",\"y\")", "+1+1", "@SUM(1)", "I", "a)", "1.1", "*"]

values = st.one_of(
    st.none(),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(SPECIAL_TEXT),
)
cell_edit = st.tuples(st.just("cell"), st.integers(0, 16), st.integers(1, 30), st.integers(1, 11), values)
merge = st.tuples(st.just("merge"), st.integers(0, 16), st.integers(1, 30), st.integers(1, 11),
                  st.integers(0, 3), st.integers(0, 3))
delete_rows = st.tuples(st.just("delete_rows"), st.integers(0, 16), st.integers(1, 30), st.integers(1, 5))
delete_cols = st.tuples(st.just("delete_cols"), st.integers(0, 16), st.integers(1, 11), st.integers(1, 2))
delete_sheet = st.tuples(st.just("delete_sheet"), st.integers(0, 16))
mutations = st.lists(st.one_of(cell_edit, cell_edit, cell_edit, merge, delete_rows, delete_cols, delete_sheet),
                     min_size=1, max_size=12)


def mutate(book, edits) -> None:
    for edit in edits:
        kind, index = edit[0], edit[1]
        if not book.worksheets:
            return
        sheet = book.worksheets[index % len(book.worksheets)]
        if kind == "cell":
            _, _, row, col, value = edit
            cell = sheet.cell(row=row, column=col)
            if type(cell).__name__ == "MergedCell":
                continue
            cell.value = value
        elif kind == "merge":
            _, _, row, col, height, width = edit
            try:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row + height, end_column=col + width)
            except ValueError:
                pass
        elif kind == "delete_rows":
            sheet.delete_rows(edit[2], edit[3])
        elif kind == "delete_cols":
            sheet.delete_cols(edit[2], edit[3])
        elif kind == "delete_sheet" and len(book.worksheets) > 1:
            book.remove(sheet)


def check_result(data_dir: Path) -> None:
    try:
        result = build_period("2024-06", data_dir)
    except InputErrors as problem:
        assert problem.errors, "InputErrors without any error"
        for error in problem.errors:
            assert isinstance(error, InputError)
            assert error.message.strip()
        assert not (data_dir / "processed" / "2024-06" / "funding.parquet").exists()
        return
    except MtqgError as problem:  # e.g. a parameter error: still a clean, explained failure
        assert str(problem).strip()
        return
    table = load_period("2024-06", data_dir, rebuild="never")
    assert len(table) == result.rows
    assert (table["plan_vnd"] >= 0).all() and (table["disbursed_vnd"] >= 0).all()
    assert table["unit_code"].notna().all() and table["line_code"].notna().all()


@settings(max_examples=EXAMPLES, deadline=None, derandomize="MTQG_FUZZ_RANDOM" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edits=mutations)
def test_mutated_sample_workbook_gives_a_table_or_input_errors(edits):
    book = openpyxl.load_workbook(io.BytesIO(SAMPLE_BYTES))
    mutate(book, edits)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        (data / "raw" / "2024-06").mkdir(parents=True)
        shutil.copyfile(REPO / "data" / "raw" / "units.csv", data / "raw" / "units.csv")
        book.save(data / "raw" / "2024-06" / SAMPLE.name)
        check_result(data)


@settings(max_examples=EXAMPLES, deadline=None, derandomize="MTQG_FUZZ_RANDOM" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(SAMPLE_BYTES) - 1), junk=st.binary(min_size=1, max_size=64))
def test_damaged_bytes_give_input_errors(cut, junk):
    damaged = SAMPLE_BYTES[:cut] + junk + SAMPLE_BYTES[cut + len(junk):]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        (data / "raw" / "2024-06").mkdir(parents=True)
        shutil.copyfile(REPO / "data" / "raw" / "units.csv", data / "raw" / "units.csv")
        (data / "raw" / "2024-06" / SAMPLE.name).write_bytes(damaged)
        check_result(data)
