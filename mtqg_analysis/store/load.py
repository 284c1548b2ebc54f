"""Loading processed periods: what analysts, notebooks and reports read (spec §4).

- :func:`load_period`: the tidy table of one period, built first when missing or stale;
- :func:`load_quality`: its data-quality findings;
- :func:`load_year`: everything a report of a period needs, loaded once: the tables of the
  periods of its year so far, the previous period, the findings, the input files with their
  hashes, the units and the catalog. The notebooks call it in their first cell and pass the
  frames on; nothing after this stage opens a file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..domain.catalog import Catalog, load_catalog
from ..domain.periods import Period, parse_period, previous_in_year, year_so_far
from ..domain.schema import QUALITY_COLUMNS, as_quality, as_tidy
from ..domain.units import Units
from ..errors import InputError, InputErrors, ParameterError
from ..extract import raw_periods
from . import manifest as manifests
from .build import FUNDING_PARQUET, QUALITY_CSV, build_period, is_stale
from .paths import processed_dir, raw_dir, resolve_data_dir, units_for

REBUILD = ("auto", "never", "always")


def _check_rebuild(rebuild) -> str:
    if rebuild not in REBUILD:
        raise ParameterError(f"rebuild must be one of {', '.join(map(repr, REBUILD))}, not {rebuild!r}")
    return rebuild


def ensure_built(period, data_dir=None, rebuild: str = "auto") -> Path:
    """The processed folder of ``period``, (re)built first as ``rebuild`` says."""
    period = parse_period(period)
    data_dir = resolve_data_dir(data_dir)
    if _check_rebuild(rebuild) == "always" or (rebuild == "auto" and is_stale(period, data_dir)):
        build_period(period, data_dir)
    out_dir = processed_dir(period, data_dir)
    if not (out_dir / FUNDING_PARQUET).exists():
        raise InputErrors([InputError(f"no processed table for {period}; run: mtqg clean --period {period}")])
    return out_dir


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
    out_dir = ensure_built(period, data_dir, rebuild)
    return as_tidy(pd.read_parquet(out_dir / FUNDING_PARQUET))


def load_quality(period, data_dir=None, *, rebuild: str = "auto") -> pd.DataFrame:
    """The period's data-quality findings (spec §4.2), built first as ``rebuild`` says."""
    out_dir = ensure_built(period, data_dir, rebuild)
    frame = pd.read_csv(out_dir / QUALITY_CSV, dtype=str, keep_default_na=False)
    return as_quality(frame.reindex(columns=QUALITY_COLUMNS, fill_value=""))


@dataclass
class YearData:
    """What a report of ``period`` is made from, loaded once (see :func:`load_year`)."""

    period: Period
    periods: dict[str, pd.DataFrame]  # the year so far, oldest first, this period last
    quality: pd.DataFrame
    inputs: pd.DataFrame  # file, size, sha256 of every raw file these tables were made from
    units: Units
    catalog: Catalog
    data_name: str = ""  # the data folder's name (never its full path: reports are shared)
    manifests: dict[str, dict] = field(default_factory=dict)

    @property
    def funding(self) -> pd.DataFrame:
        """The tidy table of :attr:`period`."""
        return self.periods[str(self.period)]

    @property
    def previous_period(self) -> Period | None:
        return previous_in_year(self.period, self.periods)

    @property
    def previous(self) -> pd.DataFrame | None:
        """The tidy table of the previous period of the same year, None for the first."""
        previous = self.previous_period
        return self.periods[str(previous)] if previous is not None else None

    def input_hashes(self) -> dict[str, str]:
        """``{raw file: sha256}`` of every input: what a render's fingerprint records."""
        return dict(zip(self.inputs["file"], self.inputs["sha256"]))


def load_year(period, data_dir=None, *, rebuild: str = "auto") -> YearData:
    """The tables of ``period``'s year so far (spec §1), its findings and provenance.

    >>> from mtqg_analysis import load_year
    >>> year = load_year("2024-09")
    >>> year.funding, year.previous, year.quality  # doctest: +SKIP
    """
    period = parse_period(period)
    data_dir = resolve_data_dir(data_dir)
    periods = year_so_far(period, [*raw_periods(raw_dir(data_dir)), period])
    frames, records = {}, {}
    for p in periods:
        frames[str(p)] = load_period(p, data_dir, rebuild=rebuild)
        records[str(p)] = manifests.read_manifest(processed_dir(p, data_dir)) or {}
    files: dict[str, dict] = {}
    for record in records.values():
        files.update(record.get("files") or {})
    inputs = pd.DataFrame([{"file": name, "size": entry["size"], "sha256": entry["sha256"]}
                           for name, entry in sorted(files.items())], columns=["file", "size", "sha256"])
    return YearData(period=period, periods=frames, quality=load_quality(period, data_dir, rebuild="never"),
                    inputs=inputs, units=units_for(data_dir).as_of(period), catalog=load_catalog(),
                    data_name=data_dir.resolve().name, manifests=records)





def periods(data_dir=None) -> list[Period]:
    """The periods that have a raw folder, oldest first."""
    return raw_periods(raw_dir(data_dir))


def period_states(data_dir=None) -> list[dict]:
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


__all__ = ["REBUILD", "YearData", "ensure_built", "load_period", "load_quality", "load_year", "period_states", "periods"]
