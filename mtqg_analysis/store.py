"""Stage 4, store: build and load the processed table of a period (spec §2, §4).

``build_period`` runs read -> clean -> validate and writes ``funding.parquet``, ``funding.csv`` and
``quality.csv`` atomically; a run with input errors writes nothing. ``load_period`` is what
analysts and notebooks call: it returns the tidy table, rebuilding it first when the processed
files are missing or older than the raw files.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .atomic import atomic_path, remove_leftovers
from .catalog import load_catalog
from .clean import TIDY_COLUMNS, clean_tables, empty_tidy
from .errors import InputError, InputErrors
from .locking import DEFAULT_WAIT_SECONDS, period_lock
from .periods import Period, is_period, parse_period, previous_in_year
from .read import period_folder, read_period, report_files
from .units import load_units
from .validate import QUALITY_COLUMNS, quality

log = logging.getLogger(__name__)

FUNDING_PARQUET = "funding.parquet"
FUNDING_CSV = "funding.csv"
QUALITY_CSV = "quality.csv"
MANIFEST = "manifest.json"
# Spreadsheet programs run text that starts with these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class BuildResult:
    period: Period
    out_dir: Path
    rows: int
    findings: int


def default_data_dir() -> Path:
    """``$MTQG_DATA_DIR``, else the nearest ``data/`` folder with ``raw/`` from here upwards
    (so notebooks running in ``notebooks/`` find the project's data)."""
    env = os.environ.get("MTQG_DATA_DIR")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for folder in [here, *here.parents]:
        if (folder / "data" / "raw").is_dir():
            return folder / "data"
    return Path("data")


def _data_dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else default_data_dir()


def processed_dir(period, data_dir=None) -> Path:
    return _data_dir(data_dir) / "processed" / str(parse_period(period))


def raw_periods(data_dir=None) -> list[Period]:
    """Periods that have a raw folder, oldest first."""
    raw = _data_dir(data_dir) / "raw"
    if not raw.is_dir():
        return []
    return sorted({parse_period(p.name) for p in raw.iterdir() if p.is_dir() and is_period(p.name)})


def _fingerprint(files: list[Path], data_dir: Path) -> dict:
    """What the processed table was built from: raw files with size and mtime, and the package."""
    from . import __version__

    entries = {}
    for path in files:
        stat = path.stat()
        entries[path.relative_to(data_dir / "raw").as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return {"package_version": __version__, "files": entries}


def _current_fingerprint(period: Period, data_dir: Path) -> dict:
    raw = data_dir / "raw"
    files = report_files(period_folder(raw, period))
    units = raw / "units.csv"
    return _fingerprint(files + ([units] if units.exists() else []), data_dir)


def protect_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == "string" or out[column].dtype == object:
            text = out[column].astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES).fillna(False)
            if risky.any():
                out[column] = text.where(~risky, "'" + text)
    return out


def build_period(period, data_dir=None, *, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> BuildResult:
    """Read, clean and validate a period's raw reports and write its processed files.

    Raises :class:`InputErrors` with every problem found; then nothing is written and the
    previous outputs stay as they were. Runs on the same period take turns (a lock beside the
    period's folder): a second run waits up to ``wait_seconds``, then raises ``BusyError``.
    """
    period = parse_period(period)
    data_dir = _data_dir(data_dir)
    with period_lock(processed_dir(period, data_dir), wait_seconds=wait_seconds):
        return _build(period, data_dir)


def _build(period: Period, data_dir: Path) -> BuildResult:
    raw = data_dir / "raw"
    units = load_units(raw / "units.csv") if (raw / "units.csv").exists() else load_units()
    catalog = load_catalog()
    try:
        tables, errors, files = read_period(raw, period)
    except InputError as error:
        raise InputErrors([error], f"period {period}") from None
    cleaned = clean_tables(tables, period, units, catalog)
    errors += cleaned.errors
    if not errors and not len(cleaned.tidy):
        errors.append(InputError(f"no report sheet with data was found for period {period}",
                                 period_folder(raw, period).relative_to(raw).as_posix()))
    if errors:
        raise InputErrors(errors, f"period {period}")

    previous_period = previous_in_year(period, raw_periods(data_dir))
    previous, extra = None, list(cleaned.findings)
    if previous_period is not None:
        try:
            previous = load_period(previous_period, data_dir)
        except InputErrors as problem:
            extra.append({"severity": "info", "check": "previous_period_unreadable", "unit_code": "",
                          "line_code": "", "source_file": "", "source_sheet": "", "source_row": None,
                          "message": f"{previous_period} could not be read, so year-to-date values were not "
                                     f"compared with it ({len(problem.errors)} error(s))"})
    findings = quality(cleaned.tidy, cleaned.checks, cleaned.rates, units.valid_in(period),
                       previous, previous_period, extra)
    out_dir = processed_dir(period, data_dir)
    write_outputs(out_dir, cleaned.tidy, findings, _fingerprint(files + [raw / "units.csv"] if (raw / "units.csv").exists() else files, data_dir))
    log.debug("%s: %d rows, %d findings -> %s", period, len(cleaned.tidy), len(findings), out_dir)
    return BuildResult(period, out_dir, len(cleaned.tidy), len(findings))


def write_outputs(out_dir: Path, tidy: pd.DataFrame, findings: pd.DataFrame, manifest: dict) -> None:
    """All files of a period, each written to a temporary file first and renamed into place at
    the end, so that a crash leaves either the old or the new version of each file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir)  # from a run killed mid-write; the caller holds the period's lock
    with contextlib.ExitStack() as stack:
        parquet = stack.enter_context(atomic_path(out_dir / FUNDING_PARQUET))
        funding_csv = stack.enter_context(atomic_path(out_dir / FUNDING_CSV))
        quality_csv = stack.enter_context(atomic_path(out_dir / QUALITY_CSV))
        manifest_file = stack.enter_context(atomic_path(out_dir / MANIFEST))
        tidy.to_parquet(parquet, index=False)
        protect_formulas(tidy).to_csv(funding_csv, index=False, encoding="utf-8")
        protect_formulas(findings).to_csv(quality_csv, index=False, encoding="utf-8")
        manifest_file.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def is_stale(period, data_dir=None) -> bool:
    """Whether the processed files are missing or were built from other raw files or package."""
    period = parse_period(period)
    data_dir = _data_dir(data_dir)
    out_dir = processed_dir(period, data_dir)
    try:
        built = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    if not (out_dir / FUNDING_PARQUET).exists():
        return True
    return built != _current_fingerprint(period, data_dir)


def load_period(period, data_dir=None, *, rebuild: str = "auto") -> pd.DataFrame:
    """The tidy table of a period (spec §4.1), one row per unit, catalog line and split.

    ``period`` is ``YYYY-MM`` or an alias (``2024-H1``). ``data_dir`` holds ``raw/`` and
    ``processed/`` (default: ``$MTQG_DATA_DIR`` or the nearest ``data/``). With ``rebuild="auto"``
    the table is rebuilt from ``raw/`` when the processed files are missing or stale;
    ``"never"`` only reads, ``"always"`` rebuilds. Input errors raise :class:`InputErrors`.

    >>> from mtqg_analysis import load_period
    >>> funding = load_period("2024-06")
    >>> funding.groupby("line_code")[["plan_vnd", "disbursed_vnd"]].sum()  # doctest: +SKIP
    """
    period = parse_period(period)
    data_dir = _data_dir(data_dir)
    if rebuild == "always" or (rebuild == "auto" and is_stale(period, data_dir)):
        build_period(period, data_dir)
    path = processed_dir(period, data_dir) / FUNDING_PARQUET
    if not path.exists():
        raise InputErrors([InputError(f"no processed table for {period}; run: mtqg clean --period {period}")])
    frame = pd.read_parquet(path)
    return frame[list(TIDY_COLUMNS)].astype(TIDY_COLUMNS)


def load_quality(period, data_dir=None) -> pd.DataFrame:
    """The period's data-quality findings (spec §4.2), building the period first if needed."""
    period = parse_period(period)
    data_dir = _data_dir(data_dir)
    load_period(period, data_dir)
    frame = pd.read_csv(processed_dir(period, data_dir) / QUALITY_CSV, dtype=str, keep_default_na=False)
    return frame.reindex(columns=QUALITY_COLUMNS, fill_value="")
