"""Loading processed periods: what analysts, notebooks and reports read (spec §4).

- :func:`load_period`: the tidy table of one period, built first when missing or stale;
- :func:`load_quality`: its data-quality findings;
- :func:`load_year`: everything a report of a period needs, loaded once: the tables of the
  periods of its year so far, the previous period, the findings, the input files with their
  hashes, the units (seen at the period's end) and the catalog. The notebooks call it in their
  first cell and pass the frames on; nothing after this stage opens a file;
- :func:`load_phase`: the same for a phase summary: the last period of each year of the phase.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal

import pandas as pd

from ..domain.catalog import Catalog
from ..domain.periods import (Period, PeriodLike, Phase, parse_period, parse_phase, previous_in_year, year_end_periods,
                              year_so_far)
from ..domain.schema import QUALITY_COLUMNS, TIDY_COLUMNS, as_quality, as_tidy
from ..domain.units import Units
from ..errors import InputError, InputErrors, ParameterError
from ..extract import raw_periods
from . import manifest as manifests
from .build import CSV_ENCODING, FUNDING_PARQUET, QUALITY_CSV, build_period, is_stale
from .paths import (DataDir, catalog_csv, catalog_for, processed_dir, raw_dir, resolve_data_dir, units_csv,
                    units_for)

REBUILD = ("auto", "never", "always")
#: When the loaders rebuild a period's processed files: when stale (``"auto"``), never, always.
Rebuild = Literal["auto", "never", "always"]


def _check_rebuild(rebuild: object) -> str:
    if rebuild not in REBUILD:
        raise ParameterError(f"rebuild must be one of {', '.join(map(repr, REBUILD))}, not {rebuild!r}")
    return rebuild


def ensure_built(period: PeriodLike, data_dir: DataDir = None, rebuild: Rebuild = "auto") -> Path:
    """The processed folder of ``period``, (re)built first as ``rebuild`` says."""
    period = parse_period(period)
    data_dir = resolve_data_dir(data_dir)
    if _check_rebuild(rebuild) == "always" or (rebuild == "auto" and is_stale(period, data_dir)):
        build_period(period, data_dir)
    out_dir = processed_dir(period, data_dir)
    if not (out_dir / FUNDING_PARQUET).exists():
        raise InputErrors([InputError.of("period.not_processed", period=period)])
    return out_dir


def load_period(period: PeriodLike, data_dir: DataDir = None, *, rebuild: Rebuild = "auto") -> pd.DataFrame:
    """The tidy table of a period (spec §4.1), one row per unit, catalog line and split.

    ``period`` is ``YYYY-MM`` or an alias (``2024-H1``). ``data_dir`` holds ``raw/`` and
    ``processed/`` (default: ``$MTQG_DATA_DIR`` or the nearest ``data/``). With ``rebuild="auto"``
    the table is rebuilt from ``raw/`` when the processed files are missing or stale;
    ``"never"`` only reads, ``"always"`` rebuilds; anything else is refused. Input errors raise
    :class:`InputErrors`, a wrong period or argument :class:`ParameterError`.

    Money is whole đồng (int64); ``capital_type`` and ``budget_source`` are missing where the
    report does not split (``groupby(..., dropna=False)`` keeps those rows).

    >>> from mtqg_analysis import load_period
    >>> funding = load_period("2024-06")
    >>> funding.groupby("line_code")[["plan_vnd", "disbursed_vnd"]].sum()  # doctest: +SKIP
    """
    out_dir = ensure_built(period, data_dir, rebuild)
    frame = pd.read_parquet(out_dir / FUNDING_PARQUET)
    if not set(TIDY_COLUMNS) <= set(frame.columns):  # made by an older version, read without rebuilding
        raise InputErrors([InputError.of("period.other_version", period=parse_period(period))])
    return as_tidy(frame)


def load_quality(period: PeriodLike, data_dir: DataDir = None, *, rebuild: Rebuild = "auto") -> pd.DataFrame:
    """The period's data-quality findings (spec §4.2: ``severity``, ``check``, ``unit_code``,
    ``line_code``, ``source_file``, ``source_sheet``, ``source_row``, ``message``), built first as
    ``rebuild`` says (see :func:`load_period`)."""
    out_dir = ensure_built(period, data_dir, rebuild)
    frame = pd.read_csv(out_dir / QUALITY_CSV, dtype=str, keep_default_na=False, encoding=CSV_ENCODING)
    return as_quality(frame.reindex(columns=QUALITY_COLUMNS, fill_value=""))


@dataclass
class YearData:
    """What a report of ``period`` is made from, loaded once (see :func:`load_year`)."""

    period: Period
    periods: dict[str, pd.DataFrame]  # the year so far, oldest first, this period last
    quality: pd.DataFrame
    inputs: pd.DataFrame  # file, size, sha256 of every raw file these tables were made from
    units: Units  # seen at the period's end: the units in force then (spec §2.1)
    catalog: Catalog
    data_name: str = ""  # the data folder's name (never its full path: reports are shared)
    manifests: dict[str, dict] = field(default_factory=dict)
    _once: dict = field(default_factory=dict, repr=False, compare=False)

    def once(self, fn: Callable, *args, **kwargs):
        """``fn(*args, **kwargs)``, computed the first time and kept with this YearData: what is the
        same for every scorecard of a period (the ranking, the communes' total, the placed periods)
        is computed once per worker when the year comes from ``load_year(..., reuse=True)``.
        Frames and other objects are told apart by identity (pass this year's own), texts and
        numbers by value; ``fn`` must be pure and its result is shared: do not modify it."""
        key = (fn, *map(_identity, args), *((k, _identity(v)) for k, v in sorted(kwargs.items())))
        if key not in self._once:
            # the arguments are kept with the result: an object's id is never reused while it is a key
            self._once[key] = (fn(*args, **kwargs), args, kwargs)
        return self._once[key][0]

    @property
    def funding(self) -> pd.DataFrame:
        """The tidy table of :attr:`period`."""
        return self.periods[str(self.period)]

    @property
    def previous_period(self) -> Period | None:
        """The previous period of the same year (spec §1), None for the first."""
        return previous_in_year(self.period, self.periods)

    @property
    def previous(self) -> pd.DataFrame | None:
        """The tidy table of the previous period of the same year, None for the first."""
        previous = self.previous_period
        return self.periods[str(previous)] if previous is not None else None

    def input_hashes(self) -> dict[str, str]:
        """``{raw file: sha256}`` of every input: what a render's fingerprint records."""
        return dict(zip(self.inputs["file"], self.inputs["sha256"]))

    def inputs_of(self, unit_code: str, frames: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
        """The rows of :attr:`inputs` a unit's scorecard is made from: the files that hold its rows
        in ``frames`` (default: the periods of the year; pass them placed within today's
        boundaries to count the old units placed under it), and those outside the period folders
        (units.csv, catalog.csv). With one file a commune, a national scorecard lists its own few
        files, not every commune's."""
        own = set()
        for frame in (self.periods if frames is None else frames).values():
            own.update(self.once(_files_by_unit, frame).get(unit_code, ()))
        # looked up, not matched against every input: a national period has thousands of files
        at, outside = self.once(_input_positions, self.inputs)
        keep = sorted({*outside, *(i for file in own for i in at.get(file, ()))})
        return self.inputs.iloc[keep].reset_index(drop=True)


def _files_by_unit(frame: pd.DataFrame) -> dict:
    """``{unit code: the files its rows of ``frame`` come from}``."""
    files = frame[["unit_code", "source_file"]].dropna().drop_duplicates()
    out: dict[str, list[str]] = {}
    for unit, file in zip(files["unit_code"].tolist(), files["source_file"].tolist()):
        out.setdefault(unit, []).append(file)
    return out


def _input_positions(inputs: pd.DataFrame) -> tuple[dict, list[int]]:
    """Where each file of ``inputs`` is (``{file: row positions}``), and the positions of the
    files not in a period's folder (units.csv, catalog.csv), in every scorecard's list of inputs."""
    files = inputs["file"].tolist()
    return inputs.groupby("file", sort=False).indices, [i for i, file in enumerate(files) if "/" not in file]


def _identity(value):
    return value if isinstance(value, (str, int, float, bool, type(None))) else ("id", id(value))


# --- one load of a period per process --------------------------------------------------------------
# A worker's kernel renders many scorecards of one period one after another: with reuse=True they
# share one YearData (and what YearData.once keeps), as long as the processed tables are the ones
# it was read from.
_kept: dict[tuple[str, str], tuple[tuple, YearData]] = {}
KEPT_YEARS = 4  # periods kept per process (a run renders period after period)


def _tables_stamp(periods: list[Period], data_dir: Path) -> tuple:
    """What the loaded tables were read from: the size, time and file number of each period's
    manifest and processed files, and of units.csv and catalog.csv. A rebuilt period or an edited
    units table gives another stamp: each is written to a new file put in place of the old
    (:mod:`.atomic`). Looked at before every scorecard: a national period's manifest lists
    thousands of files, read here only by its metadata."""
    def stat(path: Path):
        try:
            info = path.stat()
        except OSError:
            return None
        return info.st_size, info.st_mtime_ns, info.st_ino

    stamp = []
    for p in periods:
        folder = processed_dir(p, data_dir)
        stamp.append((str(p), stat(folder / manifests.MANIFEST), stat(folder / FUNDING_PARQUET),
                      stat(folder / QUALITY_CSV)))
    return (*stamp, stat(units_csv(data_dir)), stat(catalog_csv(data_dir)))


def load_year(period: PeriodLike, data_dir: DataDir = None, *, rebuild: Rebuild = "auto",
              reuse: bool = False) -> YearData:
    """The tables of ``period``'s year so far (spec §1), its findings and provenance.

    ``reuse=True``: the same :class:`YearData` for every call of this process on this data folder
    and period while its processed tables are unchanged (a rebuilt period is read again); treat
    it as read-only. The notebooks of ``mtqg report`` use it, so that a worker loads a period
    once for all its scorecards.

    >>> from mtqg_analysis import load_year
    >>> year = load_year("2024-09")
    >>> year.funding, year.previous, year.quality  # doctest: +SKIP
    """
    period = parse_period(period)
    data_dir = resolve_data_dir(data_dir)
    periods = year_so_far(period, [*raw_periods(raw_dir(data_dir)), period])
    if not reuse or _check_rebuild(rebuild) == "always":
        return _read_year(period, periods, data_dir, rebuild)
    for p in periods:
        ensure_built(p, data_dir, rebuild)
    key, stamp = (str(data_dir.resolve()), str(period)), _tables_stamp(periods, data_dir)
    kept = _kept.pop(key, None)
    year = kept[1] if kept is not None and kept[0] == stamp else _read_year(period, periods, data_dir, "never")
    _kept[key] = (stamp, year)  # the most recent last
    while len(_kept) > KEPT_YEARS:
        _kept.pop(next(iter(_kept)))
    return year


def _read_year(period: Period, periods: list[Period], data_dir: Path, rebuild: str) -> YearData:
    frames, records, inputs = _load_periods(periods, data_dir, rebuild)
    return YearData(period=period, periods=frames, quality=load_quality(period, data_dir, rebuild="never"),
                    inputs=inputs, units=_units(data_dir, period), catalog=_catalog(data_dir),
                    data_name=data_dir.resolve().name, manifests=records)


def _load_periods(periods: list[Period], data_dir: Path, rebuild: str):
    """The tables of ``periods``, their manifests, and every input file with its hash."""
    frames, records = {}, {}
    for p in periods:
        frames[str(p)] = load_period(p, data_dir, rebuild=rebuild)
        records[str(p)] = manifests.read_manifest(processed_dir(p, data_dir)) or {}
    files: dict[str, dict] = {}
    for record in records.values():
        files.update(record.get("files") or {})
    inputs = pd.DataFrame([{"file": name, "size": entry["size"], "sha256": entry["sha256"]}
                           for name, entry in sorted(files.items())], columns=["file", "size", "sha256"])
    return frames, records, inputs


def _units(data_dir: Path, period: Period) -> Units:
    try:
        return units_for(data_dir).at(period)
    except InputError as error:
        raise InputErrors([error]) from None


def _catalog(data_dir: Path) -> Catalog:
    try:
        return catalog_for(data_dir)
    except InputError as error:
        raise InputErrors([error]) from None


@dataclass
class PhaseData:
    """What a phase summary is made from (see :func:`load_phase`)."""

    phase: Phase
    periods: dict[str, pd.DataFrame]  # the last period of each year of the phase that has one, oldest first
    inputs: pd.DataFrame
    units: Units  # seen at the end of the latest period: the phase is shown with today's units
    catalog: Catalog
    data_name: str = ""
    manifests: dict[str, dict] = field(default_factory=dict)

    @property
    def years(self) -> dict[int, str]:
        """``{year: period}`` of the years with data."""
        return {parse_period(p).year: p for p in self.periods}

    @property
    def latest(self) -> Period:
        return max(map(parse_period, self.periods))

    def missing_years(self) -> list[int]:
        """The years of the phase without any period folder."""
        return [y for y in self.phase.years if y not in self.years]

    def input_hashes(self) -> dict[str, str]:
        return dict(zip(self.inputs["file"], self.inputs["sha256"]))


def load_phase(phase: str | Phase, data_dir: DataDir = None, *, rebuild: Rebuild = "auto") -> PhaseData:
    """The tables of a phase (spec §1): for each of its years, the year's last period present
    (``YYYY-EXT``, else ``YYYY-12``, else the latest), built first as ``rebuild`` says; the units
    in force at the end of the latest one.

    >>> from mtqg_analysis import load_phase
    >>> phase = load_phase("2021-2025")
    >>> phase.periods, phase.units  # doctest: +SKIP
    """
    phase = parse_phase(phase)
    data_dir = resolve_data_dir(data_dir)
    chosen = year_end_periods(phase, raw_periods(raw_dir(data_dir)))
    if not chosen:
        raise InputErrors([InputError.of("phase.no_folders", phase=phase, path=raw_dir(data_dir))])
    frames, records, inputs = _load_periods(list(chosen.values()), data_dir, rebuild)
    latest = max(chosen.values())
    return PhaseData(phase=phase, periods=frames, inputs=inputs, units=_units(data_dir, latest),
                     catalog=_catalog(data_dir), data_name=data_dir.resolve().name, manifests=records)


def periods(data_dir: DataDir = None) -> list[Period]:
    """The periods that have a raw folder, oldest first."""
    return raw_periods(raw_dir(data_dir))


def period_states(data_dir: DataDir = None) -> list[dict]:
    """One row per raw period folder: its folder name, label, number of raw files and whether
    its processed table is ``fresh``, ``stale`` or ``missing``."""
    from ..domain.periods import label
    from ..extract import period_folder, raw_files
    from .build import FUNDING_PARQUET

    data_dir = resolve_data_dir(data_dir)
    rows = []
    for p in periods(data_dir):
        folder = period_folder(raw_dir(data_dir), p)
        built = (processed_dir(p, data_dir) / FUNDING_PARQUET).exists()
        rows.append({"period": str(p), "folder": folder.name, "label": label(p), "raw_files": len(raw_files(folder)),
                     "processed": ("stale" if is_stale(p, data_dir) else "fresh") if built else "missing"})
    return rows


__all__ = ["REBUILD", "PhaseData", "YearData", "ensure_built", "load_period", "load_quality", "load_phase", "load_year",
           "period_states", "periods"]
