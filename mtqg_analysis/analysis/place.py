"""Where a report stands: the place it covers, the units it counts, its own budget apart.

A period's report covers the units in force at its end; its title names their top unit (a
district, or a province), as a field taken from the units table, never a word in code. The
communes, wards and towns are counted and ranked; the district's (or province's) own budget, the
lines it spends itself, is shown on its own line beside them, never as one of the communes.
"""
from __future__ import annotations

import pandas as pd

from ..domain.periods import parse_period
from ..domain.text import vietnamese_sort_key
from ..domain.units import Units
from .measures import summarise, text_column
from .standing import commune_codes

#: Kinds of unit that stand above communes, highest first.
UPPER_KINDS = ["tinh", "huyen"]


def top_unit(units: Units | None, period=None, frame: pd.DataFrame | None = None) -> dict | None:
    """The unit a report covers: of the units in force at the end of ``period`` (all units when
    None) of kind province or district, those that reported in ``frame`` if any did, the highest
    kind first, then by code. ``{"code", "name", "kind"}``, or None without such a unit."""
    if units is None:
        return None
    table = units.valid_in(parse_period(period)) if period is not None else units.frame
    upper = table[table["kind"].isin(UPPER_KINDS)]
    if frame is not None and upper["code"].isin(set(text_column(frame["unit_code"]))).any():
        upper = upper[upper["code"].isin(set(text_column(frame["unit_code"])))]
    if upper.empty:
        return None
    upper = upper.reset_index(drop=True)
    upper = upper.assign(_rank=upper["kind"].map(UPPER_KINDS.index)).sort_values(["_rank", "code"])
    row = upper.iloc[0]
    return {"code": str(row["code"]), "name": str(row["name"]), "kind": str(row["kind"])}


def is_own_budget(codes: pd.Series, units: Units | None) -> pd.Series:
    """Whether each unit code is a district's or province's own budget (not a commune)."""
    communes = set(commune_codes(codes.unique(), units))
    return ~codes.isin(communes)


def own_budget(frame: pd.DataFrame, units: Units | None = None) -> pd.DataFrame:
    """The totals of the units that are not communes (``unit_code``, ``unit_name`` and the
    measures), one row each: the district's own budget line of the report."""
    rows = frame[is_own_budget(text_column(frame["unit_code"]), units).to_numpy()]
    return summarise(rows, ["unit_code", "unit_name"], int(frame["plan_vnd"].astype("int64").sum())) \
        .pipe(by_name)


def communes_total(frame: pd.DataFrame, units: Units | None = None) -> pd.Series:
    """The communes, wards and towns taken together (their own budget left out)."""
    rows = frame[~is_own_budget(text_column(frame["unit_code"]), units).to_numpy()]
    return summarise(rows.assign(_all="total"), ["_all"]).drop(columns="_all").iloc[0]


def by_name(frame: pd.DataFrame, column: str = "unit_name") -> pd.DataFrame:
    """``frame`` sorted by ``column`` in Vietnamese alphabetical order (Đ after D)."""
    return frame.sort_values(column, key=lambda s: s.map(vietnamese_sort_key), kind="stable").reset_index(drop=True)


def sorted_names(names) -> list[str]:
    """Names in Vietnamese alphabetical order."""
    return sorted(names, key=vietnamese_sort_key)
