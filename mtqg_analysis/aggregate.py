"""Aggregations of the tidy table (spec §4.1, §5): DataFrame in, DataFrame out, chainable.

    funding.pipe(by_level, "project")
    funding.pipe(by_unit)
    funding.pipe(by_capital_type)
    funding.pipe(by_unit_project)

The tidy table holds only leaf (data) lines. A leaf's amounts roll up to its ancestors: at level
"project" DA1.ND2 and DA1.ND4.PT both count for DA1. A leaf that has no ancestor at the requested
level stays as itself (DA8 at level "subproject" is DA8).

Every result has the same measure columns:

- ``plan_vnd``, ``disbursed_vnd``: int64 đồng, summed exactly (no float on the way);
- ``plan_qty``, ``done_qty``: summed with ``min_count=1`` (all NaN stays NaN, "not reported"),
  and only where the group has one measure unit: 46 nhà and 74 téc are not 120 of anything, so a
  group that mixes measure units has NaN quantities and an empty ``measure_unit``;
- ``financial_rate`` = disbursed / plan (NaN where the plan is 0), ``physical_rate`` =
  done_qty / plan_qty (NaN where the planned quantity is 0 or NaN);
- ``share_of_total_plan``: the group's plan over the plan of the whole input (the district).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .catalog import LEVELS, Catalog, load_catalog
from .errors import ParameterError

MEASURES = ["measure_unit", "plan_qty", "done_qty", "plan_vnd", "disbursed_vnd",
            "financial_rate", "physical_rate", "share_of_total_plan"]
#: "line" is the leaf line itself; the others are catalog levels.
GROUP_LEVELS = ["line", *LEVELS]


def _catalog(catalog: Catalog | None) -> Catalog:
    return catalog if catalog is not None else load_catalog()


def _text(series: pd.Series) -> pd.Series:
    """A string column with missing values as "" (the table's empty split is "")."""
    return series.astype("string").fillna("").astype(str)


# --- columns added to the rows ---------------------------------------------------------------------
def with_effective_capital(frame: pd.DataFrame, catalog: Catalog | None = None) -> pd.DataFrame:
    """Add ``effective_capital``: the row's ``capital_type``, or where the report did not split,
    the line's usual capital type from the catalog (DA4.TDA1.DTBD -> "sn", DA4.TDA1.ND1 -> "dtpt")."""
    cat = _catalog(catalog)
    out = frame.copy()
    given = _text(out["capital_type"])
    codes = _text(out["line_code"])
    default = codes.map({c: cat.default_capital(c) for c in codes.unique()})
    out["effective_capital"] = given.where(given != "", default)
    return out


def with_group(frame: pd.DataFrame, level: str, catalog: Catalog | None = None) -> pd.DataFrame:
    """Add ``group_code``: the ancestor-or-self of each row's line at ``level`` (the line itself
    when it has none, or when ``level`` is "line")."""
    if level not in GROUP_LEVELS:
        raise ParameterError(f"unknown catalog level '{level}'; use one of: {', '.join(GROUP_LEVELS)}")
    cat = _catalog(catalog)
    out = frame.copy()
    codes = _text(out["line_code"])
    if level == "line":
        out["group_code"] = codes
    else:
        out["group_code"] = codes.map({c: cat.at_level(c, level) or c for c in codes.unique()})
    return out


# --- the measures ----------------------------------------------------------------------------------
def add_rates(frame: pd.DataFrame, total_plan_vnd: int | None = None) -> pd.DataFrame:
    """Add ``financial_rate``, ``physical_rate`` and ``share_of_total_plan`` to a frame with the
    summed measures (``total_plan_vnd`` defaults to the frame's own total plan)."""
    out = frame.copy()
    plan = out["plan_vnd"].astype("int64")
    out["financial_rate"] = (out["disbursed_vnd"] / plan.where(plan != 0)).astype("float64")
    plan_qty = out["plan_qty"].astype("float64")
    out["physical_rate"] = (out["done_qty"].astype("float64") / plan_qty.where(plan_qty != 0)).astype("float64")
    total = int(plan.sum()) if total_plan_vnd is None else int(total_plan_vnd)
    out["share_of_total_plan"] = (plan / total).astype("float64") if total else np.nan
    return out


def summarise(frame: pd.DataFrame, by: list[str], total_plan_vnd: int | None = None) -> pd.DataFrame:
    """Sum the measures of ``frame`` over the groups ``by`` (columns of ``frame``) and add rates.

    Quantities are kept only for groups whose reported quantities share one measure unit.
    """
    by = list(by)
    rows = frame.copy()
    rows["measure_unit"] = _text(rows["measure_unit"]).str.strip()
    rows["plan_qty"] = rows["plan_qty"].astype("float64")
    rows["done_qty"] = rows["done_qty"].astype("float64")
    has_qty = rows["plan_qty"].notna() | rows["done_qty"].notna()
    # The measure units that carry quantities in each group.
    rows["_mu"] = rows["measure_unit"].where(has_qty)
    grouped = rows.groupby(by, sort=False, dropna=False)
    out = grouped.agg(
        plan_vnd=("plan_vnd", "sum"),
        disbursed_vnd=("disbursed_vnd", "sum"),
        plan_qty=("plan_qty", lambda s: s.sum(min_count=1)),
        done_qty=("done_qty", lambda s: s.sum(min_count=1)),
        _units=("_mu", lambda s: s.dropna().nunique()),
        _unit=("_mu", lambda s: s.dropna().iloc[0] if s.notna().any() else ""),
    ).reset_index()
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
    """The district total as one row (quantities only when every line has the same unit)."""
    rows = frame.assign(_all="total")
    return summarise(rows, ["_all"]).drop(columns="_all").iloc[0]


# --- the usual cuts --------------------------------------------------------------------------------
def by_level(frame: pd.DataFrame, level: str = "project", catalog: Catalog | None = None,
             lang: str = "vi") -> pd.DataFrame:
    """One row per catalog code at ``level`` (``code``, ``level``, ``name``), in catalog order.

    ``level`` is "project", "subproject", "content", "item" or "line" (the leaf lines as they are).
    """
    cat = _catalog(catalog)
    rows = with_group(frame, level, cat)
    out = summarise(rows, ["group_code"]).rename(columns={"group_code": "code"})
    out.insert(1, "level", [cat.frame.at[c, "level"] if c in cat.frame.index else "" for c in out["code"]])
    out.insert(2, "name", [cat.name(c, lang) if c in cat.frame.index else c for c in out["code"]])
    out["_order"] = [cat.order(c) if c in cat.frame.index else 10**6 for c in out["code"]]
    return out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


def by_unit(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per unit (``unit_code``, ``unit_name``), in unit-code order."""
    out = summarise(frame, ["unit_code", "unit_name"])
    return out.sort_values("unit_code", kind="stable").reset_index(drop=True)


def by_capital_type(frame: pd.DataFrame, catalog: Catalog | None = None) -> pd.DataFrame:
    """One row per effective capital type (``effective_capital``: "dtpt", "sn", or "" for lines
    the catalog does not type)."""
    rows = with_effective_capital(frame, catalog)
    out = summarise(rows, ["effective_capital"])
    order = {"dtpt": 0, "sn": 1}
    return out.sort_values("effective_capital", key=lambda s: s.map(order).fillna(2),
                           kind="stable").reset_index(drop=True)


def by_budget_source(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per budget source ("nstw", "nsdp", or "" where the report did not split)."""
    rows = frame.assign(budget_source=_text(frame["budget_source"]))
    out = summarise(rows, ["budget_source"])
    order = {"nstw": 0, "nsdp": 1}
    return out.sort_values("budget_source", key=lambda s: s.map(order).fillna(2),
                           kind="stable").reset_index(drop=True)


def by_unit_level(frame: pd.DataFrame, level: str = "project", catalog: Catalog | None = None) -> pd.DataFrame:
    """Units crossed with catalog codes at ``level`` (``unit_code``, ``unit_name``, ``code``);
    ``share_of_total_plan`` is the share of the district total."""
    cat = _catalog(catalog)
    rows = with_group(frame, level, cat)
    out = summarise(rows, ["unit_code", "unit_name", "group_code"]).rename(columns={"group_code": "code"})
    out["_order"] = [cat.order(c) if c in cat.frame.index else 10**6 for c in out["code"]]
    out = out.sort_values(["unit_code", "_order"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def by_unit_project(frame: pd.DataFrame, catalog: Catalog | None = None) -> pd.DataFrame:
    """Units crossed with projects (see :func:`by_unit_level`)."""
    return by_unit_level(frame, "project", catalog)


def by_line_unit(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (line, unit): the splits of a line in a unit summed (``line_code``,
    ``unit_code``, ``unit_name``). The base of the per-line unit lists."""
    return summarise(frame, ["line_code", "unit_code", "unit_name"])


def pivot_rates(frame: pd.DataFrame, catalog: Catalog | None = None, value: str = "financial_rate") -> pd.DataFrame:
    """Units (rows, by name) x projects (columns, by code) of ``value``, NaN where a unit has no
    plan in a project: the heat map of the district report."""
    crossed = by_unit_project(frame, catalog)
    return crossed.pivot(index="unit_name", columns="code", values=value)
