"""How units stand (spec §5), as a district notice says it: which units disbursed all of a line,
which have a plan and nothing disbursed, which finished every planned output, how they rank,
which lines of a unit lag behind the district, and what units wrote in their notes.

Ranked and listed units are communes, wards, towns and special zones (``units.is_commune``): a
district's or province's own budget is shown on its own line, never ranked among communes. Where
no units table is given every unit counts as a commune. Rates that cannot be computed (no plan)
are left out of rankings.
"""
from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..domain.catalog import Catalog
from ..domain.labels import check_lang
from ..domain.periods import Period, PeriodLike, parse_period
from ..domain.text import vietnamese_sort_key
from ..domain.units import Units, short_name
from ..errors import ParameterError
from .capital import CAPITAL_RATES
from .levels import _catalog, by_level, by_line_unit, by_unit
from .measures import total
from .places import seen_at

RATES = {"financial": "financial_rate", "physical": "physical_rate"}


def commune_codes(codes: Iterable[str], units: Units | None = None) -> list[str]:
    """Those of ``codes`` that are communes, wards or towns (not a district's or province's own
    budget); all of them when ``units`` is None."""
    return [c for c in codes if units is None or units.is_commune(c)]


def _communes(table: pd.DataFrame, units: Units | None) -> pd.DataFrame:
    return table[table["unit_code"].isin(commune_codes(table["unit_code"].unique(), units))]


def ranking(frame: pd.DataFrame, units: Units | None = None, rate: str = "financial") -> pd.DataFrame:
    """Communes ranked by ``rate`` ("financial" or "physical"; physical only for units whose
    quantities share one measure unit), best first, with ``rank`` (1 = best; ties share the better
    rank). Units without the rate's denominator are left out."""
    column = RATES.get(rate)
    if column is None:
        raise ParameterError(f"unknown rate '{rate}'; use financial or physical")
    table = _communes(by_unit(frame), seen_at(units, frame)).dropna(subset=[column])
    table = table.sort_values([column, "disbursed_vnd", "unit_code"], ascending=[False, False, True], kind="stable")
    table.insert(0, "rank", table[column].rank(method="min", ascending=False).astype("int64"))
    return table.reset_index(drop=True)


def line_units(frame: pd.DataFrame, line_code: str | None = None, units: Units | None = None) -> pd.DataFrame:
    """Per (line, commune) with flags: ``has_plan`` (plan > 0), ``disbursed_any`` (> 0),
    ``disbursed_full`` (disbursed >= plan > 0), ``disbursed_none`` (plan > 0, nothing
    disbursed), ``outputs_done`` (done_qty >= plan_qty > 0)."""
    rows = frame if line_code is None else frame[frame["line_code"] == line_code]
    table = _communes(by_line_unit(rows), seen_at(units, frame))
    plan = table["plan_vnd"]
    table = table.assign(
        has_plan=plan > 0,
        disbursed_any=table["disbursed_vnd"] > 0,
        disbursed_full=(plan > 0) & (table["disbursed_vnd"] >= plan),
        disbursed_none=(plan > 0) & (table["disbursed_vnd"] == 0),
        outputs_done=((table["plan_qty"] > 0) & (table["done_qty"] >= table["plan_qty"])).fillna(False),
    )
    return table.sort_values(["line_code", "unit_code"], kind="stable").reset_index(drop=True)


def _codes(table: pd.DataFrame, flag: str) -> list[str]:
    return list(table.loc[table[flag], "unit_code"])


def units_disbursed_full(frame: pd.DataFrame, line_code: str, units: Units | None = None) -> list[str]:
    """Communes that disbursed 100% of the line (disbursed >= plan > 0)."""
    return _codes(line_units(frame, line_code, units), "disbursed_full")


def units_disbursed_none(frame: pd.DataFrame, line_code: str, units: Units | None = None) -> list[str]:
    """Communes with a plan for the line and nothing disbursed."""
    return _codes(line_units(frame, line_code, units), "disbursed_none")


def units_disbursed_any(frame: pd.DataFrame, line_code: str, units: Units | None = None) -> list[str]:
    """Communes that disbursed something of the line."""
    return _codes(line_units(frame, line_code, units), "disbursed_any")


def units_outputs_done(frame: pd.DataFrame, line_code: str, units: Units | None = None) -> list[str]:
    """Communes that finished every planned output of the line (done_qty >= plan_qty > 0)."""
    return _codes(line_units(frame, line_code, units), "outputs_done")


def top_units(frame: pd.DataFrame, units: Units | None = None, n: int = 2, line_code: str | None = None) -> list[str]:
    """The ``n`` communes with the highest financial rate (overall, or on ``line_code``), among
    those that disbursed something."""
    table = ranking(frame if line_code is None else frame[frame["line_code"] == line_code], units)
    return list(table.loc[table["disbursed_vnd"] > 0, "unit_code"].head(n))


def units_nothing_disbursed(frame: pd.DataFrame, units: Units | None = None) -> list[str]:
    """Communes with a plan and nothing disbursed on any line."""
    table = _communes(by_unit(frame), seen_at(units, frame))
    return list(table.loc[(table["plan_vnd"] > 0) & (table["disbursed_vnd"] == 0), "unit_code"])


def full_and_none(frame: pd.DataFrame, catalog: Catalog | None = None, units: Units | None = None,
                  lang: str = "vi") -> pd.DataFrame:
    """For each line with a plan, in catalog order: the communes that disbursed their whole plan
    (``full``) and those that disbursed nothing (``none``), short names in Vietnamese alphabetical
    order joined by ", "."""
    check_lang(lang)
    cat = _catalog(catalog)
    table = line_units(frame, None, units)
    table = table[table["has_plan"]]
    names = table["unit_name"].map(short_name)
    rows = []
    for code, group in table.groupby("line_code", sort=False):
        rows.append({"code": code, "name": cat.name(code, lang) if code in cat.frame.index else code,
                     "full": ", ".join(sorted(names[group.index[group["disbursed_full"]]], key=vietnamese_sort_key)),
                     "none": ", ".join(sorted(names[group.index[group["disbursed_none"]]], key=vietnamese_sort_key))})
    out = pd.DataFrame(rows, columns=["code", "name", "full", "none"])
    order = [cat.order(c) if c in cat.frame.index else 10**6 for c in out["code"]]
    return out.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def behind_pace(frame: pd.DataFrame, period: PeriodLike | None = None, threshold: float = 0.5,
                by: str = "unit") -> pd.DataFrame:
    """Units (``by="unit"``) or unit-lines (``by="line"``) whose financial rate is below
    ``threshold`` x the share of the year elapsed (2024-06 with the default 0.5: below 25%).
    Adds ``pace`` (the bar) and ``gap`` (rate minus bar, negative)."""
    if not 0 <= threshold:
        raise ParameterError(f"threshold must be >= 0, got {threshold}")
    p = period_of(frame, period)
    bar = threshold * p.share_of_year
    if by == "unit":
        table = by_unit(frame)
    elif by == "line":
        table = by_line_unit(frame)
    else:
        raise ParameterError(f"unknown grouping '{by}'; use unit or line")
    table = table[table["plan_vnd"] > 0].copy()
    table["pace"] = bar
    table["gap"] = table["financial_rate"] - bar
    slow = table[table["financial_rate"] < bar]
    return slow.sort_values("financial_rate", kind="stable").reset_index(drop=True)


def period_of(frame: pd.DataFrame, period: PeriodLike | None = None) -> Period:
    """``period`` parsed, else the one period of the table's ``period`` column (a
    :class:`ParameterError` when it holds none or several)."""
    if period is not None:
        return parse_period(period)
    values = frame["period"].dropna().unique() if "period" in frame else []
    if len(values) != 1:
        raise ParameterError("give the period: the table holds "
                             + (f"{len(values)} periods" if len(values) else "no period column"))
    return parse_period(values[0])


def unit_vs_district(frame: pd.DataFrame, unit_code: str, catalog: Catalog | None = None,
                     lang: str = "vi", capital_years: bool = False,
                     district: pd.DataFrame | None = None, positions: dict | None = None,
                     lines: Mapping | None = None) -> pd.DataFrame:
    """The unit's lines with both rates, beside the whole input's financial rate on the same line
    (``district_rate``); ``gap`` is unit minus district (negative: the unit is behind).
    ``capital_years`` adds the unit's rates of own-year and carried-over capital. ``district``:
    ``by_level(frame, "line", catalog, lang)`` when already computed (the same for every unit);
    ``positions``: :func:`unit_positions` of ``frame``; ``lines``: ``by_level_per_unit(frame,
    "line", catalog, lang)``, every unit's lines computed at once, or :func:`units_vs_district` of
    them, every unit's lines compared at once."""
    if lines is not None and unit_code in lines:
        mine = lines[unit_code]  # a frame of its own: changing it changes nothing kept
        mine = mine if capital_years else mine.drop(columns=CAPITAL_RATES)
        if "district_rate" in mine:  # lines of units_vs_district: compared already
            return mine
    else:
        mine = by_level(rows_of_unit(frame, unit_code, positions), "line", catalog, lang, capital_years)
    if district is None:
        district = by_level(frame, "line", catalog, lang)
    district = district.set_index("code")["financial_rate"]
    mine["district_rate"] = mine["code"].map(district)
    mine["gap"] = mine["financial_rate"] - mine["district_rate"]
    return mine


def units_vs_district(lines: Mapping, district: pd.DataFrame) -> Mapping:
    """:func:`unit_vs_district` (``capital_years=True``) of every unit at once: ``lines`` is
    ``by_level_per_unit(frame, "line", catalog, lang)``, ``district`` ``by_level(frame, "line",
    catalog, lang)``. One mapping of the district's rates for a period, not one a scorecard."""
    rates = district.set_index("code")["financial_rate"]
    return lines.assign(district_rate=lambda table: table["code"].map(rates),
                        gap=lambda table: table["financial_rate"] - table["district_rate"])


def lagging(comparison: pd.DataFrame) -> pd.DataFrame:
    """Lines of :func:`unit_vs_district` where the unit is behind the district rate or has
    disbursed nothing of its plan, most behind first."""
    behind = (comparison["gap"] < 0) | ((comparison["plan_vnd"] > 0) & (comparison["disbursed_vnd"] == 0))
    return comparison[behind].sort_values("gap", kind="stable").reset_index(drop=True)


def unit_notes(frame: pd.DataFrame) -> pd.DataFrame:
    """The notes units wrote beside their lines (``unit_name``, ``line_code``, ``note``)."""
    # read as Python strings: a scorecard asks this of a few dozen rows, where a string column's
    # methods cost more than the reading
    text = ["" if pd.isna(t) else str(t).strip() for t in frame["note"].tolist()]
    keep = np.array([t != "" and t.lower() != "nan" for t in text], dtype=bool)
    return frame.loc[keep, ["unit_name", "line_code", "note"]].reset_index(drop=True)


def unit_positions(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Where each unit's rows are in ``frame``: ``{unit code: row positions}``, in table order.
    Computed once for a table (``year.once(unit_positions, frame)``), it turns each of thousands of
    scorecards' :func:`rows_of_unit` into a lookup instead of a scan of every unit's rows."""
    return frame.groupby("unit_code", sort=False).indices


def rows_of_unit(frame: pd.DataFrame, unit_code: str, positions: dict | None = None) -> pd.DataFrame:
    """The rows of one unit (none when it has none), as ``frame[frame["unit_code"] == unit_code]``;
    ``positions``: :func:`unit_positions` of ``frame`` when already computed."""
    if positions is None:
        return frame[frame["unit_code"] == unit_code]
    return frame.iloc[positions.get(unit_code, np.empty(0, dtype="int64"))]


def unit_total(frame: pd.DataFrame, unit_code: str, positions: dict | None = None,
               totals: pd.DataFrame | None = None) -> pd.Series:
    """``total`` of the unit's rows: read from ``totals`` (:func:`~.measures.totals_by` of
    ``frame``, every unit's at once) when given and holding the unit, else computed from its rows
    (``positions``: see :func:`rows_of_unit`)."""
    if totals is not None and unit_code in totals.index:
        return totals.loc[unit_code]
    return total(rows_of_unit(frame, unit_code, positions))


def unit_rows(frame: pd.DataFrame, unit_code: str, positions: dict | None = None) -> pd.DataFrame:
    """The rows of one unit (``positions``: see :func:`rows_of_unit`); a :class:`ParameterError`
    when the unit reported nothing."""
    rows = rows_of_unit(frame, unit_code, positions)
    if rows.empty:
        raise ParameterError(f"unit {unit_code!r} has no reported lines in this period")
    return rows
