"""Indicators across periods and units (spec §1, §5).

Periods are year-to-date (spec §1): the in-period change of ``2024-09`` is ``2024-09`` minus
``2024-06``; the first period of a year has no previous period, so its change is itself.

Unit standing answers the questions a district notice answers: which units disbursed all of a
line, which have a plan and nothing disbursed, which finished every planned output, which are far
behind the pace of the year, and how the units rank.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

import pandas as pd

from .aggregate import by_line_unit, by_unit, summarise
from .errors import ParameterError
from .periods import Period, parse_period, previous_in_year

KEY = ["unit_code", "line_code"]


# --- several periods -------------------------------------------------------------------------------
def load_periods(periods: Iterable, loader: Callable | None = None, **kwargs) -> dict[str, pd.DataFrame]:
    """``{"2024-06": frame, ...}`` for the given periods (aliases accepted), loaded with
    ``loader(period, **kwargs)`` (default :func:`mtqg_analysis.store.load_period`), oldest first."""
    if loader is None:
        from .store import load_period as loader
    wanted = sorted({parse_period(p) for p in periods})
    return {str(p): loader(str(p), **kwargs) for p in wanted}


def _frames(frames: Mapping) -> dict[str, pd.DataFrame]:
    return {str(parse_period(p)): f for p, f in sorted(frames.items(), key=lambda kv: parse_period(kv[0]))}


def stack_periods(frames: Mapping) -> pd.DataFrame:
    """The tables of several periods in one (their ``period`` column tells them apart)."""
    frames = _frames(frames)
    if not frames:
        raise ParameterError("no periods given")
    return pd.concat(list(frames.values()), ignore_index=True)


def _per_key(frame: pd.DataFrame | None, keys: list[str]) -> pd.DataFrame:
    cols = ["plan_vnd", "disbursed_vnd", "plan_qty", "done_qty"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=keys + cols)
    out = summarise(frame, keys)
    return out[keys + cols]


def in_period_change(current: pd.DataFrame, previous: pd.DataFrame | None,
                     keys: list[str] | None = None) -> pd.DataFrame:
    """This period minus the previous period of the same year, per ``keys`` (default unit and
    line; the splits of a line are summed). ``previous=None`` (first period of the year) gives
    the period itself as the change.

    Columns: keys, ``plan_vnd``/``disbursed_vnd``/``done_qty`` now (``*_now``), before
    (``*_before``, 0 or NaN when absent) and the change (``plan_vnd_change``,
    ``disbursed_vnd_change``, ``done_qty_change``).
    """
    keys = list(keys or KEY)
    now = _per_key(current, keys)
    before = _per_key(previous, keys)
    merged = now.merge(before, on=keys, how="outer", suffixes=("_now", "_before"))
    for col in ("plan_vnd", "disbursed_vnd"):
        for side in ("_now", "_before"):
            merged[col + side] = merged[col + side].fillna(0).astype("int64")
        merged[col + "_change"] = (merged[col + "_now"] - merged[col + "_before"]).astype("int64")
    for col in ("plan_qty", "done_qty"):
        for side in ("_now", "_before"):
            merged[col + side] = merged[col + side].astype("float64")
    before_done = merged["done_qty_before"]
    if previous is None:
        before_done = before_done.fillna(0)
    merged["done_qty_change"] = merged["done_qty_now"] - before_done
    return merged.sort_values(keys, kind="stable").reset_index(drop=True)


def change_against_previous(frames: Mapping, period, keys: list[str] | None = None) -> pd.DataFrame:
    """:func:`in_period_change` for ``period`` against its previous period in ``frames``
    (the latest earlier period of the same year, spec §1)."""
    frames = _frames(frames)
    p = str(parse_period(period))
    if p not in frames:
        raise ParameterError(f"period {p} is not among the loaded periods ({', '.join(frames) or 'none'})")
    prev = previous_in_year(p, frames)
    return in_period_change(frames[p], frames[str(prev)] if prev else None, keys)


def trajectory(frames: Mapping, year: int | None = None, by: str = "line_code") -> pd.DataFrame:
    """Year-to-date plan and disbursed of each period of a year, per ``by`` (a column of the
    table, default the line) and in total (``by`` = "TOTAL"), with the rates: the curve of a
    year from 2024-03 to 2024-12 where those periods are present."""
    frames = _frames(frames)
    if year is None and frames:
        year = parse_period(list(frames)[-1]).year
    rows = []
    for p, frame in frames.items():
        if parse_period(p).year != year:
            continue
        per = summarise(frame, [by])
        tot = summarise(frame.assign(**{by: "TOTAL"}), [by])
        rows.append(pd.concat([per, tot], ignore_index=True).assign(period=p))
    if not rows:
        raise ParameterError(f"no loaded period of year {year}")
    out = pd.concat(rows, ignore_index=True)
    return out[["period", by, *[c for c in out.columns if c not in ("period", by)]]]


def plan_adjustments(frames: Mapping, keys: list[str] | None = None) -> pd.DataFrame:
    """Plans that changed between consecutive periods of the same year: one row per (unit, line)
    and pair of periods with ``period_from``, ``period_to``, ``old_plan_vnd``, ``new_plan_vnd``,
    ``change_vnd``, ``old_plan_qty``, ``new_plan_qty``. A line that appears or disappears counts
    (its missing side is 0)."""
    keys = list(keys or KEY)
    frames = _frames(frames)
    out = []
    for p, frame in frames.items():
        prev = previous_in_year(p, frames)
        if prev is None:
            continue
        change = in_period_change(frame, frames[str(prev)], keys)
        qty_changed = ~((change["plan_qty_now"] == change["plan_qty_before"])
                        | (change["plan_qty_now"].isna() & change["plan_qty_before"].isna()))
        moved = change[(change["plan_vnd_change"] != 0) | qty_changed]
        out.append(pd.DataFrame({
            "period_from": str(prev), "period_to": p,
            **{k: moved[k].values for k in keys},
            "old_plan_vnd": moved["plan_vnd_before"].values, "new_plan_vnd": moved["plan_vnd_now"].values,
            "change_vnd": moved["plan_vnd_change"].values,
            "old_plan_qty": moved["plan_qty_before"].values, "new_plan_qty": moved["plan_qty_now"].values,
        }))
    columns = ["period_from", "period_to", *keys, "old_plan_vnd", "new_plan_vnd", "change_vnd",
               "old_plan_qty", "new_plan_qty"]
    if not out:
        return pd.DataFrame(columns=columns)
    result = pd.concat(out, ignore_index=True)[columns]
    return result.astype({"old_plan_vnd": "int64", "new_plan_vnd": "int64", "change_vnd": "int64"})


# --- unit standing ---------------------------------------------------------------------------------
def ranking(frame: pd.DataFrame, rate: str = "financial", units=None, communes_only: bool = False) -> pd.DataFrame:
    """Units ranked by ``rate`` ("financial" or "physical"; physical only for units whose
    quantities share one measure unit), best first, with ``rank`` (1 = best; ties share the
    better rank). Units without the rate's denominator are left out. ``communes_only`` drops the
    district level (units of kind "huyen" in ``units``, the packaged list by default)."""
    column = {"financial": "financial_rate", "physical": "physical_rate"}.get(rate)
    if column is None:
        raise ParameterError(f"unknown rate '{rate}'; use financial or physical")
    table = by_unit(frame)
    if communes_only:
        table = table[table["unit_code"].isin(commune_codes(table["unit_code"], units))]
    table = table.dropna(subset=[column])
    table = table.sort_values([column, "disbursed_vnd", "unit_code"], ascending=[False, False, True], kind="stable")
    table.insert(0, "rank", table[column].rank(method="min", ascending=False).astype("int64"))
    return table.reset_index(drop=True)


def commune_codes(codes: Iterable[str], units=None) -> list[str]:
    """Those of ``codes`` that are communes or towns (not the district level)."""
    if units is None:
        from .units import load_units
        units = load_units(None)
    kinds = units.frame["kind"].to_dict()
    return [c for c in codes if kinds.get(c, "xa") != "huyen"]


def line_units(frame: pd.DataFrame, line_code: str | None = None) -> pd.DataFrame:
    """Per (line, unit) with flags: ``has_plan`` (plan > 0), ``disbursed_any`` (> 0),
    ``disbursed_full`` (disbursed >= plan > 0), ``disbursed_none`` (plan > 0, nothing
    disbursed), ``outputs_done`` (done_qty >= plan_qty > 0)."""
    rows = frame if line_code is None else frame[frame["line_code"] == line_code]
    table = by_line_unit(rows)
    plan = table["plan_vnd"]
    table["has_plan"] = plan > 0
    table["disbursed_any"] = table["disbursed_vnd"] > 0
    table["disbursed_full"] = (plan > 0) & (table["disbursed_vnd"] >= plan)
    table["disbursed_none"] = (plan > 0) & (table["disbursed_vnd"] == 0)
    table["outputs_done"] = (table["plan_qty"] > 0) & (table["done_qty"] >= table["plan_qty"])
    return table.sort_values(["line_code", "unit_code"], kind="stable").reset_index(drop=True)


def _codes(table: pd.DataFrame, flag: str) -> list[str]:
    return list(table.loc[table[flag], "unit_code"])


def units_disbursed_full(frame: pd.DataFrame, line_code: str) -> list[str]:
    """Unit codes that disbursed 100% of the line (disbursed >= plan > 0)."""
    return _codes(line_units(frame, line_code), "disbursed_full")


def units_disbursed_none(frame: pd.DataFrame, line_code: str) -> list[str]:
    """Unit codes with a plan for the line and nothing disbursed."""
    return _codes(line_units(frame, line_code), "disbursed_none")


def units_disbursed_any(frame: pd.DataFrame, line_code: str) -> list[str]:
    """Unit codes that disbursed something of the line."""
    return _codes(line_units(frame, line_code), "disbursed_any")


def units_outputs_done(frame: pd.DataFrame, line_code: str) -> list[str]:
    """Unit codes that finished every planned output of the line (done_qty >= plan_qty > 0)."""
    return _codes(line_units(frame, line_code), "outputs_done")


def top_units(frame: pd.DataFrame, line_code: str | None = None, n: int = 2,
              communes_only: bool = False, units=None) -> list[str]:
    """The ``n`` unit codes with the highest financial rate (of one line, or overall), among
    those that disbursed something."""
    rows = frame if line_code is None else frame[frame["line_code"] == line_code]
    table = ranking(rows, "financial", units=units, communes_only=communes_only)
    return list(table.loc[table["disbursed_vnd"] > 0, "unit_code"].head(n))


def units_nothing_disbursed(frame: pd.DataFrame, communes_only: bool = False, units=None) -> list[str]:
    """Unit codes with a plan and nothing disbursed on any line."""
    table = by_unit(frame)
    table = table[(table["plan_vnd"] > 0) & (table["disbursed_vnd"] == 0)]
    codes = list(table["unit_code"])
    return commune_codes(codes, units) if communes_only else codes


def behind_pace(frame: pd.DataFrame, period=None, threshold: float = 0.5, by: str = "unit") -> pd.DataFrame:
    """Units (``by="unit"``) or unit-lines (``by="line"``) whose financial rate is below
    ``threshold`` x the share of the year elapsed (2024-06 with the default 0.5: below 25%).
    Adds ``pace`` (the bar) and ``gap`` (rate minus bar, negative)."""
    if not 0 <= threshold:
        raise ParameterError(f"threshold must be >= 0, got {threshold}")
    p = _period_of(frame, period)
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


def _period_of(frame: pd.DataFrame, period=None) -> Period:
    if period is not None:
        return parse_period(period)
    values = frame["period"].dropna().unique() if "period" in frame else []
    if len(values) != 1:
        raise ParameterError("give the period: the table holds "
                             + (f"{len(values)} periods" if len(values) else "no period column"))
    return parse_period(values[0])


def district_change(current: pd.DataFrame, previous: pd.DataFrame | None) -> dict:
    """The district totals now, before and their change (the one row of :func:`in_period_change`
    as a dict; amounts stay int đồng)."""
    now = current.assign(_all="total")
    before = previous.assign(_all="total") if previous is not None else None
    row = in_period_change(now, before, ["_all"]).drop(columns="_all").iloc[0]
    return {k: (int(v) if "_vnd" in k else float(v)) for k, v in row.items()}


__all__ = [
    "load_periods", "stack_periods", "in_period_change", "change_against_previous", "trajectory",
    "plan_adjustments", "ranking", "commune_codes", "line_units", "units_disbursed_full",
    "units_disbursed_none", "units_disbursed_any", "units_outputs_done", "top_units",
    "units_nothing_disbursed", "behind_pace", "district_change",
]
