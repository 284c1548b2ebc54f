"""Stage 4, store: the processed files of each period (spec §4) and the loaders later stages use.

Public: :func:`build_period`, :func:`is_stale`, :func:`earlier_periods`, :func:`load_period`, :func:`load_quality`,
:func:`load_year` (:class:`YearData`), :func:`load_phase` (:class:`PhaseData`), and where a data
folder keeps things (:mod:`.paths`).
Writes are atomic (:mod:`.atomic`); runs on one period take turns (:mod:`.locking`); what an
output was made from is recorded and compared in one way (:mod:`.manifest`).
"""
from .build import BuildResult, build_period, earlier_periods, is_stale
from .load import (REBUILD, PhaseData, YearData, ensure_built, load_period, load_phase, load_quality, load_year,
                   period_states, periods)
from .paths import catalog_for, default_data_dir, processed_dir, raw_dir, resolve_data_dir, units_for

__all__ = ["BuildResult", "PhaseData", "REBUILD", "YearData", "build_period", "catalog_for", "default_data_dir",
           "earlier_periods", "ensure_built", "is_stale", "load_period", "load_phase", "load_quality", "load_year", "period_states",
           "periods", "processed_dir", "raw_dir", "resolve_data_dir", "units_for"]
