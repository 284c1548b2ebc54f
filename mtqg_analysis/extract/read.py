"""Reading a period: every file of its folder, each by its kind, into raw tables and errors."""
from __future__ import annotations

from pathlib import Path

from ..domain.periods import Period
from ..errors import InputError
from . import guards
from .files import period_folder, raw_files
from .raw import RawTable


def read_file(path: Path, raw_root: Path) -> tuple[list[RawTable], list[InputError]]:
    """All report tables of one file, and the errors that stopped any of them from being read."""
    display = path.relative_to(raw_root).as_posix()
    try:
        guards.check_raw_file(path, raw_root)
        if path.suffix.lower() == ".csv":
            from .tidy_csv import read_csv

            return [read_csv(path, display)], []
        from .workbook import read_workbook

        return read_workbook(path, display)
    except InputError as error:
        return [], [error]


def read_period(raw_root: Path, period: Period) -> tuple[list[RawTable], list[InputError], list[Path]]:
    """Every report table of a period, the errors met, and the files read."""
    folder = period_folder(raw_root, period)
    files = raw_files(folder)
    if not files:
        raise InputError("the period folder has no .xlsx, .xlsm or .csv report",
                         folder.relative_to(raw_root).as_posix())
    tables, errors = [], []
    for path in files:
        found, problems = read_file(path, raw_root)
        tables.extend(found)
        errors.extend(problems)
    return tables, errors, files
