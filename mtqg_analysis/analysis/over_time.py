"""Figures across the periods of a year (spec §1): the trajectory, the in-period change and
plan adjustments.

Periods are year-to-date: the in-period change of ``2024-09`` is ``2024-09`` minus ``2024-06``;
the first period of a year has no previous period, so its change is itself. ``frames`` arguments
are mappings ``{"2024-06": table, ...}`` such as :attr:`mtqg_analysis.store.YearData.periods`.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from ..domain.catalog import Catalog
from ..domain.labels import check_lang
from ..domain.periods import PeriodLike, parse_period, previous_in_year
from ..errors import ParameterError
from .levels import PerUnit, _catalog, _order
from .measures import MEASURES, summarise, totals_by

KEY = ["unit_code", "line_code"]


def stack_periods(frames: Mapping) -> pd.DataFrame:
    """The tables of several periods in one (their ``period`` column tells them apart)."""
    frames = _frames(frames)
    if not frames:
        raise ParameterError("no periods given")
    return pd.concat(list(frames.values()), ignore_index=True)


def _frames(frames: Mapping) -> dict[str, pd.DataFrame]:
    return {str(parse_period(p)): f for p, f in sorted(frames.items(), key=lambda kv: parse_period(kv[0]))}


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


def change_against_previous(frames: Mapping, period: PeriodLike, keys: list[str] | None = None) -> pd.DataFrame:
    """:func:`in_period_change` for ``period`` against its previous period in ``frames``
    (the latest earlier period of the same year, spec §1)."""
    frames = _frames(frames)
    p = str(parse_period(period))
    if p not in frames:
        raise ParameterError(f"period {p} is not among the loaded periods ({', '.join(frames) or 'none'})")
    prev = previous_in_year(p, frames)
    return in_period_change(frames[p], frames[str(prev)] if prev else None, keys)


def trajectory(frames: Mapping, by: str | None = None, unit_code: str | None = None,
               year: int | None = None) -> pd.DataFrame:
    """Year-to-date plan, disbursed and rates at each period of a year (default: the year of the
    latest period given): one row per period, or per period and value of ``by`` (a column of the
    table, e.g. "line_code") with ``by="..."``. ``unit_code`` keeps one unit's rows (every unit's
    at once: :func:`trajectories`)."""
    rows = []
    for p, frame in _of_year(frames, year).items():
        if unit_code is not None:
            frame = frame[frame["unit_code"] == unit_code]
        keys = [by] if by else ["_all"]
        part = summarise(frame.assign(_all="total") if not by else frame, keys).assign(period=p)
        rows.append(part.drop(columns="_all") if not by else part)
    out = pd.concat(rows, ignore_index=True)
    first = ["period", by] if by else ["period"]
    return out[first + [c for c in out.columns if c not in first]]


def trajectories(frames: Mapping) -> PerUnit:
    """:func:`trajectory` of every unit at once: ``{unit code: trajectory(frames,
    unit_code=code)}``, from one grouping of each period of the year (that of the latest period
    given). A scorecard reads its unit's instead of grouping a period again
    (``year.once(trajectories, periods)``)."""
    parts = [totals_by(frame).reset_index().assign(period=p) for p, frame in _of_year(frames).items()]
    return PerUnit(pd.concat(parts, ignore_index=True)[["period", "unit_code", *MEASURES]])


def _of_year(frames: Mapping, year: int | None = None) -> dict[str, pd.DataFrame]:
    """The tables of ``frames`` in ``year`` (default: the year of the latest period given); a
    :class:`ParameterError` when there are none."""
    frames = _frames(frames)
    if year is None and frames:
        year = parse_period(list(frames)[-1]).year
    kept = {p: frame for p, frame in frames.items() if parse_period(p).year == year}
    if not kept:
        raise ParameterError(f"no period of year {year} among {', '.join(frames) or 'none'}")
    return kept


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


def district_change(current: pd.DataFrame, previous: pd.DataFrame | None) -> dict:
    """The district totals now, before and their change (the one row of :func:`in_period_change`
    as a dict; amounts stay int đồng)."""
    now = current.assign(_all="total")
    before = previous.assign(_all="total") if previous is not None else None
    row = in_period_change(now, before, ["_all"]).drop(columns="_all").iloc[0]
    return {k: (int(v) if "_vnd" in k else float(v)) for k, v in row.items()}


def line_change(current: pd.DataFrame, previous: pd.DataFrame | None, catalog: Catalog | None = None,
                lang: str = "vi") -> pd.DataFrame:
    """Per line of the period, in catalog order: ``code``, ``name`` and what was added during the
    period (``plan_vnd_change``, ``disbursed_vnd_change``, ``done_qty_change``)."""
    check_lang(lang)
    cat = _catalog(catalog)
    change = in_period_change(current, previous, ["line_code"]).rename(columns={"line_code": "code"})
    change = change[change["code"].isin(set(current["line_code"]))]
    change.insert(1, "name", [cat.name(c, lang) if c in cat.frame.index else c for c in change["code"]])
    change = change.assign(_o=_order(change["code"], cat)).sort_values("_o", kind="stable").drop(columns="_o")
    return change[["code", "name", "plan_vnd_change", "disbursed_vnd_change", "done_qty_change"]].reset_index(drop=True)
