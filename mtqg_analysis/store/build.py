"""Building a period's processed files (spec §4): extract -> transform -> validate -> write.

``build_period`` writes ``funding.parquet``, ``funding.csv``, ``quality.csv`` (UTF-8 with a BOM, for
Excel) and the manifest of what they were made from, each atomically; a run with input errors writes
nothing and raises :class:`~mtqg_analysis.errors.InputErrors` with every error found. Runs on the
same period take turns (:mod:`.locking`).
"""
from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..domain.periods import Period, parse_period, year_so_far
from ..domain.text import spreadsheet_safe_frame
from ..errors import SHOWN_ERRORS, InputError, InputErrors
from ..extract import period_folder, raw_periods, read_period
from ..transform import clean_tables
from ..validate.check import input_errors, period_findings
from . import manifest as manifests
from .atomic import atomic_path, output_error, remove_leftovers, write_text
from .locking import DEFAULT_WAIT_SECONDS, period_lock
from .paths import catalog_csv, catalog_for, processed_dir, raw_dir, resolve_data_dir, units_csv, units_for

log = logging.getLogger(__name__)

FUNDING_PARQUET = "funding.parquet"
FUNDING_CSV = "funding.csv"
QUALITY_CSV = "quality.csv"
CSV_ENCODING = "utf-8-sig"


@dataclass
class BuildResult:
    period: Period
    out_dir: Path
    rows: int
    findings: int
    not_read: list[str] = field(default_factory=list)  # files of the period not read, each with why


def build_period(period, data_dir=None, *, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> BuildResult:
    """Read, clean and validate a period's raw reports and write its processed files.

    Raises :class:`InputErrors` with every problem found; then nothing is written and the
    previous outputs stay as they were. Runs on the same period take turns (a lock beside the
    period's folder): a second run waits up to ``wait_seconds``, then raises ``BusyError``.
    """
    period = parse_period(period)
    data_dir = resolve_data_dir(data_dir)
    out_dir = processed_dir(period, data_dir)
    try:
        period_folder(raw_dir(data_dir), period)  # a missing folder is said before anything is written
    except InputError as error:
        raise InputErrors([error], f"period {period}") from None
    try:
        with period_lock(out_dir, wait_seconds=wait_seconds):
            return _build(period, data_dir)
    except OSError as exc:  # reading is guarded file by file: what is left is writing the outputs
        raise output_error(exc, out_dir) from None


def input_files(period: Period, data_dir: Path) -> list[Path]:
    """The raw files a period's processed table is made from: its reports, the files beside them
    that could not be read (a signed PDF added beside a workbook changes the findings),
    ``units.csv`` and the data folder's ``catalog.csv`` (spec §2.2)."""
    from ..extract import period_listing

    raw = raw_dir(data_dir)
    listing = period_listing(period_folder(raw, period))
    others = [raw / e.file for e in listing.not_read if (raw / e.file).is_file()]
    return listing.files + others + [path for path in (units_csv(data_dir), catalog_csv(data_dir)) if path.exists()]


def earlier_periods(period: Period, data_dir: Path, rebuild: str = "auto") -> dict:
    """The year's periods before ``period`` (spec §1), oldest first: each one's tidy table, or the
    :class:`InputErrors` that kept it from being read (``rebuild`` as :func:`~.load.load_period`)."""
    from .load import load_period

    earlier = {}
    for p in year_so_far(period, raw_periods(raw_dir(data_dir))):
        if p == period:
            continue
        try:
            earlier[p] = load_period(p, data_dir, rebuild=rebuild)
        except InputErrors as problem:
            earlier[p] = problem
    return earlier


def _build(period: Period, data_dir: Path) -> BuildResult:
    raw = raw_dir(data_dir)
    try:
        units = units_for(data_dir).at(period)  # units in force at the period's end (spec §2.1)
        catalog = catalog_for(data_dir)
    except InputError as error:
        raise InputErrors([error], f"period {period}") from None
    try:
        found = read_period(raw, period)
    except InputError as error:
        raise InputErrors([error], f"period {period}") from None
    cleaned = clean_tables(found.tables, period, units, catalog)
    errors = input_errors(found, cleaned, period, period_folder(raw, period).relative_to(raw).as_posix())
    if errors:
        raise _with_full_list(InputErrors(errors, f"period {period}", not_read=found.not_read),
                              processed_dir(period, data_dir))
    findings = period_findings(found, cleaned, period, units, earlier_periods(period, data_dir))
    out_dir = processed_dir(period, data_dir)
    record = manifests.manifest(input_files(period, data_dir), raw, manifests.read_manifest(out_dir))
    write_outputs(out_dir, cleaned.tidy, findings, record)
    (out_dir / ERRORS_TXT).unlink(missing_ok=True)  # the errors of an earlier failed run are fixed
    log.debug("%s: %d rows, %d findings -> %s", period, len(cleaned.tidy), len(findings), out_dir)
    return BuildResult(period, out_dir, len(cleaned.tidy), len(findings), [str(e) for e in found.not_read])


ERRORS_TXT = "errors.txt"


def _with_full_list(failure: InputErrors, out_dir: Path) -> InputErrors:
    """A failure with more errors than a screen shows keeps every one of them in
    ``processed/<P>/errors.txt`` (the outputs themselves are left as they were)."""
    if len(failure.errors) <= SHOWN_ERRORS:
        return failure
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_text(out_dir / ERRORS_TXT, failure.text() + "\n")
        failure.full_list = str(out_dir / ERRORS_TXT)
    except OSError as exc:
        log.warning("the full list of errors could not be written to %s (%s)", out_dir / ERRORS_TXT, exc.strerror)
    return failure


def write_outputs(out_dir: Path, tidy: pd.DataFrame, findings: pd.DataFrame, manifest: dict) -> None:
    """All files of a period, each written to a temporary file first and renamed into place at
    the end, so that a crash leaves either the old or the new version of each file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir)  # from a run killed mid-write; the caller holds the period's lock
    with contextlib.ExitStack() as stack:
        # Renamed into place in the reverse order: the manifest last, so that if a file cannot be
        # replaced (open in Excel on Windows), the manifest still describes the old outputs and the
        # next run rebuilds them.
        manifest_file = stack.enter_context(atomic_path(out_dir / manifests.MANIFEST))
        parquet = stack.enter_context(atomic_path(out_dir / FUNDING_PARQUET))
        funding_csv = stack.enter_context(atomic_path(out_dir / FUNDING_CSV))
        quality_csv = stack.enter_context(atomic_path(out_dir / QUALITY_CSV))
        tidy.to_parquet(parquet, index=False)
        # With a BOM (utf-8-sig), Excel on Windows opens the Vietnamese text as UTF-8, not as mojibake.
        spreadsheet_safe_frame(tidy).to_csv(funding_csv, index=False, encoding=CSV_ENCODING)
        spreadsheet_safe_frame(findings).to_csv(quality_csv, index=False, encoding=CSV_ENCODING)
        manifest_file.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def is_stale(period, data_dir=None) -> bool:
    """Whether the processed files are missing or were made from other raw files or package."""
    period = parse_period(period)
    data_dir = resolve_data_dir(data_dir)
    out_dir = processed_dir(period, data_dir)
    recorded = manifests.read_manifest(out_dir)
    if recorded is None or not (out_dir / FUNDING_PARQUET).exists():
        return True
    current = manifests.manifest(input_files(period, data_dir), raw_dir(data_dir), recorded)
    return not manifests.same_inputs(recorded, current)
