"""``mtqg clean`` and the processed table (spec §4): columns, dtypes, provenance, parquet and
CSV alike, rounding to the đồng, and ``load_period`` rebuilding only when a raw file changed."""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from mtqg_analysis.store import load_period, processed_dir
from workbook_builder import PERIOD, Sheet, first_data_row

COLUMNS = ["period", "unit_code", "unit_name", "line_code", "capital_type", "budget_source", "capital_year",
           "measure_unit", "plan_qty", "done_qty", "plan_vnd", "disbursed_vnd", "source_file", "source_sheet",
           "source_row", "note"]
NUMBERS = ("capital_year", "plan_qty", "done_qty", "plan_vnd", "disbursed_vnd", "source_row")
HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, "đã xong")
LAND = ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, "62,41", 1, "50", None, None)
PROJECT_8 = ("II", "Dự án 8", None, None, "120", None, "30", None, None)


def clean(mtqg, data_dir, period=PERIOD):
    run = mtqg("clean", "--period", period, "--data-dir", data_dir)
    assert run.code == 0, run.stderr
    return run


def test_clean_writes_parquet_csv_and_quality(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND]))
    run = clean(mtqg, data_dir)
    out = data_dir / "processed" / PERIOD
    assert {p.name for p in out.iterdir()} >= {"funding.parquet", "funding.csv", "quality.csv"}
    assert "2 rows" in run.stdout
    assert "Traceback" not in run.stderr


def test_processed_table_columns_order_and_dtypes(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND, PROJECT_8]))
    clean(mtqg, data_dir)
    parquet = pd.read_parquet(data_dir / "processed" / PERIOD / "funding.parquet")
    assert list(parquet.columns) == COLUMNS
    strings = [c for c in COLUMNS if c not in NUMBERS]
    for column in strings:
        assert pd.api.types.is_string_dtype(parquet[column]), column
    assert parquet["plan_qty"].dtype == "float64" and parquet["done_qty"].dtype == "float64"
    assert parquet["plan_vnd"].dtype == "int64" and parquet["disbursed_vnd"].dtype == "int64"
    assert pd.api.types.is_integer_dtype(parquet["source_row"])
    assert parquet["capital_year"].dtype == "int64" and set(parquet["capital_year"]) == {2024}  # no carried-over groups
    assert set(parquet["period"]) == {"2024-09"}
    # no split: missing values in the parquet (an empty field in the CSV), never a blank label
    assert parquet["capital_type"].isna().all() and parquet["budget_source"].isna().all()
    tidy = load_period(PERIOD, data_dir, rebuild="never")
    assert list(tidy.columns) == COLUMNS
    assert tidy["plan_vnd"].dtype == np.int64


def test_provenance_names_file_relative_to_raw_sheet_and_1_based_row(data_dir, make_workbook, mtqg):
    sheet = Sheet(rows=[HOUSING, LAND], name="Xã Tân Tú")
    make_workbook("xa/tan-tu.xlsx", sheet)
    clean(mtqg, data_dir)
    tidy = load_period(PERIOD, data_dir, rebuild="never").set_index("line_code")
    first = first_data_row(sheet)
    assert tidy.loc["DA1.ND2", ["source_file", "source_sheet", "source_row"]].tolist() == [
        "2024-09/xa/tan-tu.xlsx", "Xã Tân Tú", first]
    assert tidy.loc["DA1.ND1", "source_row"] == first + 1
    assert tidy.loc["DA1.ND2", ["unit_code", "unit_name", "note"]].tolist() == ["01993", "Xã Tân Tú", "đã xong"]


def test_parquet_and_csv_have_the_same_rows(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND, PROJECT_8]), Sheet(rows=[LAND], name="Lục Bình"))
    clean(mtqg, data_dir)
    out = data_dir / "processed" / PERIOD
    parquet = pd.read_parquet(out / "funding.parquet")
    csv = pd.read_csv(out / "funding.csv", encoding="utf-8", dtype={c: str for c in COLUMNS if c not in NUMBERS},
                      keep_default_na=False,
        na_values={"plan_qty": [""], "done_qty": [""]})
    assert list(csv.columns) == COLUMNS
    assert len(csv) == len(parquet) == 4
    for column in COLUMNS:
        left, right = parquet[column].tolist(), csv[column].tolist()
        if column in ("plan_qty", "done_qty"):
            assert np.allclose(left, right, equal_nan=True), column
        else:
            assert ["" if pd.isna(v) else str(v) for v in left] == [str(v) for v in right], column


@pytest.mark.parametrize("unit_line, text, dong", [
    ("Đơn vị tính: triệu đồng", "0,0000005", 1), ("Đơn vị tính: triệu đồng", "1,0000005", 1_000_001),
    ("Đơn vị tính: triệu đồng", "1,0000004", 1_000_000), ("Đơn vị tính: đồng", "2,5", 3),
    ("Đơn vị tính: nghìn đồng", "0,0005", 1), ("Đơn vị tính: nghìn đồng", "1,2345", 1_235),
])
def test_amounts_round_half_away_from_zero_to_the_dong(data_dir, make_workbook, mtqg, unit_line, text, dong):
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, text, 3, text, None, None)],
                                  money_unit=unit_line))
    clean(mtqg, data_dir)
    tidy = load_period(PERIOD, data_dir, rebuild="never")
    assert tidy["plan_vnd"].tolist() == [dong] and tidy["disbursed_vnd"].tolist() == [dong]


def test_period_alias_on_the_command_line_writes_the_canonical_folder(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    clean(mtqg, data_dir, period="2024-9M")
    assert (data_dir / "processed" / "2024-09" / "funding.parquet").exists()


def test_load_period_builds_when_nothing_is_processed(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    tidy = load_period(PERIOD, data_dir)
    assert tidy["line_code"].tolist() == ["DA1.ND2"]
    assert (processed_dir(PERIOD, data_dir) / "funding.parquet").exists()


def test_load_period_does_not_rebuild_when_raw_files_are_unchanged(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    load_period(PERIOD, data_dir)
    parquet = processed_dir(PERIOD, data_dir) / "funding.parquet"
    os.utime(parquet, ns=(1_000_000_000, 1_000_000_000))  # a marker: a rebuild would replace the file
    load_period(PERIOD, data_dir)
    assert parquet.stat().st_mtime_ns == 1_000_000_000


def test_load_period_does_not_rebuild_when_a_raw_file_is_only_touched(data_dir, make_workbook):
    """Changes are told by content (SHA-256), not by dates: a copied or touched file with the same
    bytes is the same input."""
    path = make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    load_period(PERIOD, data_dir)
    parquet = processed_dir(PERIOD, data_dir) / "funding.parquet"
    os.utime(parquet, ns=(1_000_000_000, 1_000_000_000))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    load_period(PERIOD, data_dir)
    assert parquet.stat().st_mtime_ns == 1_000_000_000


def test_load_period_rebuilds_when_a_raw_file_changes(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    assert load_period(PERIOD, data_dir)["plan_vnd"].tolist() == [337_590_000]
    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "400", 3, "100", None, None)]))
    assert load_period(PERIOD, data_dir)["plan_vnd"].tolist() == [400_000_000]


def test_load_period_rebuilds_when_a_raw_file_is_added_or_removed(data_dir, make_workbook):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    load_period(PERIOD, data_dir)
    extra = make_workbook("b.xlsx", Sheet(rows=[HOUSING], name="Lục Bình"))
    assert sorted(load_period(PERIOD, data_dir)["unit_code"]) == ["01990", "01993"]
    extra.unlink()
    assert load_period(PERIOD, data_dir)["unit_code"].tolist() == ["01993"]


def test_tables_an_older_version_processed_are_made_again_or_named_never_misread(data_dir, make_workbook, mtqg):
    """A data folder processed by an older version: its manifest in another layout and its table
    without a column this version has (capital_year). Loading rebuilds it; read without
    rebuilding (``rebuild="never"``, as the notebooks of a run do) it is refused with what to do,
    not a KeyError in a report."""
    import json

    from mtqg_analysis.errors import InputErrors
    from mtqg_analysis.store import is_stale

    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    load_period(PERIOD, data_dir)
    out = processed_dir(PERIOD, data_dir)
    pd.read_parquet(out / "funding.parquet").drop(columns="capital_year").to_parquet(out / "funding.parquet")
    (out / "manifest.json").write_text(json.dumps({"files": {f"{PERIOD}/a.xlsx": [1, 2]}, "package_version": "0.1.0"}))
    with pytest.raises(InputErrors) as refused:
        load_period(PERIOD, data_dir, rebuild="never")
    assert f"made by an older version of mtqg-analysis; run: mtqg clean --period {PERIOD}" in str(refused.value)
    assert refused.value.errors[0].text("vi").startswith(f"bảng đã tổng hợp của kỳ {PERIOD} do một phiên bản cũ hơn")
    assert is_stale(PERIOD, data_dir)
    assert "capital_year" in load_period(PERIOD, data_dir).columns  # rebuilt
    assert not is_stale(PERIOD, data_dir)


def test_csv_files_have_a_bom_so_that_excel_reads_them_as_utf8(data_dir, make_workbook, mtqg):
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND], name="Xã Tân Tú"))
    clean(mtqg, data_dir)
    out = data_dir / "processed" / PERIOD
    for name in ("funding.csv", "quality.csv"):
        raw = (out / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert raw.count(b"\xef\xbb\xbf") == 1, name
    assert "Xã Tân Tú" in (out / "funding.csv").read_text(encoding="utf-8-sig")
    from mtqg_analysis.store import load_quality

    assert list(load_quality(PERIOD, data_dir, rebuild="never").columns)[0] == "severity"


def test_unsplit_rows_have_missing_splits_and_every_reader_still_behaves(data_dir, make_workbook, mtqg):
    from mtqg_analysis import analysis
    from workbook_builder import COLUMNS_SPLIT

    split = [{"stt": "1", "label": "Nội dung số 02: Hỗ trợ nhà ở", "unit": "nhà", "plan_qty": 7, "plan_dtpt": "300",
              "plan_sn": "37,59", "done_qty": 3, "done_dtpt": "100", "done_sn": "-"}]
    make_workbook("a.xlsx", Sheet(rows=split, columns=COLUMNS_SPLIT, name="Xã Tân Tú"),
                  Sheet(rows=[HOUSING, LAND], name="Lục Bình"))
    clean(mtqg, data_dir)
    tidy = load_period(PERIOD, data_dir, rebuild="never")
    unsplit = tidy[tidy["unit_name"] == "Xã Lục Bình"]
    assert unsplit["capital_type"].isna().all() and unsplit["budget_source"].isna().all()
    assert set(tidy["capital_type"].dropna()) == {"dtpt", "sn"}
    # groupby keeps the unsplit rows when asked, and shows them as missing, not as a blank label
    by_type = tidy.groupby("capital_type", dropna=False)["plan_vnd"].sum()
    assert by_type.index.isna().sum() == 1 and "" not in by_type.index
    # the analysis reads them as "not split": the catalog's usual type (housing and land are dtpt)
    capital = analysis.by_capital_type(tidy).set_index("effective_capital")["plan_vnd"]
    assert capital.to_dict() == {"dtpt": 300_000_000 + 337_590_000 + 62_410_000, "sn": 37_590_000}
    assert analysis.by_budget_source(tidy)["budget_source"].tolist() == [""]
    # the CSV has empty fields there, as spec §4.1 says
    csv = pd.read_csv(data_dir / "processed" / PERIOD / "funding.csv", dtype=str, keep_default_na=False)
    assert set(csv.loc[csv["source_sheet"] == "Lục Bình", "capital_type"]) == {""}
    # the same unsplit line reported twice is still an error naming both places
    make_workbook("b.xlsx", Sheet(rows=[LAND], name="Lục Bình"))
    again = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert again.code == 2 and "is reported twice" in again.stderr
