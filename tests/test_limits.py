"""Protective checks before openpyxl opens a raw file (docs/robustness.md, "Limits")."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from mtqg_analysis.extract import guards as limits
from mtqg_analysis.errors import InputError

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus  # noqa: E402  (the hostile-input builders, shared with test_hostile)


def refused(path, display="2024-06/xa.xlsx") -> InputError:
    with pytest.raises(InputError) as caught:
        limits.check_xlsx(path, display)
    assert caught.value.file == display
    return caught.value


def test_a_good_workbook_passes(tmp_path):
    path = corpus.save(corpus.commune_workbook(), tmp_path / "xa.xlsx")
    limits.check_xlsx(path, "xa.xlsx")


def test_the_shipped_sample_workbooks_pass():
    for path in sorted((corpus.REPO / "data" / "raw").rglob("*.xlsx")):
        limits.check_xlsx(path, path.name)


def test_old_xls_renamed(tmp_path):
    path = tmp_path / "xa.xlsx"
    path.write_bytes(corpus.fake_ole2(["Workbook"]))
    error = refused(path)
    assert "old Excel 97-2003 .xls" in error.message and "save it as" in error.message


def test_password_protected(tmp_path):
    path = tmp_path / "xa.xlsx"
    path.write_bytes(corpus.fake_ole2(["EncryptionInfo", "EncryptedPackage"]))
    assert "password protected" in refused(path).message


def test_truncated(tmp_path):
    path = tmp_path / "xa.xlsx"
    path.write_bytes(corpus._truncate(corpus.good_workbook_bytes()))
    assert "damaged" in refused(path).message


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/styles.xml",
                                    "xl/workbook.xml", "docProps/core.xml"])
def test_corrupt_member(tmp_path, member):
    # Found by the fuzzer: a damaged styles part made openpyxl raise zlib.error.
    path = tmp_path / "xa.xlsx"
    path.write_bytes(corpus._corrupt(corpus.good_workbook_bytes(), member))
    assert "damaged" in refused(path).message


def test_one_damaged_byte_of_the_sample_workbook(tmp_path):
    sample = next((corpus.REPO / "data" / "raw" / "2024-06").glob("*.xlsx")).read_bytes()
    for cut in (2097, len(sample) // 3, len(sample) // 2):
        path = tmp_path / "xa.xlsx"
        path.write_bytes(sample[:cut] + bytes([sample[cut] ^ 0xFF]) + sample[cut + 1:])
        try:
            limits.check_xlsx(path, "xa.xlsx")
        except InputError as error:
            assert "damaged" in error.message or "not" in error.message


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"%PDF-1.4 ...", "PDF"),
    (b"<html><table></table></html>", "HTML"),
    (b"STT;Noi dung\n1;abc\n", "CSV"),
    (b"<?xml version='1.0'?><Workbook/>", "XML"),
])
def test_other_formats_are_named(tmp_path, data, words):
    path = tmp_path / "xa.xlsx"
    path.write_bytes(data)
    assert words in refused(path).message


def test_word_document_renamed(tmp_path):
    path = tmp_path / "xa.xlsx"
    path.write_bytes(corpus._docx_bytes())
    assert "Word document" in refused(path).message


def test_zip_bomb_by_ratio(tmp_path):
    path = corpus.zip_bomb(tmp_path / "xa.xlsx", megabytes=20)
    assert "zip bomb" in refused(path).message


def test_zip_bomb_by_total_size(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    path = corpus.zip_bomb(tmp_path / "xa.xlsx", megabytes=2)
    assert "unpacks to" in refused(path).message


def test_entity_declarations_are_refused(tmp_path):
    path = corpus.entity_bomb(tmp_path / "xa.xlsx")
    assert "entities" in refused(path).message


def test_too_many_rows_names_the_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 1000)
    path = corpus.write_sheet_zip(tmp_path / "xa.xlsx", corpus.million_empty_rows(2000), sheet_name="Xã Tân Tú")
    error = refused(path)
    assert error.sheet == "Xã Tân Tú"
    assert "2,009 rows" in error.message and "delete them" in error.message


def test_too_many_columns(tmp_path):
    path = corpus.write_sheet_zip(tmp_path / "xa.xlsx", corpus.wide_row(5000))
    assert "5,000 columns" in refused(path).message


def test_the_dimension_element_is_not_trusted(tmp_path):
    path = corpus.write_sheet_zip(tmp_path / "xa.xlsx", corpus.far_cell(), dimension="A1:D4")
    assert "1,048,576 rows" in refused(path).message


def test_too_many_cells(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 100)
    path = corpus.write_sheet_zip(tmp_path / "xa.xlsx", corpus.million_empty_rows(100))
    assert "cells" in refused(path).message


def test_rows_without_numbers_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 50)
    rows = ('<row><c t="inlineStr"><is><t>x</t></is></c></row>' for _ in range(60))
    path = corpus.write_sheet_zip(tmp_path / "xa.xlsx", rows)
    assert "60 rows" in refused(path).message


def test_file_size_limit(tmp_path, monkeypatch):
    path = corpus.save(corpus.commune_workbook(), tmp_path / "xa.xlsx")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    assert "MB" in refused(path).message
    with pytest.raises(InputError, match="more than"):
        limits.check_raw_file(path, tmp_path)


# --- raw files ----------------------------------------------------------------------------------
def test_a_regular_file_inside_raw_passes(tmp_path):
    raw = tmp_path / "raw"
    path = corpus.save(corpus.commune_workbook(), raw / "2024-06" / "xa.xlsx")
    limits.check_raw_file(path, raw)


def test_symlink_outside_raw_is_refused_naming_the_link(tmp_path):
    raw = tmp_path / "raw"
    (raw / "2024-06").mkdir(parents=True)
    target = corpus.save(corpus.commune_workbook(), tmp_path / "elsewhere" / "secret.xlsx")
    link = raw / "2024-06" / "xa.xlsx"
    os.symlink(target, link)
    with pytest.raises(InputError) as caught:
        limits.check_raw_file(link, raw)
    assert caught.value.file == "2024-06/xa.xlsx"
    assert "symlink" in caught.value.message and "outside" in caught.value.message


def test_symlinked_folder_outside_raw_is_refused(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    corpus.save(corpus.commune_workbook(), tmp_path / "elsewhere" / "xa.xlsx")
    os.symlink(tmp_path / "elsewhere", raw / "2024-06")
    with pytest.raises(InputError, match="outside"):
        limits.check_raw_file(raw / "2024-06" / "xa.xlsx", raw)


def test_symlink_inside_raw_is_fine(tmp_path):
    raw = tmp_path / "raw"
    target = corpus.save(corpus.commune_workbook(), raw / "shared" / "xa.xlsx")
    (raw / "2024-06").mkdir()
    os.symlink(target, raw / "2024-06" / "xa.xlsx")
    limits.check_raw_file(raw / "2024-06" / "xa.xlsx", raw)


def test_broken_symlink(tmp_path):
    raw = tmp_path / "raw"
    (raw / "2024-06").mkdir(parents=True)
    os.symlink(tmp_path / "missing.xlsx", raw / "2024-06" / "xa.xlsx")
    with pytest.raises(InputError, match="does not exist"):
        limits.check_raw_file(raw / "2024-06" / "xa.xlsx", raw)


def test_fifo_is_refused_without_blocking(tmp_path):
    raw = tmp_path / "raw"
    (raw / "2024-06").mkdir(parents=True)
    os.mkfifo(raw / "2024-06" / "pipe.csv")
    with pytest.raises(InputError, match="not a regular file"):
        limits.check_raw_file(raw / "2024-06" / "pipe.csv", raw)
