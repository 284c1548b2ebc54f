"""Stage 5, analysis: every figure of the reports, computed once, from DataFrames (spec §5).

Functions take tidy tables (spec §4.1) and return new DataFrames; they chain with ``.pipe``::

    funding.pipe(by_level, "project")
    funding.pipe(ranking, units)

- :mod:`.measures`: the sums and the two rates (the one place a rate is divided);
- :mod:`.levels`: totals at every catalog level, per unit, capital type, budget source;
- :mod:`.standing`: how units stand: ranking, full and no disbursement, lagging lines, notes;
- :mod:`.over_time`: the year's trajectory and the change since the previous period;
- :mod:`.capital`: the year's own capital and capital carried over from earlier years, each rate;
- :mod:`.places`: levels of place (the top unit, units grouped by parent, a report's communes and
  its own budget apart) and old units placed under their successors across a reorganisation;
- :mod:`.phase`: a phase summary (years added up without counting carried-over capital twice);
- :mod:`.overview`: the headline figures of a report and of a scorecard;
- :mod:`.quality`: counts of the data-quality findings.

The notice's conventions are decided here once: the units ranked and listed are the communes,
wards and towns (a district's or province's own budget has its own line, never a rank among
communes); a rate whose denominator is zero or missing is NaN and is left out of rankings.
"""
from .capital import by_capital_kind, capital_rates, carried_years, has_carried, is_carried, own_year_plans
from .levels import (by_budget_source, by_capital_type, by_level, by_level_per_unit, by_line_unit, by_tree, by_unit,
                     by_unit_level, pivot_rates, with_effective_capital, with_group, with_line_names)
from .measures import MEASURES, add_rates, ratio, summarise, total, totals_by
from .over_time import (change_against_previous, district_change, in_period_change, line_change, plan_adjustments,
                        stack_periods, trajectories, trajectory)
from .overview import Overview, UnitOverview, lagging_lines, overview, unit_overview
from .phase import by_project as phase_by_project
from .phase import by_year as phase_by_year
from .phase import phase_rows, project_years
from .places import (by_name, by_place, communes_total, has_levels, is_own_budget, own_budget, place_name, place_of,
                     placed_periods, reorganisation, seen_at, sorted_names, top_unit, unit_levels)
from .quality import counts_by_check, worst_units
from .standing import (behind_pace, commune_codes, full_and_none, lagging, line_units, period_of, ranking, rows_of_unit,
                       top_units, unit_notes, unit_positions, unit_rows, unit_total, unit_vs_district, units_vs_district,
                       units_disbursed_any,
                       units_disbursed_full, units_disbursed_none, units_nothing_disbursed, units_outputs_done)

__all__ = [
    "MEASURES", "Overview", "UnitOverview", "add_rates", "behind_pace", "by_budget_source", "by_capital_kind",
    "by_capital_type", "by_level", "by_level_per_unit", "by_line_unit", "by_name", "by_place", "by_tree", "by_unit", "by_unit_level",
    "capital_rates", "carried_years", "change_against_previous", "commune_codes", "communes_total", "counts_by_check",
    "district_change", "full_and_none", "has_carried", "has_levels", "in_period_change", "is_carried",
    "is_own_budget", "lagging", "lagging_lines", "line_change", "line_units", "overview", "own_budget",
    "own_year_plans", "period_of", "phase_by_project", "phase_by_year", "phase_rows", "pivot_rates", "place_name",
    "place_of", "placed_periods", "plan_adjustments", "project_years", "ranking", "ratio", "reorganisation",
    "seen_at", "sorted_names", "stack_periods", "summarise", "top_unit", "top_units", "total", "totals_by", "trajectories", "trajectory",
    "unit_levels", "unit_notes", "unit_overview", "unit_positions", "unit_rows", "rows_of_unit", "unit_total", "unit_vs_district", "units_vs_district",
    "units_disbursed_any", "units_disbursed_full", "units_disbursed_none",
    "units_nothing_disbursed", "units_outputs_done", "with_effective_capital", "with_group", "with_line_names",
    "worst_units",
]
