"""Reading a period: every file of its folder, each by its kind, into raw tables and errors.

A file that cannot be opened at all (and a file or folder that is not a report) is not an error
that stops the run: it is returned apart, as :class:`~mtqg_analysis.errors.NotReadable`, for a
``file_not_read`` finding (spec §2). What is wrong inside a file that was opened is an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..domain.periods import Period
from ..errors import InputError, NotReadable, Phrase
from . import guards
from .files import REPORT_KINDS, period_folder, period_listing
from .raw import RawTable


@dataclass
class PeriodRead:
    """What reading a period found: its tables, the errors in them, the files listed, and the
    files (or folders) that were not read, each with why and what to do."""

    tables: list[RawTable] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    not_read: list[NotReadable] = field(default_factory=list)


def read_file(path: Path, raw_root: Path) -> tuple[list[RawTable], list[InputError]]:
    """All report tables of one file, and the errors that stopped any of them from being read.
    A file that cannot be opened raises :class:`NotReadable`."""
    display = path.relative_to(raw_root).as_posix()
    guards.check_raw_file(path, raw_root)
    try:
        if path.suffix.lower() == ".csv" and not _is_workbook(path):
            from .tidy_csv import read_csv

            return [read_csv(path, display)], []
        from .workbook import read_workbook

        return read_workbook(path, display)
    except NotReadable:
        raise
    except InputError as error:
        return [], [error]


def _is_workbook(path: Path) -> bool:
    """A workbook saved with a .csv name (it is read as the workbook it is)."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    return head.startswith((guards.OLE2_SIGNATURE, *guards.ZIP_SIGNATURES))


def read_period(raw_root: Path, period: Period) -> PeriodRead:
    """Every report table of a period, the errors met, the files read and those not read."""
    folder = period_folder(raw_root, period)
    listing = period_listing(folder)
    if not listing.files:
        not_read = "; ".join(str(e) for e in listing.not_read)
        raise InputError.of("period.no_reports", folder.relative_to(raw_root).as_posix(), kinds=REPORT_KINDS,
                            not_read=Phrase.of("phrase.not_read", files=not_read) if not_read else "")
    return read_files(listing.files, raw_root, list(listing.not_read))


def read_files(paths: list[Path], raw_root: Path, not_read: list[NotReadable] | None = None) -> PeriodRead:
    """Every report table of the given files (a period's, or those ``mtqg check`` is given), the
    errors met and the files that could not be opened (added to ``not_read``)."""
    found = PeriodRead(files=list(paths), not_read=list(not_read or []))
    for path in paths:
        try:
            tables, errors = read_file(path, raw_root)
        except NotReadable as error:
            found.not_read.append(error)
            continue
        found.tables.extend(tables)
        found.errors.extend(errors)
    return found
