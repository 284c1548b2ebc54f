"""Spec §4.3 and docs/robustness.md: what a run cannot write is an error naming the path and what
to do, never a traceback, and the previous outputs stay whole; a long error list is capped on
screen and kept whole beside the outputs.

The tests run as root (CI does), whom the operating system lets write anywhere, so a read-only
folder and a full disk are given by failing the one system call that would fail for a normal user
(``os.open`` of the lock, ``tempfile.mkstemp`` in the folder, ``os.fsync`` of a written file).
"""
from __future__ import annotations

import errno
import os
import tempfile

import pytest

from conftest import tree_bytes
from workbook_builder import PERIOD, Sheet

HOUSING = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "337,59", 3, "100", None, None)
LAND = ("2", "Nội dung số 01: Hỗ trợ đất ở", "hộ", 4, "62,41", 1, "50", None, None)


@pytest.fixture
def previous(data_dir, make_workbook, mtqg):
    """A period cleaned once (its outputs are "the previous outputs"), then changed."""
    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    assert mtqg("clean", "--period", PERIOD, "--data-dir", data_dir).code == 0
    make_workbook("a.xlsx", Sheet(rows=[HOUSING, LAND]))
    return tree_bytes(data_dir / "processed" / PERIOD)


def refused(mtqg, data_dir, before: dict) -> str:
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    said = run.stdout + run.stderr
    assert run.code == 4, said
    assert "Traceback" not in said
    assert tree_bytes(data_dir / "processed" / PERIOD) == before, "the previous outputs changed"
    assert not [p for p in (data_dir / "processed" / PERIOD).iterdir() if p.name.endswith(".tmp")]
    assert "the previous outputs were left as they were" in run.stderr
    return run.stderr


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_read_only_processed_folder_is_an_error_naming_it(data_dir, mtqg, previous, monkeypatch, code):
    out_dir = data_dir / "processed" / PERIOD
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and os.path.samefile(dir, out_dir):
            raise OSError(code, os.strerror(code), str(dir))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    said = refused(mtqg, data_dir, previous)
    assert f"cannot write to {out_dir}" in said
    assert "read-only or belongs to another user" in said and "--data-dir" in said


def test_a_lock_file_that_cannot_be_created_is_an_error_naming_it(data_dir, mtqg, previous, monkeypatch):
    from mtqg_analysis.store import locking

    lock = locking.lock_path(data_dir / "processed" / PERIOD)
    real = os.open

    def guarded(path, *args, **kwargs):
        if os.fspath(path) == os.fspath(lock):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(locking.os, "open", guarded)
    said = refused(mtqg, data_dir, previous)
    assert f"cannot write to {lock} (Permission denied)" in said


def test_a_full_disk_is_an_error_naming_the_file_and_keeps_the_previous_outputs(data_dir, mtqg, previous, monkeypatch):
    from mtqg_analysis.store import atomic

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    said = refused(mtqg, data_dir, previous)
    assert "the disk is full while writing" in said and str(data_dir / "processed" / PERIOD) in said
    assert "free some space" in said


def test_the_error_list_is_capped_on_screen_and_kept_whole_in_a_file(data_dir, make_csv, mtqg, previous):
    rows = [[f"Xã Không Có {i}", "DA1.ND2", "1", "0"] for i in range(200)]
    make_csv("nhieu-loi.csv", ["unit", "line", "plan_amount", "disbursed_amount"], rows)
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir, "--quiet")
    assert run.code == 2
    errors_file = data_dir / "processed" / PERIOD / "errors.txt"
    listed = [line for line in run.stderr.splitlines() if line.startswith("  - ")]
    assert len(listed) == 50
    assert "200 error(s) in period 2024-09" in run.stderr
    assert f"... and 150 more error(s); the full list is in {errors_file}" in run.stderr
    kept = errors_file.read_text(encoding="utf-8")
    assert kept.count("unknown unit 'Xã Không Có") == 200 and "row 201" in kept
    after = tree_bytes(data_dir / "processed" / PERIOD)
    assert {k: v for k, v in after.items() if k != "errors.txt"} == previous  # the outputs are untouched
    (data_dir / "raw" / PERIOD / "nhieu-loi.csv").unlink()
    assert mtqg("clean", "--period", PERIOD, "--data-dir", data_dir).code == 0
    assert not errors_file.exists()  # a list of errors that were fixed is not left behind


def test_a_read_only_reports_folder_is_an_error_naming_it(data_dir, make_workbook, mtqg, tmp_path, monkeypatch):
    """``mtqg report`` stops before any render when it cannot take its lock in the reports folder."""
    from mtqg_analysis.store import locking

    make_workbook("a.xlsx", Sheet(rows=[HOUSING]))
    reports = tmp_path / "reports"
    real = os.open

    def guarded(path, *args, **kwargs):
        if os.fspath(path).startswith(os.fspath(reports)):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(locking.os, "open", guarded)
    run = mtqg("report", "--period", PERIOD, "--data-dir", data_dir, "--reports-dir", reports)
    assert run.code == 4, run.stderr
    assert "Traceback" not in run.stderr
    assert f"cannot write to {reports / ('.' + PERIOD + '.lock')} (Permission denied)" in run.stderr
    assert "--reports-dir" in run.stderr
    assert not list(reports.rglob("*.html"))
