"""Spec §2 and §3.1: every workbook kind is read under the same rules, and nothing in a period
folder is dropped silently.

- ``.xls`` (written by xlwt) and ``.ods`` (written by odfpy) hold the same report as an ``.xlsx``:
  merged two-row header, a TCVN3 label in a ".VnTime" font, a rate as a fraction with a percent
  number format, an instructions sheet, a hidden sheet with another commune; the tidy rows are
  the same for the three kinds.
- A file is read by its content: an ``.xls`` named ``.xlsx`` and an ``.xlsx`` named ``.xls``.
- Every other file (a signed PDF, a Word file, a zip), a file that cannot be opened and a folder
  that cannot be listed is a ``file_not_read`` finding naming it and what to do, printed at the end
  of the run even with ``--quiet``; a unit whose only file was not read gets a ``unit_missing``
  naming that file.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl.styles import Font

from mtqg_analysis.store import build_period, load_period, processed_dir
from test_legacy import to_tcvn3
from workbook_builder import COLUMNS_2, PERIOD, Cell, Sheet, TextSheet, first_data_row, workbook
from workbook_kinds import save_as

HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", Cell(0.2962, "0.00%"), None)
LAND = ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, 62.41, 1, 50, Cell(0.5, "0.00%"), "đã xong")
WATER = ("3", "Hỗ trợ nước sinh hoạt phân tán", "téc", 4, 12, 4, 12, None, None)
TOTAL = ("", "Tổng cộng", None, None, "412", None, "162", None, None)
KINDS = [".xlsx", ".xls", ".ods"]


def commune_book():
    """A two-commune workbook: Tân Tú visible (a TCVN3 label), Lục Bình on a hidden sheet."""
    book = workbook(TextSheet(), Sheet(rows=[HOUSING, LAND, WATER, TOTAL], columns=COLUMNS_2),
                    Sheet(rows=[HOUSING], name="Lục Bình", titles=["UBND XÃ LỤC BÌNH", "BIỂU TỔNG HỢP"]))
    tan_tu = book["Tân Tú"]
    label = tan_tu.cell(row=first_data_row(Sheet()) + 2, column=2)
    label.value = to_tcvn3("Hỗ trợ nước sinh hoạt phân tán")
    label.font = Font(name=".VnTime")
    book["Lục Bình"].sheet_state = "hidden"
    return book


def clean(data_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    build_period(PERIOD, data_dir)
    quality = pd.read_csv(processed_dir(PERIOD, data_dir) / "quality.csv", dtype=str, keep_default_na=False)
    return load_period(PERIOD, data_dir, rebuild="never"), quality


def comparable(tidy: pd.DataFrame) -> list[tuple]:
    return sorted(tidy[["unit_code", "line_code", "plan_vnd", "disbursed_vnd", "plan_qty", "done_qty",
                        "measure_unit", "source_sheet", "source_row", "note"]].astype(str).itertuples(index=False))


@pytest.mark.parametrize("suffix", KINDS)
def test_every_workbook_kind_is_read_under_the_same_rules(data_dir, suffix):
    save_as(commune_book(), data_dir / "raw" / PERIOD / f"bao-cao{suffix}")
    tidy, quality = clean(data_dir)
    tan_tu = tidy[tidy["unit_code"] == "01993"].set_index("line_code")
    assert tan_tu.loc["DA1.ND2", "plan_vnd"] == 337_590_000 and tan_tu.loc["DA1.ND2", "disbursed_vnd"] == 100_000_000
    assert tan_tu.loc["DA1.ND1", "plan_vnd"] == 62_410_000 and tan_tu.loc["DA1.ND1", "note"] == "đã xong"
    assert tan_tu.loc["DA1.ND4.PT", "plan_vnd"] == 12_000_000  # the TCVN3 label, converted by its font
    assert tidy["plan_vnd"].sum() == 412_000_000 + 337_590_000  # the total row is not added
    assert set(tidy["unit_code"]) == {"01993", "01990"}  # the hidden sheet is read like any other
    assert set(tidy["source_file"]) == {f"2024-09/bao-cao{suffix}"}
    checks = set(quality["check"])
    # The fractions with a percent format are 29,62% and 50%: the first matches 100/337,59 (29,62%),
    # the second does not match 50/62,41 (80,12%). A stated rate read as 0,5% or 5000% would differ.
    rates = quality[quality["check"] == "stated_rate_mismatch"]
    assert list(rates["source_row"]) == [str(first_data_row(Sheet()) + 1)], rates
    assert "50,00%" in rates.iloc[0]["message"]
    assert "legacy_encoding" in checks and "subtotal_mismatch" not in checks
    assert "file_not_read" not in checks


def test_the_three_kinds_give_the_same_rows(tmp_path, data_dir):
    results = []
    for suffix in KINDS:
        root = tmp_path / suffix.strip(".")
        (root / "raw").mkdir(parents=True)
        (root / "raw" / "units.csv").write_bytes((data_dir / "raw" / "units.csv").read_bytes())
        save_as(commune_book(), root / "raw" / PERIOD / f"bao-cao{suffix}")
        tidy, _ = clean(root)
        results.append(comparable(tidy))
    assert results[0] == results[1] == results[2]


@pytest.mark.parametrize("written, named", [(".xls", ".xlsx"), (".xlsx", ".xls"), (".ods", ".xlsx"), (".xlsx", ".csv")])
def test_a_workbook_is_read_by_its_content_not_its_name(data_dir, written, named):
    path = save_as(commune_book(), data_dir / "raw" / PERIOD / f"tmp{written}")
    path.rename(path.with_name(f"bao-cao{named}"))
    tidy, quality = clean(data_dir)
    assert set(tidy["unit_code"]) == {"01993", "01990"}
    assert set(tidy["source_file"]) == {f"2024-09/bao-cao{named}"}
    assert "file_not_read" not in set(quality["check"])


def test_xls_merged_header_cells_are_read_from_their_top_left_cell(data_dir):
    """In the .xls the header's "Kế hoạch vốn giao" spans two columns and "STT" two rows."""
    import xlrd

    path = save_as(commune_book(), data_dir / "raw" / PERIOD / "bao-cao.xls")
    sheet = xlrd.open_workbook(str(path), formatting_info=True).sheet_by_name("Tân Tú")
    assert len(sheet.merged_cells) >= 4
    tidy, _ = clean(data_dir)
    assert tidy.loc[tidy["line_code"] == "DA1.ND2", "plan_qty"].tolist() == [7.0, 7.0]


# --- nothing dropped silently -------------------------------------------------------------------------------
def good_period(data_dir) -> Path:
    folder = data_dir / "raw" / PERIOD
    save_as(workbook(Sheet(rows=[HOUSING, LAND])), folder / "bao-cao-01993.xlsx")
    return folder


def not_read_findings(quality: pd.DataFrame) -> dict[str, str]:
    rows = quality[quality["check"] == "file_not_read"]
    assert set(rows["severity"]) <= {"warning"}
    return dict(zip(rows["source_file"], rows["message"]))


def test_other_files_are_file_not_read_findings_saying_what_to_do(data_dir, mtqg):
    folder = good_period(data_dir)
    (folder / "bao-cao-01993-ban-ky.pdf").write_bytes(b"%PDF-1.4 signed scan")
    (folder / "to-trinh.docx").write_bytes(b"PK\x03\x04 word")
    with zipfile.ZipFile(folder / "cac-xa.zip", "w") as archive:
        archive.writestr("xa.xlsx", b"inside")
    (folder / "~$bao-cao-01993.xlsx").write_bytes(b"\x00lock")  # skipped, not a finding
    (folder / ".DS_Store").write_bytes(b"\x00")  # hidden: skipped
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir, "--quiet")
    assert run.code == 0, run.stderr
    assert "3 file(s) NOT READ" in run.stderr  # even with --quiet
    assert "file 2024-09/cac-xa.zip: not a report file" in run.stderr and "unzip it" in run.stderr
    quality = pd.read_csv(processed_dir(PERIOD, data_dir) / "quality.csv", dtype=str, keep_default_na=False)
    found = not_read_findings(quality)
    assert set(found) == {"2024-09/bao-cao-01993-ban-ky.pdf", "2024-09/to-trinh.docx", "2024-09/cac-xa.zip"}
    assert "signed or scanned copy" in found["2024-09/bao-cao-01993-ban-ky.pdf"]
    assert "Word document" in found["2024-09/to-trinh.docx"]
    assert "unzip it" in found["2024-09/cac-xa.zip"]


def test_a_unit_whose_only_file_was_not_read_is_missing_with_that_file_named(data_dir, mtqg):
    folder = good_period(data_dir)
    (folder / "bao-cao-01975.xlsx").write_bytes(b"PK\x03\x04 cut off while copying")
    (folder / "xa-luc-binh.pdf").write_bytes(b"%PDF-1.4")
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 0, run.stderr
    quality = pd.read_csv(processed_dir(PERIOD, data_dir) / "quality.csv", dtype=str, keep_default_na=False)
    assert "damaged" in not_read_findings(quality)["2024-09/bao-cao-01975.xlsx"]
    missing = quality[quality["check"] == "unit_missing"].set_index("unit_code")
    assert "its file 2024-09/bao-cao-01975.xlsx was not read" in missing.loc["01975", "message"]  # by its code
    assert missing.loc["01975", "source_file"] == "2024-09/bao-cao-01975.xlsx"
    assert "its file 2024-09/xa-luc-binh.pdf was not read" in missing.loc["01990", "message"]  # by its name
    assert "was not read" not in missing.loc["01978", "message"]  # Sĩ Bình sent nothing at all


def test_a_folder_that_cannot_be_listed_is_a_file_not_read_finding(data_dir, mtqg, monkeypatch):
    """Tests run as root, which may list any folder; the refusal the operating system gives a
    normal user is given here by ``os.scandir`` for that one folder."""
    folder = good_period(data_dir)
    locked = folder / "xa-vi-huong"
    locked.mkdir()
    save_as(workbook(Sheet(rows=[HOUSING], name="Vi Hương")), locked / "bao-cao.xlsx")
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir, "--quiet")
    assert run.code == 0, run.stderr
    assert "file 2024-09/xa-vi-huong: the folder cannot be opened (Permission denied)" in run.stderr
    quality = pd.read_csv(processed_dir(PERIOD, data_dir) / "quality.csv", dtype=str, keep_default_na=False)
    assert "permission to read it" in not_read_findings(quality)["2024-09/xa-vi-huong"]


def test_a_file_that_cannot_be_opened_is_a_file_not_read_finding(data_dir, mtqg, monkeypatch):
    import builtins

    folder = good_period(data_dir)
    save_as(workbook(Sheet(rows=[HOUSING], name="Vi Hương")), folder / "bao-cao-01975.xlsx")
    locked = folder / "bao-cao-01975.xlsx"
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, Path)) and Path(file) == locked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "file 2024-09/bao-cao-01975.xlsx: the file cannot be opened (Permission denied)" in run.stderr
    quality = pd.read_csv(processed_dir(PERIOD, data_dir) / "quality.csv", dtype=str, keep_default_na=False)
    missing = quality[quality["check"] == "unit_missing"].set_index("unit_code")
    assert "bao-cao-01975.xlsx was not read" in missing.loc["01975", "message"]


def test_a_failed_run_still_names_the_files_not_read(data_dir, mtqg):
    folder = data_dir / "raw" / PERIOD
    folder.mkdir(parents=True)
    (folder / "bao-cao-01993.xlsx").write_bytes(b"")
    (folder / "bao-cao.pdf").write_bytes(b"%PDF")
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir, "--quiet")
    assert run.code == 2
    assert "no report sheet with data was found" in run.stderr and "2 file(s) could not be read" in run.stderr
    assert "file 2024-09/bao-cao-01993.xlsx: the file is empty (0 bytes)" in run.stderr
    assert "file 2024-09/bao-cao.pdf: not a report file" in run.stderr
    assert not (processed_dir(PERIOD, data_dir) / "funding.parquet").exists()


def test_a_period_folder_that_is_a_link_is_named_as_such(tmp_path, data_dir, mtqg):
    elsewhere = tmp_path / "o-khac" / "2024-09"
    save_as(workbook(Sheet(rows=[HOUSING])), elsewhere / "a.xlsx")
    save_as(workbook(Sheet(rows=[LAND], name="Vi Hương")), elsewhere / "b.xlsx")
    os.symlink(elsewhere, data_dir / "raw" / PERIOD)
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 2
    assert "Traceback" not in run.stderr
    assert f"file 2024-09: the period folder is a link (symlink) to {elsewhere}" in run.stderr
    assert "pointing outside" not in run.stderr  # one message for the folder, none per file


def test_a_linked_subfolder_is_named_not_walked(tmp_path, data_dir, mtqg):
    folder = good_period(data_dir)
    elsewhere = tmp_path / "o-khac"
    save_as(workbook(Sheet(rows=[LAND], name="Vi Hương")), elsewhere / "b.xlsx")
    os.symlink(elsewhere, folder / "xa-khac")
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 0, run.stderr
    assert "file 2024-09/xa-khac: this folder is a link (symlink)" in run.stderr


def test_adding_a_file_not_read_makes_the_processed_table_stale(data_dir):
    from mtqg_analysis.store import is_stale

    folder = good_period(data_dir)
    build_period(PERIOD, data_dir)
    assert not is_stale(PERIOD, data_dir)
    (folder / "bao-cao-ban-ky.pdf").write_bytes(b"%PDF")
    assert is_stale(PERIOD, data_dir)


def test_narrative_also_ends_by_naming_the_files_not_read(data_dir, mtqg):
    folder = good_period(data_dir)
    (folder / "bao-cao-01993-ban-ky.pdf").write_bytes(b"%PDF-1.4")
    run = mtqg("narrative", "--period", PERIOD, "--data-dir", data_dir, "--quiet")
    assert run.code == 0, run.stderr
    assert "Tân Tú" in run.stdout
    assert "mtqg narrative: 1 file(s) NOT READ" in run.stderr
    assert "file 2024-09/bao-cao-01993-ban-ky.pdf: not a report file" in run.stderr
