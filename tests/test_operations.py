"""Scheduled runs (README "Scheduled runs"): the version, log lines with local timestamps, the exit
codes in ``--help``, and the folders a run uses when it is started from another folder."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from conftest import mtqg_process
from sample_render import copy_sample

from mtqg_analysis import __version__

TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d) ")


def test_version_is_printed_by_the_installed_command():
    run = mtqg_process("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"mtqg-analysis {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_help_lists_the_exit_codes_and_how_folders_are_found(mtqg):
    for args in (["--help"], ["report", "--help"], ["clean", "--help"]):
        run = mtqg(*args)
        assert run.code == 0
        text = " ".join(run.stdout.split())
        assert "exit codes:" in text
        for code, meaning in (("0", "done"), ("1", "mtqg report: some renders failed"), ("2", "bad input or arguments"),
                              ("3", "another mtqg run"), ("5", "a library the package needs is not installed"),
                              ("130", "interrupted")):
            assert f"{code} {meaning}" in text, (args, code)
        assert "MTQG_DATA_DIR" in text


def test_log_lines_start_with_the_local_time_and_its_offset(data_dir, make_workbook, mtqg):
    from workbook_builder import PERIOD, Sheet

    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "12", 3, "10", None, None)]))
    (data_dir / "raw" / PERIOD / "notes.txt").write_text("not a report", encoding="utf-8")  # logged as not read
    before = datetime.now().astimezone().replace(microsecond=0)
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    after = datetime.now().astimezone()
    assert run.code == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert any("1 file(s) NOT READ" in line for line in lines)
    assert any(f"file {PERIOD}/notes.txt: not a report file" in line for line in lines)
    assert lines and all(TIMESTAMP.match(line) for line in lines), lines
    for line in lines:
        when = datetime.fromisoformat(TIMESTAMP.match(line)[1])
        assert when.utcoffset() == before.utcoffset()  # the machine's local offset, not UTC
        assert before - timedelta(seconds=1) <= when <= after
    assert f"mtqg clean: exit code 0 (mtqg-analysis {__version__}; data {data_dir}, reports" in lines[-1]


def test_a_library_missing_from_an_older_environment_is_named_without_a_traceback(data_dir, make_workbook, mtqg,
                                                                                 monkeypatch):
    """A checkout updated without `make venv`: the environment lacks a library the new version
    needs (here the lock's). The run says which and what to do, and writes nothing."""
    import sys

    from workbook_builder import PERIOD, Sheet

    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "12", 3, "10", None, None)]))
    monkeypatch.setitem(sys.modules, "filelock", None)  # what `import filelock` meets where it is not installed
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 5, run.stderr
    assert "the library 'filelock' is not installed" in run.stderr and "make venv" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (data_dir / "processed" / PERIOD / "funding.parquet").exists()


def test_quiet_runs_log_nothing_but_errors(data_dir, make_workbook, mtqg):
    from workbook_builder import PERIOD, Sheet

    make_workbook("a.xlsx", Sheet(rows=[("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "12", 3, "10", None, None)]))
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir, "-q")
    assert run.code == 0 and run.stderr == ""


# --- folders --------------------------------------------------------------------------------------
def test_from_a_subfolder_of_the_project_the_data_folder_above_is_found(tmp_path, mtqg):
    project = tmp_path / "project"
    copy_sample(project / "data")
    (project / "notebooks").mkdir()
    run = mtqg("clean", "--period", "2024-06", cwd=project / "notebooks")
    assert run.code == 0, run.stderr
    assert (project / "data" / "processed" / "2024-06" / "funding.parquet").exists()
    assert f"exit code 0 (mtqg-analysis {__version__}; data {project / 'data'}, reports {project / 'reports'})" \
        in run.stderr


def test_from_another_folder_the_error_says_where_it_looked_and_what_to_do(tmp_path, mtqg):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = mtqg("clean", "--period", "2024-06", cwd=elsewhere)
    assert run.code == 2
    assert f"no data/raw/ folder in {elsewhere} or the folders above it" in run.stderr
    assert "--data-dir" in run.stderr and "MTQG_DATA_DIR" in run.stderr
    assert "Traceback" not in run.stderr and run.stderr.startswith("mtqg clean: the data folder was not found")
    assert re.search(r"mtqg clean: exit code 2 \(", run.stderr.splitlines()[-1])


def test_a_given_data_dir_without_raw_is_named(tmp_path, mtqg):
    run = mtqg("periods", "--data-dir", tmp_path / "nothing-here")
    assert run.code == 2
    assert f"--data-dir {tmp_path / 'nothing-here'} has no raw/ folder" in run.stderr


def test_mtqg_data_dir_is_used_from_any_folder_and_reports_go_beside_it(tmp_path, mtqg):
    data = copy_sample(tmp_path / "srv" / "data")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = mtqg("periods", cwd=elsewhere, env={"MTQG_DATA_DIR": str(data)})
    assert run.code == 0, run.stderr
    assert "2024-06" in run.stdout and "2024-12" in run.stdout
    assert f"data {data}, reports {tmp_path / 'srv' / 'reports'})" in run.stderr
