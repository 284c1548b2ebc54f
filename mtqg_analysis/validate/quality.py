"""Stage 3, validate: data-quality findings that are not fatal (spec §4.2).

Findings report; they never change the tidy table. Each names the unit, line and the place in the
source so that an officer can open the workbook at the right cell.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from ..domain.notation import amount, percent, quantity
from ..domain.periods import Period
from ..domain.schema import QUALITY_COLUMNS, as_quality
from ..domain.text import fold
from ..domain.units import COMMUNE_KINDS, Units
from ..extract.files import REPORT_SUFFIXES

RATE_TOLERANCE_PCT = 0.011  # a stated rate is rounded to two decimals


def _frame(records: list[dict]) -> pd.DataFrame:
    return as_quality(pd.DataFrame.from_records(records, columns=QUALITY_COLUMNS))


def subtotal_mismatches(checks: pd.DataFrame) -> pd.DataFrame:
    """Totals and subtotals that differ from the sum of their data rows by more than 1 đồng a row."""
    records = []
    for c in checks.itertuples():
        tolerance = max(int(c.n_rows), 1)
        for what, stated, summed in (("plan", c.stated_plan_vnd, c.sum_plan_vnd),
                                     ("disbursed", c.stated_disbursed_vnd, c.sum_disbursed_vnd)):
            if c.kind == "split_total" and stated == 0 and summed == 0:
                continue
            if abs(int(stated) - int(summed)) > tolerance:
                subject = {"total": "total row", "subtotal": f"subtotal row of {c.line_code}",
                           "split_total": "'Tổng số' column"}[c.kind]
                records.append({
                    "severity": "warning", "check": "subtotal_mismatch", "unit_code": c.unit_code,
                    "line_code": c.line_code, "source_file": c.source_file, "source_sheet": c.source_sheet,
                    "source_row": c.source_row,
                    "message": f"{subject}: {what} {amount(stated)} triệu đồng stated, "
                               f"{amount(summed)} triệu đồng is the sum of its {int(c.n_rows)} part(s)"
                               + (f" (column {c.column})" if c.column else ""),
                    "details": {"variant": c.kind, "what": what, "line": c.line_code, "stated_vnd": int(stated),
                                "summed_vnd": int(summed), "parts": int(c.n_rows), "column": c.column or ""},
                })
    return _frame(records)


def stated_rate_mismatches(rates: pd.DataFrame) -> pd.DataFrame:
    records = []
    for r in rates.itertuples():
        if int(r.plan_vnd) == 0:
            continue
        computed = int(r.disbursed_vnd) / int(r.plan_vnd) * 100
        if abs(computed - float(r.stated_rate_pct)) > RATE_TOLERANCE_PCT:
            records.append({
                "severity": "warning", "check": "stated_rate_mismatch", "unit_code": r.unit_code,
                "line_code": r.line_code, "source_file": r.source_file, "source_sheet": r.source_sheet,
                "source_row": r.source_row,
                "message": f"stated rate {percent(float(r.stated_rate_pct) / 100)} but disbursed/plan is {percent(computed / 100)} "
                           f"(column {r.column})",
                "details": {"stated_rate": float(r.stated_rate_pct) / 100, "computed_rate": computed / 100,
                            "column": r.column},
            })
    return _frame(records)


def _row_findings(tidy: pd.DataFrame, mask: pd.Series, check: str, message, details) -> pd.DataFrame:
    rows = tidy[mask.to_numpy()]
    return _frame([{
        "severity": "warning", "check": check, "unit_code": r.unit_code, "line_code": r.line_code,
        "source_file": r.source_file, "source_sheet": r.source_sheet, "source_row": r.source_row,
        "message": message(r), "details": details(r),
    } for r in rows.itertuples()])


def above_plan(tidy: pd.DataFrame) -> pd.DataFrame:
    money = _row_findings(
        tidy, tidy["disbursed_vnd"] > tidy["plan_vnd"], "disbursed_above_plan",
        lambda r: f"disbursed {amount(r.disbursed_vnd)} triệu đồng is above the plan of {amount(r.plan_vnd)}",
        lambda r: {"disbursed_vnd": int(r.disbursed_vnd), "plan_vnd": int(r.plan_vnd)})
    qty = _row_findings(
        tidy, (tidy["done_qty"] > tidy["plan_qty"]).fillna(False), "done_above_plan",
        lambda r: f"done quantity {quantity(r.done_qty)} is above the planned {quantity(r.plan_qty)} {r.measure_unit}",
        lambda r: {"done_qty": float(r.done_qty), "plan_qty": float(r.plan_qty), "measure_unit": r.measure_unit})
    return pd.concat([money, qty], ignore_index=True)


def cumulative_decreases(tidy: pd.DataFrame, previous: pd.DataFrame | None, previous_period: Period | None) -> pd.DataFrame:
    """Year-to-date values that fall from the previous period of the same year."""
    if previous is None or not len(previous) or not len(tidy):
        return _frame([])
    keys = ["unit_code", "line_code"]
    now = tidy.groupby(keys, as_index=False).agg(
        disbursed_vnd=("disbursed_vnd", "sum"), done_qty=("done_qty", lambda s: s.sum(min_count=1)),
        source_file=("source_file", "first"), source_sheet=("source_sheet", "first"), source_row=("source_row", "first"))
    before = previous.groupby(keys, as_index=False).agg(
        disbursed_before=("disbursed_vnd", "sum"), done_before=("done_qty", lambda s: s.sum(min_count=1)))
    both = now.merge(before, on=keys, how="left")
    records = []
    for r in both.itertuples():
        falls, variant = [], []
        details = {"previous_period": str(previous_period)}
        if not np.isnan(r.disbursed_before) and r.disbursed_vnd < r.disbursed_before:
            falls.append(f"disbursed {amount(r.disbursed_vnd)} < {amount(int(r.disbursed_before))} triệu đồng")
            variant.append("disbursed")
            details.update(disbursed_vnd=int(r.disbursed_vnd), disbursed_before_vnd=int(r.disbursed_before))
        if not np.isnan(r.done_before) and not np.isnan(r.done_qty) and r.done_qty < r.done_before:
            falls.append(f"done quantity {quantity(r.done_qty)} < {quantity(r.done_before)}")
            variant.append("done")
            details.update(done_qty=float(r.done_qty), done_before_qty=float(r.done_before))
        if falls:
            records.append({
                "severity": "warning", "check": "cumulative_decrease", "unit_code": r.unit_code,
                "line_code": r.line_code, "source_file": r.source_file, "source_sheet": r.source_sheet,
                "source_row": r.source_row,
                "message": f"year-to-date value falls from {previous_period}: " + "; ".join(falls),
                "details": {**details, "variant": "_".join(variant)},
            })
    # A line reported before and missing now is also a fall to zero.
    gone = before.merge(now[keys], on=keys, how="left", indicator=True)
    for r in gone[gone["_merge"] == "left_only"].itertuples():
        if r.disbursed_before > 0:
            records.append({
                "severity": "warning", "check": "cumulative_decrease", "unit_code": r.unit_code,
                "line_code": r.line_code, "source_file": "", "source_sheet": "", "source_row": None,
                "message": f"line reported in {previous_period} with {amount(int(r.disbursed_before))} triệu đồng "
                           "disbursed is missing now",
                "details": {"variant": "gone", "previous_period": str(previous_period),
                            "disbursed_before_vnd": int(r.disbursed_before)},
            })
    return _frame(records)


def expected_units(units: Units, period: Period, earlier: list[pd.DataFrame] = ()) -> pd.DataFrame:
    """The units expected to report for ``period`` (spec §2.1): the communes, wards, towns and
    special zones in force at its end, and any unit in force then that reported in an earlier
    period of the same year (``earlier``: those periods' tidy tables). A province or district
    that only stands above its communes is not expected; one whose own agencies reported before
    in the year is."""
    in_force = units.valid_in(period)
    reported = set().union(*(set(frame["unit_code"]) for frame in earlier)) if len(earlier) else set()
    expected = in_force["kind"].isin(COMMUNE_KINDS) | in_force["code"].isin(reported)
    return in_force[expected]


def files_not_read(not_read: list) -> list[dict]:
    """One ``file_not_read`` finding per file or folder of the period that was not read (spec §2):
    it names the file, why, and what to do. ``not_read``: the ``NotReadable`` errors of extract."""
    return [{"severity": "warning", "check": "file_not_read", "unit_code": "", "line_code": "",
             "source_file": e.file, "source_sheet": e.sheet, "source_row": e.row, "message": e.message,
             "details": {"variant": "report" if PurePosixPath(e.file).suffix.lower() in REPORT_SUFFIXES else "other",
                         "file": e.file}} for e in not_read]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return re.sub(r"[^a-z0-9]+", " ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


def unit_files(expected: pd.DataFrame, not_read: list) -> dict[str, list[str]]:
    """Unit code -> the files not read whose name points at that unit: its code among the digits
    of the name ("bao-cao-01969.xls"), else its name without accents ("xa-tan-tu.ods")."""
    out: dict[str, list[str]] = {}
    for error in not_read:
        stem = _ascii(PurePosixPath(error.file).stem)
        numbers = set(re.findall(r"\d+", PurePosixPath(error.file).stem))
        words = f" {stem} "
        for code, name, aliases in zip(expected["code"], expected["name"], expected["aliases"]):
            names = [name, *[a for a in str(aliases).split("|") if a.strip()]]
            if code in numbers or any(f" {_ascii(n)} " in words for n in names if len(_ascii(n)) > 3):
                out.setdefault(code, []).append(error.file)
    return out


def missing_units(tidy: pd.DataFrame, expected: pd.DataFrame, not_read: list = ()) -> pd.DataFrame:
    """Units expected to report (:func:`expected_units`) that reported nothing; where a file that was
    not read seems to be theirs, the finding names it (spec §2: its money is not silently gone)."""
    reported = set(tidy["unit_code"])
    files = unit_files(expected, list(not_read)) if not_read else {}
    records = []
    for code, name in zip(expected["code"], expected["name"]):
        if code in reported:
            continue
        theirs = files.get(code, [])
        because = (f"; its file {', '.join(theirs)} was not read (see the file_not_read finding)" if theirs else "")
        records.append({"severity": "warning", "check": "unit_missing", "unit_code": code, "line_code": "",
                        "source_file": theirs[0] if theirs else "", "source_sheet": "", "source_row": None,
                        "message": f"{name} reported nothing for this period{because}",
                        "details": {"variant": "file" if theirs else "", "unit": name, "files": ", ".join(theirs)}})
    return _frame(records)


def units_not_in_force(reports: pd.DataFrame, units: Units, period: Period) -> pd.DataFrame:
    """Reports from units not in force at the period's end (spec §2.1): one finding per sheet (or
    CSV row) naming the unit, its dates and where its history went. Its rows are kept under its
    own code. ``reports``: ``Cleaned.not_in_force``; ``units``: the units table."""
    records = []
    for r in reports.itertuples():
        unit = units.history.loc[r.unit_row]
        span = f"{unit['valid_from'] or '…'} – {unit['valid_to'] or '…'}"
        went = [c for c in unit["successor_code"].split("|") if c.strip()]
        after, names = "", []
        if went:
            later = units.at(period)
            names = [f"{later.name(c)} ({c})" if later.knows(c) else c for c in went]
            after = f"; it went into {', '.join(names)}"
        records.append({
            "severity": "warning", "check": "unit_not_in_force", "unit_code": r.unit_code, "line_code": "",
            "source_file": r.source_file, "source_sheet": r.source_sheet, "source_row": r.source_row,
            "message": f"{unit['name']} ({r.unit_code}) was in force {span}, not at the end of {period} "
                       f"({period.end_date:%d/%m/%Y}){after}; its rows are kept under its own code",
            "details": {"variant": "went" if went else "ended", "unit": unit["name"], "code": r.unit_code,
                        "valid_from": unit["valid_from"] or "…", "valid_to": unit["valid_to"] or "…",
                        "end_period": str(period), "successors": ", ".join(names) if went else ""},
        })
    return _frame(records)


def quality(tidy: pd.DataFrame, checks: pd.DataFrame, rates: pd.DataFrame, expected_units: pd.DataFrame,
            previous: pd.DataFrame | None = None, previous_period: Period | None = None,
            extra: list[dict] | None = None, not_in_force: pd.DataFrame | None = None,
            not_read: list = ()) -> pd.DataFrame:
    """Every finding of a period, in one table with the spec §4.2 columns. ``previous`` has its
    units already placed where they are at this period (:func:`~mtqg_analysis.domain.units.place_history`);
    ``not_read``: the files of the period that were not read (their own findings come in ``extra``)."""
    parts = [
        subtotal_mismatches(checks),
        stated_rate_mismatches(rates),
        above_plan(tidy),
        cumulative_decreases(tidy, previous, previous_period),
        missing_units(tidy, expected_units, not_read),
        not_in_force if not_in_force is not None else _frame([]),
        _frame(extra or []),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return _frame([])
    return pd.concat(parts, ignore_index=True)
