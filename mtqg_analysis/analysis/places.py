"""Levels of place, a report's communes and its own budget, and comparisons across a
reorganisation (spec §5).

A report covers the units in force at its period's end (``units`` is the view at that date,
:meth:`~mtqg_analysis.domain.units.Units.at`). Its title names their top unit: the lowest unit that
is, or stands above, every unit that reported (a district before 2025-07-01, a province after).
Where more than one level is present (a district's or province's own budget beside communes,
communes of several districts) tables group units by their parent, and communes are ranked with
communes only.

Across the 2025 reorganisation, the trajectory, the change since the previous period and a phase
summary place each old unit's figures under its first successor (:func:`placed_periods`) and say
so; :func:`reorganisation` lists the units that received history, and whether the comparison is
partial for them (the successor also took in units this data folder does not hold).
"""
from __future__ import annotations

from typing import Iterable, Mapping

import pandas as pd

from ..domain.periods import parse_period
from ..domain.text import vietnamese_sort_key
from ..domain.units import Units, place_history
from .measures import summarise, text_column


def seen_at(units: Units | None, frame: pd.DataFrame) -> Units | None:
    """``units`` as they were at the end of ``frame``'s (latest) period when they were loaded
    without a date (``load_units()``): a reused code then names the unit of that period, not
    today's (01969 in 2024 is Thị trấn Phủ Thông). Units already seen at a date are kept."""
    if units is None or units.on is not None or frame.empty or "period" not in frame.columns:
        return units
    periods = [parse_period(p) for p in frame["period"].dropna().astype(str).unique()]
    return units.at(max(periods)) if periods else units


# --- levels of place ----------------------------------------------------------------------------------
def top_unit(frame: pd.DataFrame, units: Units) -> str | None:
    """The code of the unit the report is about: the lowest unit that is, or stands above, every
    unit of ``frame`` (None when no unit of the table is known)."""
    units = seen_at(units, frame)
    return units.top_unit(sorted(set(frame["unit_code"].astype(str)))) if len(frame) else None


def place_name(frame: pd.DataFrame, units: Units) -> str:
    """The name of :func:`top_unit` ("Huyện Bạch Thông", "Tỉnh Thái Nguyên"), "" when none."""
    code = top_unit(frame, units)
    return seen_at(units, frame).name(code) if code else ""


def place_of(frame: pd.DataFrame, units: Units | None) -> dict | None:
    """:func:`top_unit` as ``{"code", "name", "kind"}`` (its kind tells how a report names the
    whole place: "toàn huyện", "toàn tỉnh"), None when there is none."""
    if units is None or frame.empty:
        return None
    code = top_unit(frame, units)
    if not code:
        return None
    seen = seen_at(units, frame)
    return {"code": code, "name": seen.name(code), "kind": seen.kind(code)}


# --- a report's communes and its own budget ------------------------------------------------------------
def is_own_budget(codes: pd.Series, units: Units | None) -> pd.Series:
    """Whether each unit code is a district's or province's own budget (not a commune); none is
    without a units table."""
    if units is None:
        return pd.Series(False, index=codes.index)
    communes = {code: units.is_commune(code) for code in codes.unique()}  # a lookup per unit, not per row
    return ~codes.map(communes).astype(bool)


def own_budget(frame: pd.DataFrame, units: Units | None = None) -> pd.DataFrame:
    """The totals of the units that are not communes (``unit_code``, ``unit_name`` and the
    measures), one row each: the district's (province's) own budget line of the report."""
    rows = frame[is_own_budget(text_column(frame["unit_code"]), units).to_numpy()]
    return summarise(rows, ["unit_code", "unit_name"], int(frame["plan_vnd"].astype("int64").sum())).pipe(by_name)


def communes_total(frame: pd.DataFrame, units: Units | None = None) -> pd.Series:
    """The communes, wards and towns taken together (their own budget left out)."""
    rows = frame[~is_own_budget(text_column(frame["unit_code"]), units).to_numpy()]
    return summarise(rows.assign(_all="total"), ["_all"]).drop(columns="_all").iloc[0]


def by_name(frame: pd.DataFrame, column: str = "unit_name") -> pd.DataFrame:
    """``frame`` sorted by ``column`` in Vietnamese alphabetical order (Đ after D)."""
    return frame.sort_values(column, key=lambda s: s.map(vietnamese_sort_key), kind="stable").reset_index(drop=True)


def sorted_names(names: Iterable[str]) -> list[str]:
    """Names in Vietnamese alphabetical order."""
    return sorted(names, key=vietnamese_sort_key)


def unit_levels(frame: pd.DataFrame, units: Units) -> pd.DataFrame:
    """One row per unit of ``frame``: ``unit_code``, ``unit_name``, ``is_commune`` and its
    group: a commune's parent, a district's or province's own budget its own code."""
    units = seen_at(units, frame)
    table = frame[["unit_code", "unit_name"]].astype(str).drop_duplicates("unit_code").sort_values("unit_code")
    commune = table["unit_code"].map(units.is_commune)
    parent = table["unit_code"].map(units.parent)
    group = parent.where(commune & (parent != ""), table["unit_code"])
    table = table.assign(is_commune=commune, group_code=group,
                         group_name=group.map(lambda c: units.name(c) if units.knows(c) else c))
    return table.reset_index(drop=True)


def has_levels(frame: pd.DataFrame, units: Units) -> bool:
    """Whether more than one level of place is present: a unit's own budget beside communes, or
    communes under more than one parent."""
    levels = unit_levels(frame, units)
    return levels["group_code"].nunique() > 1 or bool((~levels["is_commune"]).any() and levels["is_commune"].any())


def by_place(frame: pd.DataFrame, units: Units) -> pd.DataFrame:
    """Units grouped by their parent (spec §5 "levels of place"): for each group a subtotal row
    (``row`` "group"), then the parent's own budget ("own", where it reported) and its communes
    ("unit"), with plan, disbursed and both rates. ``place`` is what the table shows."""
    levels = unit_levels(frame, units)
    rows = frame.merge(levels[["unit_code", "group_code", "group_name"]], on="unit_code", how="left")
    units_table = summarise(rows, ["group_code", "unit_code", "unit_name"])
    groups = summarise(rows, ["group_code", "group_name"])
    out = []
    for group in groups.sort_values("group_code", kind="stable").itertuples(index=False):
        members = units_table[units_table["group_code"] == group.group_code]
        out.append(pd.DataFrame([group._asdict()]).assign(row="group", unit_code="", place=group.group_name))
        own = members[members["unit_code"] == group.group_code]
        rest = members[members["unit_code"] != group.group_code].sort_values("unit_code", kind="stable")
        out.append(own.assign(row="own", group_name=group.group_name, place=own["unit_name"]))
        out.append(rest.assign(row="unit", group_name=group.group_name, place=rest["unit_name"]))
    table = pd.concat(out, ignore_index=True)
    columns = ["row", "group_code", "group_name", "unit_code", "place"]
    return table[columns + [c for c in table.columns if c not in columns and c != "unit_name"]]


# --- across a reorganisation ---------------------------------------------------------------------------
def placed_periods(frames: Mapping, units: Units) -> dict[str, pd.DataFrame]:
    """Each period's table with its units placed where they are at ``units.on`` (old units under
    their first successor, ``placed_from`` keeping the code they reported under)."""
    return {str(parse_period(p)): place_history(f, units) for p, f in frames.items()}


def reorganisation(placed: Mapping, units: Units) -> pd.DataFrame:
    """The units in force at ``units.on`` that received the figures of old units in ``placed``
    (tables of :func:`placed_periods`): ``unit_code``, ``unit_name``, ``since`` (the day it came
    into force), ``from_names`` (the old units placed under it), ``outside`` (it also took in units
    that the units table does not hold), ``missing`` (old units that went into it and reported in
    none of these periods) and ``partial`` (either of the two: its comparison is partial)."""
    columns = ["unit_code", "unit_name", "since", "from_names", "outside", "missing", "partial"]
    frames = [f for f in placed.values() if len(f) and "placed_from" in f.columns]
    moved = pd.concat([f[f["placed_from"] != ""] for f in frames], ignore_index=True) if frames else None
    if moved is None or moved.empty:
        return pd.DataFrame(columns=columns)
    reported = set().union(*(set(f["placed_from"].where(f["placed_from"] != "", f["unit_code"]).astype(str))
                             for f in frames))
    rows = []
    for code, group in moved.groupby("unit_code", sort=True):
        before = units.predecessors(code)
        start = units.start(code) if units.knows(code) else ""
        old_names = dict(zip(before["code"], before["name"]))
        sources = list(dict.fromkeys(group["placed_from"].astype(str)))
        missing = [old_names[c] for c in before["code"] if c not in reported]
        outside = units.took_in_outside_units(code)
        rows.append({"unit_code": code, "unit_name": units.name(code), "since": start,
                     "from_names": [old_names.get(c, c) for c in sources], "outside": outside,
                     "missing": missing, "partial": outside or bool(missing)})
    return pd.DataFrame(rows, columns=columns)
