"""Stage 1, extract: raw report files as they are, with provenance (spec §2, §3).

Nothing here interprets labels or amounts. :func:`read_period` lists a period's files and names
the others (:mod:`.files`), refuses what cannot be a report before opening it (:mod:`.guards`,
which also tells a workbook's kind by its content), reads each workbook kind with its reader
(:mod:`.xlsx` openpyxl, :mod:`.xls` xlrd, :mod:`.ods` calamine) into one sheet form
(:mod:`.sheet`), finds the report sheets (:mod:`.workbook`, :mod:`.header`, :mod:`.cells`,
:mod:`.legacy`, :mod:`.formulas`) and reads tidy CSV files (:mod:`.tidy_csv`), handing each table
on untouched as a :class:`~.raw.RawTable` to :mod:`mtqg_analysis.transform`. A file that cannot be
opened is returned apart (``NotReadable``) for a ``file_not_read`` finding (spec §2).
"""
from .files import period_folder, period_listing, raw_periods, raw_files
from .raw import Column, RawTable
from .read import PeriodRead, read_file, read_files, read_period

__all__ = ["Column", "PeriodRead", "RawTable", "period_folder", "period_listing", "raw_files", "raw_periods", "read_file",
           "read_files", "read_period"]
