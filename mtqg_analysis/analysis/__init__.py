"""Stage 5, analysis: every figure of the reports, computed once, from DataFrames (spec §5).

Functions take tidy tables (spec §4.1) and return new DataFrames; they chain with ``.pipe``::

    funding.pipe(by_level, "project")
    funding.pipe(ranking, units)

- :mod:`.measures`: the sums and the two rates (the one place a rate is divided);
- :mod:`.levels`: totals at every catalog level, per unit, capital type, budget source;
- :mod:`.standing`: how units stand: ranking, full and no disbursement, lagging lines, notes;
- :mod:`.over_time`: the year's trajectory and the change since the previous period;
- :mod:`.quality`: counts of the data-quality findings.

The notice's conventions are decided here once: the units ranked and listed are the communes,
wards and towns (a district's or province's own budget has its own line, never a rank among
communes); a rate whose denominator is zero or missing is NaN and is left out of rankings.
"""
from .levels import (by_budget_source, by_capital_type, by_level, by_line_unit, by_unit, by_unit_level,
                     pivot_rates, with_effective_capital, with_group, with_line_names)
from .measures import MEASURES, add_rates, ratio, summarise, total
from .over_time import (change_against_previous, district_change, in_period_change, line_change, plan_adjustments,
                        stack_periods, trajectory)
from .quality import counts_by_check, worst_units
from .standing import (behind_pace, commune_codes, full_and_none, lagging, line_units, period_of, ranking, top_units,
                       unit_notes, unit_rows, unit_vs_district, units_disbursed_any, units_disbursed_full, units_disbursed_none,
                       units_nothing_disbursed, units_outputs_done)

__all__ = [
    "MEASURES", "add_rates", "behind_pace", "by_budget_source", "by_capital_type", "by_level", "by_line_unit",
    "by_unit", "by_unit_level", "change_against_previous", "commune_codes", "counts_by_check", "district_change",
    "full_and_none", "in_period_change", "lagging", "line_change", "line_units", "period_of", "pivot_rates", "plan_adjustments",
    "ranking", "ratio", "stack_periods", "summarise", "top_units", "total", "trajectory", "unit_notes",
    "unit_rows", "unit_vs_district", "units_disbursed_any", "units_disbursed_full", "units_disbursed_none",
    "units_nothing_disbursed", "units_outputs_done", "with_effective_capital", "with_group", "with_line_names",
    "worst_units",
]
