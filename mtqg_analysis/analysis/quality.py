"""Counts of a period's data-quality findings (spec §4.2) for the report.

The quality table lists every non-fatal finding (subtotal mismatches, stated rates that disagree,
disbursed above plan, ...). A reader first wants how many of each kind, then which units to call.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..domain.schema import SEVERITIES
from ..domain.units import Units


@dataclass
class QualitySummary:
    total: int
    by_check: pd.DataFrame  # check x severity counts, with a "total" column, most frequent first
    worst_units: pd.DataFrame  # unit_code, unit_name, findings, warnings, checks


def _clean(quality: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("severity", "check", "unit_code") if c not in quality.columns]
    if missing:
        raise ValueError(f"the quality table lacks the column(s) {', '.join(missing)} (spec §4.2)")
    out = quality.copy()
    for column in ("severity", "check", "unit_code"):
        out[column] = out[column].astype("string").fillna("").astype(str)
    return out


def counts_by_check(quality: pd.DataFrame) -> pd.DataFrame:
    """Findings per check and severity (columns ``warning``, ``info``, ``total``), most first."""
    q = _clean(quality)
    table = pd.crosstab(q["check"], q["severity"]) if len(q) else pd.DataFrame()
    for severity in SEVERITIES:
        if severity not in table.columns:
            table[severity] = 0
    others = [c for c in table.columns if c not in SEVERITIES]
    table = table[SEVERITIES + others].astype("int64")
    table["total"] = table.sum(axis=1).astype("int64")
    table = table.sort_values(["total"], ascending=False, kind="stable")
    table.index.name = "check"
    table.columns.name = None
    return table.reset_index()


def worst_units(quality: pd.DataFrame, n: int = 5, units: Units | None = None) -> pd.DataFrame:
    """The ``n`` units with most findings (``findings``, ``warnings``, and the checks they hit);
    findings not tied to a unit are left out. ``units`` (a Units) adds ``unit_name``."""
    q = _clean(quality)
    q = q[q["unit_code"] != ""]
    if q.empty:
        return pd.DataFrame(columns=["unit_code", "unit_name", "findings", "warnings", "checks"])
    grouped = q.groupby("unit_code", sort=True)
    table = pd.DataFrame({
        "findings": grouped.size(),
        "warnings": grouped["severity"].agg(lambda s: int((s == "warning").sum())),
        "checks": grouped["check"].agg(lambda s: ", ".join(sorted(set(s)))),
    }).reset_index()
    table["unit_name"] = [units.name(c) if units is not None and c in units.frame.index else c
                          for c in table["unit_code"]]
    table = table.sort_values(["findings", "warnings", "unit_code"], ascending=[False, False, True], kind="stable")
    return table[["unit_code", "unit_name", "findings", "warnings", "checks"]].head(n).reset_index(drop=True)


def summarise_quality(quality: pd.DataFrame, n: int = 5, units=None) -> QualitySummary:
    """Counts by check and severity, and the worst units, in one object."""
    return QualitySummary(total=len(quality), by_check=counts_by_check(quality),
                          worst_units=worst_units(quality, n, units))
