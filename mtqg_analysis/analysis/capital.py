"""Capital by budget year (spec §3.1, §4.1, §5): the year's own capital and capital carried over
from an earlier year's plan (vốn kéo dài, chuyển nguồn), each with its own financial rate.

A row is *carried over* when its ``capital_year`` is before the year of its ``period``. Tables
without a ``capital_year`` column (hand-built, or from before the column existed) hold only the
year's own capital.

Summing plans across years counts carried-over capital twice (it is part of the earlier year's
plan already): :func:`own_year_plans` keeps each year's own plans and every disbursed đồng, which
is how a phase adds its years up (spec §1).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .measures import ratio, summarise

KINDS = ("own", "carried")  #: the two kinds of capital of a period


def _carried(frame: pd.DataFrame) -> np.ndarray:
    """Whether each row's capital year is before its period's year ("2025-EXT" -> 2025), each of
    the frame's few periods read once: a scorecard asks this of its rows several times. All
    False without a ``capital_year`` column."""
    if "capital_year" not in frame.columns or frame.empty:
        return np.zeros(len(frame), dtype=bool)
    at, periods = pd.factorize(frame["period"])
    years = np.array([int(str(p)[:4]) for p in periods], dtype="int64")
    return frame["capital_year"].to_numpy(dtype="int64") < years[at]


def is_carried(frame: pd.DataFrame) -> pd.Series:
    """True for rows of capital carried over from an earlier year's plan."""
    return pd.Series(_carried(frame), index=frame.index)


def has_carried(frame: pd.DataFrame) -> bool:
    """Whether the reports split off capital carried over from an earlier year."""
    return bool(_carried(frame).any())


def carried_years(frame: pd.DataFrame) -> list[int]:
    """The budget years carried-over capital comes from, latest first."""
    rows = frame[is_carried(frame).to_numpy()]
    return sorted({int(y) for y in rows["capital_year"]}, reverse=True) if len(rows) else []


def by_capital_kind(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per kind of capital (``capital_kind``: "own", "carried") and the combined total
    ("total"): plan, disbursed and financial rate, as a provincial report gives "vốn năm 2025"
    beside "vốn năm 2024 kéo dài". Kinds the reports do not have are left out."""
    rows = frame.assign(capital_kind=np.where(is_carried(frame), "carried", "own"))
    out = summarise(rows, ["capital_kind"])
    out = out.set_index("capital_kind").reindex([k for k in KINDS if k in set(rows["capital_kind"])])
    total = summarise(rows.assign(capital_kind="total"), ["capital_kind"]).set_index("capital_kind")
    return pd.concat([out, total]).reset_index()


#: the columns by_level(..., capital_years=True) adds
CAPITAL_RATES = ["own_financial_rate", "carried_financial_rate"]


def capital_rates(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group of ``by``: plan, disbursed and financial rate of the year's own capital
    (``*_own``) and of carried-over capital (``*_carried``). ``own_financial_rate`` and
    ``carried_financial_rate`` are NaN where the group has no such plan."""
    carried = is_carried(frame)
    parts = []
    for kind, mask in (("own", ~carried), ("carried", carried)):
        rows = frame[mask.to_numpy()]
        sums = rows.groupby(by, sort=False, dropna=False)[["plan_vnd", "disbursed_vnd"]].sum()
        sums = sums.rename(columns={"plan_vnd": f"plan_{kind}_vnd", "disbursed_vnd": f"disbursed_{kind}_vnd"})
        parts.append(sums)
    out = parts[0].join(parts[1], how="outer").fillna(0).astype("int64").reset_index()
    for kind in ("own", "carried"):
        out[f"{kind}_financial_rate"] = ratio(out[f"disbursed_{kind}_vnd"], out[f"plan_{kind}_vnd"])
    return out


def own_year_plans(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with carried-over plans set to zero (and their planned quantities to NaN): what a
    phase adds up, so that capital carried over into the next year is not counted twice while every
    disbursed đồng and every output done counts once (spec §1)."""
    out = frame.copy()
    carried = is_carried(out).to_numpy()
    out.loc[carried, "plan_vnd"] = 0
    out.loc[carried, "plan_qty"] = np.nan
    out["plan_vnd"] = out["plan_vnd"].astype("int64")
    return out
