"""What cleaning a period says about its files, and the same said about a few files alone.

:func:`input_errors` and :func:`period_findings` are the two steps of ``mtqg clean`` after the
files are read and cleaned (the store calls them before it writes anything). :func:`check_files`
(``mtqg check``) runs the same reading, cleaning and these same two steps on the files it is
given, with the data folder's units, catalog and the year's earlier processed periods, and keeps
what concerns those files: so a commune hears, before it sends its report, exactly what the office
would hear when cleaning it. Nothing here writes a file.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..domain.catalog import Catalog
from ..domain.periods import Period, previous_in_year
from ..domain.schema import QUALITY_COLUMNS, as_quality, details_text
from ..domain.units import Units, place_history
from ..errors import InputError, InputErrors, NotReadable, Phrase
from ..extract import PeriodRead, read_files
from ..transform import Cleaned, clean_tables
from .quality import expected_units, files_not_read, quality, units_not_in_force

#: A year's earlier periods: each one's tidy table, or the errors that kept it from being read.
Earlier = dict[Period, "pd.DataFrame | InputErrors"]
#: Findings about the period as a whole that a check of some of its files also reports.
PERIOD_WIDE = ("previous_period_unreadable",)


def input_errors(found: PeriodRead, cleaned: Cleaned, period: Period, where: str) -> list[InputError]:
    """Every error that refuses the input: those of reading and of cleaning, or, when there is no
    data at all, one saying so (``where``: the folder or file looked in)."""
    errors = found.errors + cleaned.errors
    if not errors and not len(cleaned.tidy):
        not_read = Phrase.of("phrase.not_read_count", count=len(found.not_read)) if found.not_read else ""
        errors.append(InputError.of("period.no_data", where, period=period, not_read=not_read))
    return errors


def period_findings(found: PeriodRead, cleaned: Cleaned, period: Period, units: Units, earlier: Earlier) -> pd.DataFrame:
    """The data-quality findings of a period read without errors (spec §4.2), compared with the
    year's earlier periods (``earlier``, oldest first; the latest is the previous period)."""
    previous_period = previous_in_year(period, list(earlier))
    extra = list(cleaned.findings) + list(units.findings) + files_not_read(found.not_read)
    previous, tables = None, []  # the year's earlier tables: who reported before (spec §2.1)
    for p, table in earlier.items():
        if isinstance(table, InputErrors):
            if p == previous_period:
                extra.append({"severity": "info", "check": "previous_period_unreadable", "unit_code": "",
                              "line_code": "", "source_file": "", "source_sheet": "", "source_row": None,
                              "message": f"{previous_period} could not be read, so year-to-date values were not "
                                         f"compared with it ({len(table.errors)} error(s))",
                              "details": {"previous_period": str(previous_period), "errors": len(table.errors)}})
            continue
        tables.append(table)
        if p == previous_period:  # compared unit by unit: old units under their successors
            previous = place_history(table, units)
    findings = quality(cleaned.tidy, cleaned.checks, cleaned.rates, expected_units(units, period, tables), previous,
                       previous_period, extra, units_not_in_force(cleaned.not_in_force, units, period),
                       not_read=found.not_read)
    return with_cells(findings, found.tables)


#: The column a finding about one amount or quantity is in: its check (``check.variant``) -> the
#: role of that column in the sheet (the disbursed "Tổng số" column, the done quantity).
CELL_ROLES = {"disbursed_above_plan": "done", "done_above_plan": "done_qty", "cumulative_decrease.disbursed": "done",
              "cumulative_decrease.done": "done_qty", "cumulative_decrease.disbursed_done": "done",
              # a total or subtotal row that disagrees: the cell of the amount it states (``what``)
              "subtotal_mismatch.plan": "plan", "subtotal_mismatch.disbursed": "done"}


def with_cells(findings: pd.DataFrame, tables: list) -> pd.DataFrame:
    """Findings about one amount or quantity of a workbook row given the column it is in (their
    ``details`` get ``column``, as the stated-rate findings have it), so that a reader is sent to
    the cell ("Ô G14"). A sheet split by capital without a "Tổng số" column names no column."""
    def total_column(table, side: str):
        keys = [key for key in table.columns if key.startswith(f"{side}|")]
        total = f"{side}||" if f"{side}||" in table.columns else keys[0] if len(keys) == 1 else None
        return table.columns.get(total) if total else None

    columns = {(table.file, table.sheet): {"plan": total_column(table, "plan"), "done": total_column(table, "done"),
                                           "done_qty": table.columns.get("done_qty")}
               for table in tables if table.kind == "workbook"}
    if not len(findings) or not columns:
        return findings
    out = findings.copy()
    about_a_cell = out["check"].isin({key.split(".")[0] for key in CELL_ROLES})
    for i, record in out[about_a_cell].iterrows():
        details = json.loads(record["details"]) if record["details"] else {}
        check = str(record["check"])
        role = CELL_ROLES.get(f"{check}.{details.get('variant', '')}") or CELL_ROLES.get(f"{check}.{details.get('what')}") \
            or CELL_ROLES.get(check)
        column = columns.get((record["source_file"], record["source_sheet"]), {}).get(role) if role else None
        if column is not None and not details.get("column"):
            out.at[i, "details"] = details_text({**details, "column": column.describe()})
    return out


@dataclass
class FileCheck:
    """What cleaning would say about some files: their names as the messages give them, the
    errors that would refuse them, the findings about them, and the files that cannot be read."""

    files: list[str]
    errors: list[InputError] = field(default_factory=list)
    findings: pd.DataFrame = field(default_factory=lambda: as_quality(pd.DataFrame(columns=QUALITY_COLUMNS)))
    not_read: list[NotReadable] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Whether cleaning would refuse these files or go on without them."""
        return bool(self.errors or self.not_read)


def check_files(paths: list[Path], raw_root: Path, period: Period, units: Units, catalog: Catalog,
                earlier: Earlier) -> FileCheck:
    """Read and clean ``paths`` as ``mtqg clean`` would for ``period`` and keep what concerns
    them. ``raw_root``: the folder their names are given from (the data folder's ``raw/`` for a
    file in it, so that the messages name it as cleaning does); ``units``: in force at the
    period's end; ``earlier``: the year's earlier periods (:data:`Earlier`)."""
    found = read_files(paths, raw_root)
    names = [path.relative_to(raw_root).as_posix() for path in paths]
    cleaned = clean_tables(found.tables, period, units, catalog)
    not_read = as_quality(pd.DataFrame.from_records(files_not_read(found.not_read), columns=QUALITY_COLUMNS))
    if len(found.not_read) == len(paths):  # cleaning goes on without them: said by their finding alone
        return FileCheck(names, [], not_read, found.not_read)
    errors = input_errors(found, cleaned, period, ", ".join(names))
    if errors:
        return FileCheck(names, errors, not_read, found.not_read)
    findings = period_findings(found, cleaned, period, units, earlier)
    reported = set(cleaned.tidy["unit_code"])
    theirs = findings["source_file"].isin(names) | (
        (findings["source_file"] == "") & findings["unit_code"].isin(reported) & (findings["check"] != "unit_missing")) \
        | findings["check"].isin(PERIOD_WIDE)
    return FileCheck(names, [], findings[theirs].reset_index(drop=True), found.not_read)
