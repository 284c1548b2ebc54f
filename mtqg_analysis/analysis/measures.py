"""The measures of every table (spec §5): sums and the two rates.

- ``plan_vnd``, ``disbursed_vnd``: int64 đồng, summed exactly (no float on the way);
- ``plan_qty``, ``done_qty``: summed with ``min_count=1`` (all NaN stays NaN, "not reported"),
  and only where the group has one measure unit: 46 nhà and 74 téc are not 120 of anything, so a
  group that mixes measure units has NaN quantities and an empty ``measure_unit``;
- ``financial_rate`` = disbursed / plan, ``physical_rate`` = done_qty / plan_qty, each NaN where
  its denominator is zero or missing (:func:`ratio`, the one division of the package);
- ``share_of_total_plan``: the group's plan over the plan of the whole input.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

MEASURES = ["measure_unit", "plan_qty", "done_qty", "plan_vnd", "disbursed_vnd",
            "financial_rate", "physical_rate", "share_of_total_plan"]


def ratio(numerator: float | pd.Series, denominator: float | pd.Series) -> float | pd.Series:
    """``numerator / denominator``, NaN where the denominator is zero or missing (spec §5).
    Works on numbers and on Series alike."""
    num = pd.to_numeric(numerator, errors="coerce")
    den = pd.to_numeric(denominator, errors="coerce")
    if isinstance(den, pd.Series):
        return (num / den.where(den != 0)).astype("float64")
    if pd.isna(den) or den == 0 or pd.isna(num):
        return float("nan")
    return float(num) / float(den)


def text_column(series: pd.Series) -> pd.Series:
    """A string column with missing values as "" (the table's empty split is "")."""
    return series.astype("string").fillna("").astype(str)


def add_rates(frame: pd.DataFrame, total_plan_vnd: int | None = None) -> pd.DataFrame:
    """Add ``financial_rate``, ``physical_rate`` and ``share_of_total_plan`` to a frame with the
    summed measures (``total_plan_vnd`` defaults to the frame's own total plan)."""
    out = frame.copy()
    plan = out["plan_vnd"].astype("int64")
    out["financial_rate"] = ratio(out["disbursed_vnd"], plan)
    out["physical_rate"] = ratio(out["done_qty"].astype("float64"), out["plan_qty"].astype("float64"))
    total_plan = int(plan.sum()) if total_plan_vnd is None else int(total_plan_vnd)
    out["share_of_total_plan"] = ratio(plan, pd.Series(total_plan, index=out.index)) if total_plan else np.nan
    return out


def summarise(frame: pd.DataFrame, by: list[str], total_plan_vnd: int | None = None) -> pd.DataFrame:
    """Sum the measures of ``frame`` over the groups ``by`` (columns of ``frame``) and add rates.

    Quantities are kept only for groups whose reported quantities share one measure unit.
    """
    by = list(by)
    rows = frame.copy()
    rows["measure_unit"] = text_column(rows["measure_unit"]).str.strip()
    rows["plan_qty"] = rows["plan_qty"].astype("float64")
    rows["done_qty"] = rows["done_qty"].astype("float64")
    has_qty = rows["plan_qty"].notna() | rows["done_qty"].notna()
    rows["_mu"] = rows["measure_unit"].where(has_qty)  # the units that carry quantities
    grouped = rows.groupby(by, sort=False, dropna=False)
    # Built-in reductions only: a Python function per group costs seconds at a few thousand units.
    out = pd.concat([grouped[["plan_vnd", "disbursed_vnd"]].sum(),
                     grouped[["plan_qty", "done_qty"]].sum(min_count=1),
                     grouped["_mu"].nunique().rename("_units"),  # nunique and first skip missing values
                     grouped["_mu"].first().rename("_unit")], axis=1).reset_index()
    out["_unit"] = out["_unit"].fillna("")
    mixed = out["_units"] > 1
    out.loc[mixed, ["plan_qty", "done_qty"]] = np.nan
    out["measure_unit"] = out["_unit"].where(~mixed, "").astype(str)
    out = out.drop(columns=["_units", "_unit"])
    out["plan_vnd"] = out["plan_vnd"].astype("int64")
    out["disbursed_vnd"] = out["disbursed_vnd"].astype("int64")
    if total_plan_vnd is None:
        total_plan_vnd = int(frame["plan_vnd"].astype("int64").sum())
    out = add_rates(out, total_plan_vnd)
    return out[by + MEASURES]


def total(frame: pd.DataFrame) -> pd.Series:
    """The whole input as one row (quantities only when every line has the same unit)."""
    return summarise(frame.assign(_all="total"), ["_all"]).drop(columns="_all").iloc[0]


def totals_by(frame: pd.DataFrame, key: str = "unit_code") -> pd.DataFrame:
    """:func:`total` of each group of ``key`` at once, indexed by its values: row ``v`` holds
    the figures of ``total(frame[frame[key] == v])``. One grouping for a period instead of one per
    scorecard (``year.once(totals_by, funding)``)."""
    out = summarise(frame, [key]).set_index(key)
    out["share_of_total_plan"] = ratio(out["plan_vnd"], out["plan_vnd"])  # each group's share of itself, as total's
    return out[MEASURES]
