"""mtqg-analysis: consolidate commune reports of the MTQG for ethnic-minority and mountainous areas.

For analysts (README "In Python")::

    from mtqg_analysis import load_period, load_year, by_level, ranking

    funding = load_period("2024-06")        # the tidy table of a period (spec §4.1)
    funding.pipe(by_level, "project")       # plan, disbursed, quantities, both rates per project
    year = load_year("2024-09")             # the year so far, the findings, units and catalog at once
    ranking(year.funding, year.units)

- loading: :func:`load_period`, :func:`load_year` (:class:`YearData`), :func:`load_phase` (the
  year-end tables of a phase, spec §1), :func:`load_quality`, :func:`periods`;
- the catalog and the units: :func:`load_catalog`, :func:`load_units`, :func:`units_for`;
- every figure of the reports: the functions of :mod:`mtqg_analysis.analysis`, also importable
  from here (``from mtqg_analysis import trajectory``);
- errors: :class:`InputErrors` (bad input, naming file, sheet, row, column), :class:`ParameterError`
  (a wrong argument), :class:`BusyError` (another run holds the period).

The package is cut by stage, data flowing one way::

    domain -> extract -> transform -> validate -> store -> analysis -> report -> render -> cli
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version as _version
from typing import TYPE_CHECKING

from .errors import BusyError, InputError, InputErrors, MtqgError, ParameterError

try:
    __version__ = _version("mtqg-analysis")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

# The figures of mtqg_analysis.analysis (tests/test_api.py checks this list against its __all__).
_ANALYSIS = (
    "MEASURES", "Overview", "UnitOverview", "add_rates", "behind_pace", "by_budget_source", "by_capital_kind",
    "by_capital_type", "by_level", "by_level_per_unit", "by_line_unit", "by_name", "by_place", "by_tree", "by_unit", "by_unit_level",
    "capital_rates", "carried_years", "change_against_previous", "commune_codes", "communes_total",
    "counts_by_check", "district_change", "full_and_none", "has_carried", "has_levels", "in_period_change",
    "is_carried", "is_own_budget", "lagging", "lagging_lines", "line_change", "line_units", "overview",
    "own_budget", "own_year_plans", "period_of", "phase_by_project", "phase_by_year", "phase_rows",
    "pivot_rates", "place_name", "place_of", "placed_periods", "plan_adjustments", "project_years", "ranking",
    "ratio", "reorganisation", "rows_of_unit", "seen_at", "sorted_names", "stack_periods", "summarise", "top_unit", "top_units",
    "total", "totals_by", "trajectories", "trajectory", "unit_levels", "unit_notes", "unit_overview", "unit_positions", "unit_rows",
    "unit_total", "unit_vs_district", "units_vs_district",
    "units_disbursed_any", "units_disbursed_full", "units_disbursed_none", "units_nothing_disbursed",
    "units_outputs_done", "with_effective_capital", "with_group", "with_line_names", "worst_units",
)
# Where each public name lives. Imported on first use: `mtqg --help` must not pay for pandas.
_LAZY = {
    "load_period": "store", "load_year": "store", "load_phase": "store", "load_quality": "store", "YearData": "store",
    "periods": "store",
    "units_for": "store",
    "load_catalog": "domain.catalog", "Catalog": "domain.catalog",
    "load_units": "domain.units", "Units": "domain.units",
    "parse_period": "domain.periods", "Period": "domain.periods",
    **{name: "analysis" for name in _ANALYSIS},
}
_SUBPACKAGES = ("analysis", "report", "store")

__all__ = ["__version__", "BusyError", "InputError", "InputErrors", "MtqgError", "ParameterError", *_SUBPACKAGES,
           *_LAZY]

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time these come from __getattr__
    from . import analysis, report, store
    from .analysis import *  # noqa: F403
    from .domain.catalog import Catalog, load_catalog
    from .domain.periods import Period, parse_period
    from .domain.units import Units, load_units
    from .store import YearData, load_period, load_phase, load_quality, load_year, periods, units_for


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBPACKAGES:
        value = import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'mtqg_analysis' has no attribute {name!r}")
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
