"""The state of a period in ten seconds: the figures of a report's and a scorecard's headline.

How much was planned and disbursed, how much is still to disburse, against how much of the year
has gone, and which lines and which communes lag most. The communes are counted and ranked; the
district's (or province's) own budget is given apart (:mod:`.places`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..domain.catalog import Catalog
from ..domain.periods import Period, PeriodLike
from ..domain.units import Units
from .levels import by_level
from .measures import total
from .places import communes_total, own_budget, place_of
from .standing import commune_codes, lagging, period_of, ranking, rows_of_unit, unit_total, unit_vs_district


@dataclass
class Overview:
    """The headline figures of a period (amounts in đồng, rates as fractions)."""

    period: Period
    place: dict | None  # the unit the report covers (analysis.places.place_of)
    whole: pd.Series  # every unit together: plan_vnd, disbursed_vnd, financial_rate, ...
    communes: pd.Series  # the communes, wards and towns together
    own: pd.DataFrame  # the district's own budget, one row per such unit
    commune_count: int
    line_count: int  # lines with a plan
    lagging_lines: pd.DataFrame  # the lines with a plan and the lowest financial rates, lowest first
    lagging_units: pd.DataFrame  # the communes with the lowest financial rates, lowest first

    @property
    def remaining_vnd(self) -> int:
        """Still to disburse: plan minus disbursed (never below zero)."""
        return max(int(self.whole["plan_vnd"]) - int(self.whole["disbursed_vnd"]), 0)

    @property
    def time_share(self) -> float:
        """The share of the year gone at the end of the period (June: 0.5)."""
        return self.period.share_of_year


def lagging_lines(frame: pd.DataFrame, catalog: Catalog | None = None, lang: str = "vi", n: int = 3) -> pd.DataFrame:
    """The ``n`` lines with a plan and the lowest financial rate (the larger plan first on a tie)."""
    lines = by_level(frame, "line", catalog, lang)
    lines = lines[lines["plan_vnd"] > 0]
    return lines.sort_values(["financial_rate", "plan_vnd"], ascending=[True, False], kind="stable") \
        .head(n).reset_index(drop=True)


def overview(frame: pd.DataFrame, units: Units | None = None, catalog: Catalog | None = None, period: PeriodLike | None = None,
             lang: str = "vi", n: int = 3) -> Overview:
    """The headline figures of the period of ``frame``."""
    p = period_of(frame, period)
    ranked = ranking(frame, units)
    lines = by_level(frame, "line", catalog, lang)
    return Overview(
        period=p, place=place_of(frame, units), whole=total(frame), communes=communes_total(frame, units),
        own=own_budget(frame, units), commune_count=len(commune_codes(frame["unit_code"].unique(), units)),
        line_count=int((lines["plan_vnd"] > 0).sum()), lagging_lines=lagging_lines(frame, catalog, lang, n),
        lagging_units=ranked.iloc[::-1].head(n).reset_index(drop=True))


@dataclass
class UnitOverview:
    """The headline figures of one unit's scorecard."""

    period: Period
    unit_code: str
    unit_name: str
    is_commune: bool
    mine: pd.Series  # the unit's totals
    whole: pd.Series  # the whole district's totals
    communes: pd.Series  # the communes together
    rank: int | None  # among the communes (None for the district's own budget, or without a rate)
    ranked: int  # how many communes are ranked
    lagging_lines: pd.DataFrame  # the unit's lines most behind the district, most behind first

    @property
    def remaining_vnd(self) -> int:
        return max(int(self.mine["plan_vnd"]) - int(self.mine["disbursed_vnd"]), 0)


def unit_overview(frame: pd.DataFrame, unit_code: str, units: Units | None = None, catalog: Catalog | None = None,
                  period: PeriodLike | None = None, lang: str = "vi", n: int = 3,
                  ranked: pd.DataFrame | None = None, district: pd.DataFrame | None = None,
                  whole: pd.Series | None = None, communes: pd.Series | None = None,
                  positions: dict | None = None, lines: Mapping | None = None,
                  totals: pd.DataFrame | None = None, rows: pd.DataFrame | None = None,
                  comparison: pd.DataFrame | None = None, ranked_at: Mapping | None = None) -> UnitOverview:
    """The headline figures of ``unit_code``'s scorecard. ``ranked`` (``ranking(frame, units)``),
    ``district`` (``by_level(frame, "line", catalog, lang)``), ``whole`` (``total(frame)``),
    ``communes`` (``communes_total(frame, units)``), ``positions`` (``unit_positions(frame)``),
    ``lines`` (``by_level_per_unit(frame, "line", catalog, lang)``) and ``totals``
    (``totals_by(frame)``): the same for every unit of the input, passed when already computed;
    ``rows`` (``rows_of_unit(frame, unit_code)``) and ``comparison`` (:func:`unit_vs_district`),
    the unit's, when its scorecard has them already; ``ranked_at``: ``unit_positions(ranked)``,
    where each unit is in ``ranked``."""
    mine = rows_of_unit(frame, unit_code, positions) if rows is None else rows
    ranked = ranking(frame, units) if ranked is None else ranked
    row = rows_of_unit(ranked, unit_code, ranked_at)
    if comparison is None:
        comparison = unit_vs_district(frame, unit_code, catalog, lang, district=district, positions=positions,
                                      lines=lines)
    behind = lagging(comparison)
    return UnitOverview(
        period=period_of(frame, period), unit_code=unit_code,
        unit_name=str(mine["unit_name"].iloc[0]) if len(mine) else unit_code,
        is_commune=bool(commune_codes([unit_code], units)),
        mine=unit_total(frame, unit_code, positions, totals),
        whole=total(frame) if whole is None else whole,
        communes=communes_total(frame, units) if communes is None else communes,
        rank=int(row["rank"].iloc[0]) if len(row) else None,
        ranked=len(ranked), lagging_lines=behind.head(n).reset_index(drop=True))
