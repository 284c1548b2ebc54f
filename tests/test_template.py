"""``mtqg template``: the report form of each unit, and the round trip form -> filled -> read back.

The forms of 2024-09 are made from the shipped sample (2024-06 processed), filled by script with
the figures of the sample's own 2024-09 table, put in a period folder of their own and cleaned:
the table read back is the sample's, value for value.
"""
from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from mtqg_analysis.cli import main
from mtqg_analysis.domain.catalog import load_catalog
from mtqg_analysis.store import build_period, load_period

REPO = Path(__file__).resolve().parents[1]
VALUES = ["unit_code", "line_code", "capital_type", "budget_source", "capital_year", "measure_unit", "plan_qty",
          "done_qty", "plan_vnd", "disbursed_vnd", "note"]
HEADER, SUB, FIRST = 5, 6, 7


def run_mtqg(*args) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main([str(a) for a in args])
    return code, out.getvalue()


def sample_folder(root: Path, *periods: str) -> Path:
    data = root / "data"
    (data / "raw").mkdir(parents=True)
    shutil.copyfile(REPO / "data" / "raw" / "units.csv", data / "raw" / "units.csv")
    for period in periods:
        shutil.copytree(REPO / "data" / "raw" / period, data / "raw" / period)
    return data


def form_columns(sheet) -> dict:
    """The form's columns by what they hold, read from its two header rows as a person would:
    ``qty``/amount columns per side, amounts keyed by the split their heading names."""
    columns, side = {"amount": {}}, None
    for c in range(1, sheet.max_column + 1):
        top, sub = sheet.cell(HEADER, c).value, sheet.cell(SUB, c).value
        if top:
            side = "plan" if top.startswith("Kế hoạch") else "done" if top.startswith("Lũy kế thực hiện") else None
            columns.setdefault({"STT": "stt", "Nội dung": "label", "Đơn vị tính": "measure_unit",
                                "Ghi chú": "note", "Mã nội dung": "code"}.get(top, top), c)
            if top.startswith("Lũy kế kỳ trước"):
                columns["previous"] = c
        if side and sub == "Khối lượng":
            columns[f"{side}_qty"] = c
        elif side and sub:
            capital = "dtpt" if "ĐTPT" in sub else "sn" if "sự nghiệp" in sub else ""
            budget = "nstw" if "NSTW" in sub else "nsdp" if "NSĐP" in sub else ""
            year = re.search(r"năm (\d{4})", sub)
            columns["amount"][(side, sub == "Tổng số", capital, budget, int(year[1]) if year else None)] = c
    return columns


def line_rows(sheet, code_column: int) -> dict[str, int]:
    return {sheet.cell(r, code_column).value: r for r in range(FIRST + 1, sheet.max_row + 1)
            if sheet.cell(r, code_column).value}


def fill_form(path: Path, rows: pd.DataFrame, to: Path) -> None:
    """Fill a form with a unit's rows the way a commune would: only the cells left to fill."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[1]
    cols = form_columns(sheet)
    where = line_rows(sheet, cols["code"])
    amounts = cols["amount"]
    split = len(amounts) > 2  # more than one amount column a side: "Tổng số" and its splits
    for r in rows.itertuples():
        row = where[r.line_code]
        for side, value in (("plan", r.plan_vnd), ("done", r.disbursed_vnd)):
            if split:
                year = r.capital_year if any(k[4] for k in amounts) else None
                key = (side, False, r.capital_type if pd.notna(r.capital_type) else "",
                       r.budget_source if pd.notna(r.budget_source) else "", year)
            else:
                key = next(k for k in amounts if k[0] == side)
            sheet.cell(row, amounts[key]).value = int(value) / 1e6
        for column, value in (("plan_qty", r.plan_qty), ("done_qty", r.done_qty)):
            if pd.notna(value):
                sheet.cell(row, cols[column]).value = float(value)
        if r.note:
            sheet.cell(row, cols["note"]).value = r.note
    to.parent.mkdir(parents=True, exist_ok=True)
    book.save(to)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """The forms of 2024-09 for every unit, filled from the sample's 2024-09 table and cleaned."""
    root = tmp_path_factory.mktemp("template")
    office = sample_folder(root / "office", "2024-06", "2024-09")
    build_period("2024-06", office)
    truth = build_period("2024-09", office) and load_period("2024-09", office, rebuild="never")
    shutil.rmtree(office / "raw" / "2024-09")  # the period the forms are for has not come back yet
    forms = root / "forms"
    code, out = run_mtqg("template", "--period", "2024-09", "--units", "all", "--data-dir", office,
                         "--out-dir", forms)
    back = sample_folder(root / "back", "2024-06")
    for form in sorted(forms.glob("*.xlsx")):
        fill_form(form, truth[truth["unit_code"] == form.stem], back / "raw" / "2024-09" / form.name)
    build_period("2024-06", back)
    build_period("2024-09", back)
    return {"code": code, "out": out, "forms": forms, "truth": truth, "office": office, "back": back,
            "read": load_period("2024-09", back, rebuild="never")}


def _values(table: pd.DataFrame) -> pd.DataFrame:
    return table[VALUES].sort_values(VALUES[:5]).reset_index(drop=True)


def test_template_writes_a_form_per_unit_expected_to_report(cycle):
    assert cycle["code"] == 0
    names = sorted(p.name for p in cycle["forms"].glob("*.xlsx"))
    assert len(names) == 15
    assert names == sorted(f"{c}.xlsx" for c in cycle["truth"]["unit_code"].unique())
    assert sorted(cycle["out"].splitlines()) == [str(cycle["forms"] / n) for n in names]


def test_filled_forms_read_back_as_the_sample_table(cycle):
    pd.testing.assert_frame_equal(_values(cycle["read"]), _values(cycle["truth"]))
    quality = pd.read_csv(cycle["back"] / "processed" / "2024-09" / "quality.csv", dtype=str)
    # The subtotals are formulas saved without values: computed by the reader, they agree.
    assert "subtotal_mismatch" not in set(quality["check"])


def test_form_content_of_a_unit(cycle):
    book = openpyxl.load_workbook(cycle["forms"] / "01975.xlsx")
    assert book.sheetnames == ["Hướng dẫn", "Xã Vi Hương"]
    guide = [c.value for c in book["Hướng dẫn"]["A"] if c.value]
    assert "mtqg check" in guide[-1] and "Vi Hương" in guide[1]
    sheet = book["Xã Vi Hương"]
    assert sheet["A1"].value == "UBND XÃ VI HƯƠNG"
    assert "9 THÁNG NĂM 2024" in sheet["A2"].value
    assert "Đơn vị tính: triệu đồng" in [c.value for c in sheet[4]]
    cols = form_columns(sheet)
    where = line_rows(sheet, cols["code"])
    earlier = load_period("2024-06", cycle["office"], rebuild="never")
    had = earlier[earlier["unit_code"] == "01975"]
    catalog = load_catalog()
    shown = {code for code, r in where.items() if not sheet.row_dimensions[r].hidden}
    # The lines it had in 2024-06 and the lines above them; the rest of the catalog is there, hidden.
    assert shown == set(had["line_code"]) | {a for c in had["line_code"] for a in catalog.ancestors(c)}
    assert set(where) == set(catalog.codes)
    plan = next(c for k, c in cols["amount"].items() if k[0] == "plan")
    for r in had.itertuples():  # pre-filled: the plan and, for reference, the disbursement so far
        assert sheet.cell(where[r.line_code], plan).value == r.plan_vnd / 1e6
        assert sheet.cell(where[r.line_code], cols["previous"]).value == r.disbursed_vnd / 1e6
        assert sheet.cell(where[r.line_code], cols["label"]).value == catalog.name(r.line_code)
    assert sheet.cell(FIRST, cols["label"]).value == "Tổng cộng"
    assert sheet.cell(FIRST, plan).value.startswith("=SUM(")
    assert sheet.cell(where["DA4"], plan).value == f"=SUM({openpyxl.utils.get_column_letter(plan)}{where['DA4.TDA1']}," \
                                                   f"{openpyxl.utils.get_column_letter(plan)}{where['DA4.TDA2']})"


def test_split_units_get_their_split_columns(cycle):
    sheet = openpyxl.load_workbook(cycle["forms"] / "01984.xlsx").worksheets[1]
    keys = set(form_columns(sheet)["amount"])
    assert {k[:3] for k in keys} == {(s, t, c) for s in ("plan", "done") for t, c in
                                     ((True, ""), (False, "dtpt"), (False, "sn"))}


def test_locked_cells_and_validation(cycle):
    sheet = openpyxl.load_workbook(cycle["forms"] / "01975.xlsx").worksheets[1]
    assert sheet.protection.sheet and not sheet.protection.password
    cols = form_columns(sheet)
    where = line_rows(sheet, cols["code"])
    leaf, subtotal = where["DA1.ND2"], where["DA1"]
    plan = next(c for k, c in cols["amount"].items() if k[0] == "plan")
    done = next(c for k, c in cols["amount"].items() if k[0] == "done")
    to_fill = [(leaf, c) for c in (cols["plan_qty"], plan, cols["done_qty"], done, cols["note"])]
    locked = [(leaf, cols["label"]), (leaf, cols["stt"]), (leaf, cols["code"]), (leaf, cols["previous"]),
              (subtotal, plan), (subtotal, done), (FIRST, done), (HEADER, plan)]
    assert all(not sheet.cell(r, c).protection.locked for r, c in to_fill)
    assert all(sheet.cell(r, c).protection.locked for r, c in locked)
    rules = sheet.data_validations.dataValidation
    assert len(rules) == 1
    rule = rules[0]
    assert (rule.type, rule.operator, rule.formula1, rule.showErrorMessage) == \
        ("decimal", "greaterThanOrEqual", "0", True)
    covered = {cell for rng in rule.sqref.ranges for cell in rng.cells}
    assert all((r, c) in covered for r, c in to_fill if c != cols["note"])
    assert (subtotal, plan) not in covered and (leaf, cols["note"]) not in covered


def test_whole_catalog_round_trip_at_every_level(tmp_path):
    """A unit without earlier figures gets the whole catalog; a value on every line without lines
    below it (projects, sub-projects, contents and items) reads back on that line."""
    data = sample_folder(tmp_path, "2024-06")
    code, _ = run_mtqg("template", "--period", "2024-06", "--units", "01975", "--data-dir", data,
                       "--out-dir", tmp_path / "forms")
    assert code == 0
    catalog = load_catalog()
    leaves = [c for c in catalog.codes if not catalog.children(c)]
    assert {catalog.frame.at[c, "level"] for c in leaves} == {"project", "subproject", "content", "item"}
    rows = pd.DataFrame({"line_code": leaves, "plan_vnd": [(i + 1) * 1_234_567 for i in range(len(leaves))],
                         "disbursed_vnd": [(i + 1) * 1_000_001 for i in range(len(leaves))],
                         "plan_qty": [float(i + 2) for i in range(len(leaves))],
                         "done_qty": [float(i + 1) for i in range(len(leaves))], "note": "",
                         "capital_type": pd.NA, "budget_source": pd.NA, "capital_year": 2024})
    shutil.rmtree(data / "raw" / "2024-06")
    fill_form(tmp_path / "forms" / "01975.xlsx", rows, data / "raw" / "2024-06" / "01975.xlsx")
    build_period("2024-06", data)
    read = load_period("2024-06", data, rebuild="never").set_index("line_code").loc[leaves]
    assert list(read["plan_vnd"]) == list(rows["plan_vnd"])
    assert list(read["disbursed_vnd"]) == list(rows["disbursed_vnd"])
    assert list(read["done_qty"]) == list(rows["done_qty"])
    sheet = openpyxl.load_workbook(tmp_path / "forms" / "01975.xlsx").worksheets[1]
    assert not any(sheet.row_dimensions[r].hidden for r in range(FIRST, sheet.max_row + 1))


def test_unknown_unit_is_refused(tmp_path):
    data = sample_folder(tmp_path, "2024-06")
    code, _ = run_mtqg("template", "--period", "2024-09", "--units", "99999", "--data-dir", data)
    assert code == 2
    assert not (tmp_path / "templates").exists()


def test_after_the_reorganisation_forms_of_the_units_in_force_with_carried_over_capital(tmp_path):
    """2025-EXT: the five communes in force at its end get forms, with the capital of 2025 beside
    the capital of 2024 carried over; filled from the sample's table, they read back as it."""
    office = sample_folder(tmp_path / "office", "2025-06", "2025-12", "2025-EXT")
    for period in ("2025-06", "2025-12", "2025-EXT"):
        build_period(period, office)
    truth = load_period("2025-EXT", office, rebuild="never")
    code, _ = run_mtqg("template", "--period", "2025-EXT", "--data-dir", office, "--out-dir", tmp_path / "forms")
    assert code == 0
    forms = sorted((tmp_path / "forms").glob("*.xlsx"))
    assert [f.stem for f in forms] == sorted(truth["unit_code"].unique())
    heads = {sheet.cell(SUB, c).value for sheet in [openpyxl.load_workbook(forms[0]).worksheets[1]]
             for c in range(1, sheet.max_column + 1)}
    assert {"Vốn năm 2025", "Vốn năm 2024 kéo dài"} <= heads
    back = sample_folder(tmp_path / "back", "2025-06", "2025-12")
    for form in forms:
        fill_form(form, truth[truth["unit_code"] == form.stem], back / "raw" / "2025-EXT" / form.name)
    for period in ("2025-06", "2025-12", "2025-EXT"):
        build_period(period, back)
    pd.testing.assert_frame_equal(_values(load_period("2025-EXT", back, rebuild="never")), _values(truth))


def test_one_workbook_holds_the_same_sheet_per_unit(cycle, tmp_path):
    code, out = run_mtqg("template", "--period", "2024-09", "--units", "01975", "01984", "--one-workbook",
                         "--data-dir", cycle["office"], "--out-dir", tmp_path)
    assert code == 0 and out.strip() == str(tmp_path / "2024-09.xlsx")
    book = openpyxl.load_workbook(tmp_path / "2024-09.xlsx")
    assert book.sheetnames == ["Hướng dẫn", "Xã Vi Hương", "Xã Đôn Phong"]
    assert "2 đơn vị" in book["Hướng dẫn"]["A2"].value
    for name, unit in (("Xã Vi Hương", "01975"), ("Xã Đôn Phong", "01984")):
        alone = openpyxl.load_workbook(cycle["forms"] / f"{unit}.xlsx").worksheets[1]
        sheet = book[name]
        assert [[c.value for c in row] for row in sheet.iter_rows()] == [[c.value for c in row] for row in alone.iter_rows()]
        assert sheet.protection.sheet and len(sheet.data_validations.dataValidation) == 1


def test_an_output_that_cannot_be_written_is_said_with_exit_code_4(tmp_path):
    data = sample_folder(tmp_path, "2024-06")
    taken = tmp_path / "forms"
    taken.write_text("a file where the folder should be")
    code, _ = run_mtqg("template", "--period", "2024-06", "--units", "01975", "--data-dir", data, "--out-dir", taken)
    assert code == 4
    assert taken.read_text() == "a file where the folder should be"
