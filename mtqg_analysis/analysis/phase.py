"""A phase summary (giai đoạn, spec §1): the years of a phase added up without counting capital
carried over from one year into the next twice.

Each year is represented by its last period present (``YYYY-EXT``, else ``YYYY-12``, else the
latest): ``frames`` is ``{period: table}`` of those periods, as
:attr:`mtqg_analysis.store.PhaseData.periods` holds them. Plans are summed over each year's own
capital only (``capital_year`` equal to the year); every disbursed đồng counts once, and so does
every output done. Worked example: 2024-EXT plans 1.000 of 2024 capital and disburses 700; 300 is
carried into 2025; 2025-EXT plans 2.000 of 2025 capital, disburses 1.500 of it and 250 of the 300
carried over. The phase plan is 3.000 (not 3.300), disbursed 2.450, a rate of 81,67%.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from ..domain.catalog import Catalog
from ..domain.periods import parse_period
from .capital import is_carried, own_year_plans
from .levels import by_level, with_group
from .measures import ratio

YEAR_COLUMNS = ["year", "period", "plan_vnd", "disbursed_vnd", "financial_rate", "carried_plan_vnd",
                "carried_disbursed_vnd"]


def _sorted(frames: Mapping) -> list[tuple[str, pd.DataFrame]]:
    return sorted(((str(parse_period(p)), f) for p, f in frames.items()), key=lambda kv: parse_period(kv[0]))


def phase_rows(frames: Mapping) -> pd.DataFrame:
    """The years' tables in one, carried-over plans set to zero (:func:`own_year_plans`): every
    table of :mod:`.levels` and :mod:`.standing` made from it adds the phase up correctly."""
    parts = [own_year_plans(f) for _, f in _sorted(frames) if len(f)]
    if not parts:
        return pd.DataFrame(columns=next(iter(frames.values())).columns if frames else [])
    return pd.concat(parts, ignore_index=True)


def by_year(frames: Mapping) -> pd.DataFrame:
    """One row per year of the phase that has data (``year``, the ``period`` it is taken from)
    and a last row for the phase (``year`` "total"): the year's own plan, everything disbursed,
    the rate, and beside them the carried-over capital the year's reports show (``carried_*``),
    which is part of an earlier year's plan and therefore not added to ``plan_vnd``."""
    rows = []
    for period, frame in _sorted(frames):
        carried = frame[is_carried(frame).to_numpy()]
        own = own_year_plans(frame)
        rows.append({"year": str(parse_period(period).year), "period": period,
                     "plan_vnd": int(own["plan_vnd"].sum()), "disbursed_vnd": int(frame["disbursed_vnd"].sum()),
                     "carried_plan_vnd": int(carried["plan_vnd"].sum()),
                     "carried_disbursed_vnd": int(carried["disbursed_vnd"].sum())})
    table = pd.DataFrame(rows, columns=[c for c in YEAR_COLUMNS if c != "financial_rate"])
    if len(table):
        total = {"year": "total", "period": "", **{c: int(table[c].sum()) for c in table.columns if c.endswith("_vnd")}}
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    for column in ("plan_vnd", "disbursed_vnd", "carried_plan_vnd", "carried_disbursed_vnd"):
        table[column] = table[column].astype("int64")
    table["financial_rate"] = ratio(table["disbursed_vnd"], table["plan_vnd"])
    return table[YEAR_COLUMNS]


def by_project(frames: Mapping, catalog: Catalog | None = None, lang: str = "vi", level: str = "project") -> pd.DataFrame:
    """The phase per catalog code at ``level`` ("project", or "line" for the physical results):
    own-year plans, all disbursement, quantities planned in each year's own plan and done."""
    return by_level(phase_rows(frames), level, catalog, lang)


def project_years(frames: Mapping, catalog: Catalog | None = None, lang: str = "vi") -> pd.DataFrame:
    """Projects (rows, in catalog order) x years (columns ``disbursed_<year>_vnd``) of the amount
    disbursed in each year (all capital, the year's own and carried over)."""
    rows = with_group(phase_rows(frames), "project", catalog)
    if rows.empty:
        return pd.DataFrame(columns=["code", "name"])
    pivot = rows.assign(_year=rows["period"].astype(str).str[:4]).pivot_table(
        index="group_code", columns="_year", values="disbursed_vnd", aggfunc="sum", fill_value=0).astype("int64")
    pivot.columns = [f"disbursed_{year}_vnd" for year in pivot.columns]
    names = by_level(rows, "project", catalog, lang)[["code", "name"]]
    return names.merge(pivot, left_on="code", right_index=True, how="left")
