"""Spec §2.1: ``units.csv`` as people edit it (in Excel, on Windows), read through the real
``mtqg clean``: encodings and delimiters, codes whose leading zeros Excel dropped, empty rows,
clear errors for a missing file or column, the packaged list only for the shipped sample.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mtqg_analysis.domain.units import load_units
from mtqg_analysis.store import processed_dir
from mtqg_analysis.store.paths import SAMPLE_DATA_DIR, units_for
from test_read_rules import to_cp1258
from workbook_builder import PERIOD, Sheet

REPO = Path(__file__).resolve().parents[1]
HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, None)
HEADER = "code,name,kind,district,province,aliases,valid_from,valid_to"
ROWS = ["063,Huyện Bạch Thông,huyen,Bạch Thông,Bắc Kạn,Cấp huyện,2020-02-01,",
        "01993,Xã Tân Tú,xa,Bạch Thông,Bắc Kạn,Tân Tú,2020-02-01,",
        "01990,Xã Lục Bình,xa,Bạch Thông,Bắc Kạn,Lục Bình,2020-02-01,"]


def write_units(data_dir, lines: list[str], *, encoding: str = "utf-8", delimiter: str = ",",
                end: str = "\r\n") -> Path:
    path = data_dir / "raw" / "units.csv"
    text = end.join(line.replace(",", delimiter) for line in lines) + end
    path.write_bytes(to_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def clean(mtqg, data_dir):
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert "Traceback" not in run.stdout + run.stderr
    return run


def quality(data_dir) -> pd.DataFrame:
    return pd.read_csv(processed_dir(PERIOD, data_dir) / "quality.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_units_csv_encodings_and_delimiters(data_dir, make_workbook, mtqg, encoding, delimiter):
    write_units(data_dir, [HEADER, *ROWS], encoding=encoding, delimiter=delimiter)
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]), Sheet(rows=[HOUSING], name="Lục Bình"))
    run = clean(mtqg, data_dir)
    assert run.code == 0, run.stderr
    units = load_units(data_dir / "raw" / "units.csv")
    assert units.name("01993") == "Xã Tân Tú" and units.name("01990") == "Xã Lục Bình"


def test_codes_excel_shortened_are_padded_with_a_finding(data_dir, make_workbook, mtqg):
    shortened = ["63,Huyện Bạch Thông,huyen,Bạch Thông,Bắc Kạn,Cấp huyện,2020-02-01,",
                 "1993,Xã Tân Tú,xa,Bạch Thông,Bắc Kạn,Tân Tú,2020-02-01,",
                 "01990,Xã Lục Bình,xa,Bạch Thông,Bắc Kạn,Lục Bình,2020-02-01,",
                 "6,Tỉnh Bắc Kạn,tinh,,Bắc Kạn,,1997-01-01,"]
    write_units(data_dir, [HEADER, *shortened])
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    run = clean(mtqg, data_dir)
    assert run.code == 0, run.stderr
    funding = pd.read_csv(processed_dir(PERIOD, data_dir) / "funding.csv", dtype=str)
    assert funding["unit_code"].tolist() == ["01993"]
    padded = quality(data_dir)
    padded = padded[padded["check"] == "code_padded"].set_index("unit_code")
    assert sorted(padded.index) == ["01993", "06", "063"]
    assert padded.loc["01993", "source_file"] == "units.csv" and padded.loc["01993", "source_row"] == "3"
    assert "unit code '1993' padded to '01993'" in padded.loc["01993", "message"]
    assert set(padded["severity"]) == {"info"}


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_trailing_empty_rows_and_blank_cells_are_ignored(data_dir, make_workbook, mtqg, delimiter):
    write_units(data_dir, [HEADER, *ROWS, ",,,,,,,", "", " , , ", ",,"], delimiter=delimiter)
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    run = clean(mtqg, data_dir)
    assert run.code == 0, run.stderr
    assert len(load_units(data_dir / "raw" / "units.csv").frame) == 3


def test_values_with_spaces_around_them_are_trimmed(data_dir, make_workbook, mtqg):
    write_units(data_dir, [HEADER, " 01993 , Xã Tân Tú ,xa,Bạch Thông,Bắc Kạn, Tân Tú ,2020-02-01,"])
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    assert clean(mtqg, data_dir).code == 0


def test_a_missing_units_csv_is_an_error_saying_where_it_was_looked_for(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    (data_dir / "raw" / "units.csv").unlink()
    run = clean(mtqg, data_dir)
    assert run.code == 2
    assert f"the units table was not found (looked for {data_dir / 'raw' / 'units.csv'})" in run.stderr
    assert "unknown unit" not in run.stderr


@pytest.mark.parametrize("header, missing", [("ma,ten,kind", "code, name"), ("code,ten,kind", "name")])
def test_a_units_csv_without_its_columns_is_an_error_naming_them(data_dir, make_workbook, mtqg, header, missing):
    write_units(data_dir, [header, "01993,Xã Tân Tú,xa"])
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    run = clean(mtqg, data_dir)
    assert run.code == 2
    assert f"file units.csv, row 1: the units table lacks the column(s) {missing}" in run.stderr
    assert f"columns found: {header.replace(',', ', ')}" in run.stderr
    assert "unknown unit" not in run.stderr


def test_a_units_csv_that_is_not_text_is_an_error(data_dir, make_workbook, mtqg):
    (data_dir / "raw" / "units.csv").write_bytes(bytes(range(256)) * 8)
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    run = clean(mtqg, data_dir)
    assert run.code == 2 and "file units.csv: the CSV file is not text" in run.stderr


def test_a_reused_code_is_accepted_when_the_validity_spans_do_not_overlap(data_dir, make_workbook, mtqg):
    lines = [HEADER, ROWS[0], ROWS[1] + "2025-06-30", "01993,Xã Tân Tú Mới,xa,,Thái Nguyên,Tân Tú Mới,2025-07-01,"]
    write_units(data_dir, lines)
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    run = clean(mtqg, data_dir)
    assert run.code == 0, run.stderr
    funding = pd.read_csv(processed_dir(PERIOD, data_dir) / "funding.csv", dtype=str)
    assert funding["unit_name"].tolist() == ["Xã Tân Tú"]  # the unit in force in 2024


def test_a_reused_code_with_overlapping_dates_is_an_error(data_dir, make_workbook, mtqg):
    write_units(data_dir, [HEADER, *ROWS[:2], "01993,Xã Tân Tú Mới,xa,,Thái Nguyên,,2024-01-01,"])
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    run = clean(mtqg, data_dir)
    assert run.code == 2
    assert "file units.csv, row 4, column code: unit code '01993' is in force twice on" in run.stderr


def test_the_packaged_units_serve_only_the_shipped_sample(tmp_path, caplog):
    assert (SAMPLE_DATA_DIR / "raw" / "units.csv").exists()  # the shipped sample has its own file
    elsewhere = tmp_path / "data"
    (elsewhere / "raw").mkdir(parents=True)
    with pytest.raises(Exception, match="the units table was not found"):
        units_for(elsewhere)


def test_the_shipped_sample_without_units_csv_falls_back_and_says_so(tmp_path, monkeypatch, caplog):
    import logging

    import mtqg_analysis.store.paths as paths

    sample = tmp_path / "data"
    (sample / "raw").mkdir(parents=True)
    monkeypatch.setattr(paths, "SAMPLE_DATA_DIR", sample.resolve())
    with caplog.at_level(logging.INFO):
        units = units_for(sample)
    assert units.name("01993") == "Xã Tân Tú"
    assert "using the packaged units of huyện Bạch Thông (the shipped sample)" in caplog.text


def test_narrative_reads_a_units_csv_with_reused_codes(tmp_path, mtqg):
    """The second edition's units.csv (GSO reused 01969 in 2025) serves the period's own units."""
    import shutil

    case = REPO / "tests" / "fixtures" / "spec-examples-v2" / "ex7-money-in-column-header"
    shutil.copytree(case / "raw", tmp_path / "data" / "raw")
    run = mtqg("narrative", "--period", "2024-06", "--data-dir", tmp_path / "data")
    assert run.code == 0, run.stderr
    assert "6 tháng đầu năm 2024" in run.stdout and "Phủ Thông" in run.stdout
