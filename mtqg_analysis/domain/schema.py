"""The tables the package writes and every later stage reads (spec §4): their columns and types.

``funding`` (spec §4.1): one row per unit, catalog line, capital type, budget source and capital
year of a period, money in whole đồng (int64). ``capital_year`` is the budget year the plan belongs
to: the period's year, or an earlier year for capital carried over (kéo dài, chuyển nguồn). ``quality`` (spec §4.2): the data-quality findings.
"""
from __future__ import annotations

import json

import pandas as pd

TIDY_COLUMNS = {
    "period": "string",
    "unit_code": "string",
    "unit_name": "string",
    "line_code": "string",
    "capital_type": "string",
    "budget_source": "string",
    "capital_year": "int64",
    "measure_unit": "string",
    "plan_qty": "float64",
    "done_qty": "float64",
    "plan_vnd": "int64",
    "disbursed_vnd": "int64",
    "source_file": "string",
    "source_sheet": "string",
    "source_row": "int64",
    "note": "string",
}
#: A row's identity within a period: two rows with the same key are the same report twice.
KEY = ["unit_code", "line_code", "capital_type", "budget_source", "capital_year"]
#: The split columns: missing (NA) where the report does not split (spec §4.1 "empty"), so that
#: pandas shows them as missing, never as a blank label; the CSV has an empty field there.
SPLIT_COLUMNS = ["capital_type", "budget_source"]
#: Order of the splits of one line: the undivided row first, then ĐTPT before SN, NSTW before NSĐP
#: (and the period's own capital year before earlier years, spec §4.1).
SPLIT_ORDER = {"": 0, "dtpt": 1, "sn": 2, "nstw": 1, "nsdp": 2}

QUALITY_COLUMNS = ["severity", "check", "unit_code", "line_code", "source_file", "source_sheet", "source_row",
                   "message", "details"]
#: ``details`` holds the finding's figures as a JSON object (amounts in đồng, rates as fractions,
#: ``variant`` naming the form of the message), from which a report words the finding in its own
#: language with the templates of ``data/findings.csv``; ``message`` is the same in English.
SEVERITIES = ["warning", "info"]


def empty_tidy() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in TIDY_COLUMNS.items()})


def as_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly the spec §4.1 columns, in order, with their types; an empty split
    (``""``) becomes missing."""
    out = frame[list(TIDY_COLUMNS)].astype(TIDY_COLUMNS)
    for column in SPLIT_COLUMNS:
        out[column] = out[column].replace("", pd.NA)
    return out


def details_text(value) -> str:
    """A finding's ``details`` as stored: a dict as compact JSON (keys sorted), text as it is."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _plain(value):
    """numpy numbers in a finding's details as plain JSON numbers."""
    return value.item() if hasattr(value, "item") else str(value)


def as_quality(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly the spec §4.2 columns (and ``details``): text, and ``source_row`` as
    a nullable integer."""
    frame = frame.reindex(columns=QUALITY_COLUMNS)
    frame = frame.assign(details=frame["details"].map(details_text, na_action=None))
    text = {c: "string" for c in QUALITY_COLUMNS if c != "source_row"}
    out = frame.astype(text)
    for column in text:
        out[column] = out[column].fillna("")
    out["source_row"] = pd.to_numeric(frame["source_row"], errors="coerce").astype("Int64")
    return out
