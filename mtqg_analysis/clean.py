"""Stage 2, clean: raw report tables -> the tidy table of spec §4.1.

Per report sheet: which unit it belongs to, which catalog line each row is (in the context of the
rows above), which rows are data and which are totals, subtotals or "Trong đó" rows, numbers in
Vietnamese notation, money in whole đồng. Totals and subtotals are never added: they go to
``checks`` for :mod:`mtqg_analysis.validate` to compare with the sum of their data rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from . import resources
from .catalog import Catalog
from .errors import InputError
from .numbers import parse_numbers, series_to_dong
from .periods import Period
from .read import Column, RawTable
from .text import fold, normalize, normalize_series
from .units import Units

TIDY_COLUMNS = {
    "period": "string",
    "unit_code": "string",
    "unit_name": "string",
    "line_code": "string",
    "capital_type": "string",
    "budget_source": "string",
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
KEY = ["unit_code", "line_code", "capital_type", "budget_source"]
SPLIT_ORDER = {"": 0, "dtpt": 1, "sn": 2, "nstw": 1, "nsdp": 2}

# Checks handed to validate: one row per total/subtotal/split total, and per stated rate.
CHECK_COLUMNS = ["kind", "unit_code", "line_code", "source_file", "source_sheet", "source_row", "column",
                 "stated_plan_vnd", "stated_disbursed_vnd", "sum_plan_vnd", "sum_disbursed_vnd", "n_rows"]
RATE_COLUMNS = ["unit_code", "line_code", "source_file", "source_sheet", "source_row", "column",
                "stated_rate_pct", "plan_vnd", "disbursed_vnd"]


@dataclass
class Cleaned:
    tidy: pd.DataFrame
    checks: pd.DataFrame
    rates: pd.DataFrame
    errors: list[InputError] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)  # info findings met while cleaning


@lru_cache(maxsize=None)
def _row_words() -> dict[str, set[str]]:
    words: dict[str, set[str]] = {}
    for row in resources.table("row_words.csv").itertuples():
        words.setdefault(row.kind, set()).add(fold(row.word).rstrip(":"))
    return words


@lru_cache(maxsize=None)
def _capital_words() -> dict[str, tuple[str, str]]:
    table = resources.table("capital_types.csv")
    return {fold(w): (c, b) for w, c, b in zip(table["word"], table["capital_type"], table["budget_source"])}


def _is_total(label: str) -> bool:
    return fold(label).strip(" :.") in _row_words()["total"]


def _is_of_which(label: str) -> bool:
    folded = fold(label).lstrip("-+* ")
    return any(folded.startswith(w) for w in _row_words()["of_which"])


def empty_tidy() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in TIDY_COLUMNS.items()})


# --- numbers of one table -------------------------------------------------------------------------
def _parse_column(table: RawTable, key: str, errors: list[InputError], *, allow_percent=False) -> tuple[pd.Series, pd.Series]:
    """Parse one column; non-numbers become errors naming the cell. Returns (values, blank)."""
    values, blank, bad = parse_numbers(table.rows[key], allow_percent=allow_percent)
    column: Column = table.columns[key]
    for i in np.flatnonzero(bad.to_numpy()):
        raw = table.rows[key].iloc[i]
        errors.append(InputError(f"'{normalize(raw)}' is not a number", table.file, table.sheet,
                                 int(table.rows["source_row"].iloc[i]), column.describe()))
    return values, blank


def _amount_keys(columns: dict[str, Column], side: str) -> list[tuple[str, str]]:
    return [tuple(k.split("|")[1:]) for k in columns if k.startswith(side + "|")]


def _leaves(keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Split keys not covered by a more specific key ("Tổng số" is covered by ĐTPT and SN)."""
    def covers(general, specific):
        return general != specific and all(g in ("", s) for g, s in zip(general, specific))
    return [k for k in keys if not any(covers(k, other) for other in keys)]


# --- workbook sheets ---------------------------------------------------------------------------------
def resolve_unit(table: RawTable, units: Units) -> str:
    for hint in table.unit_hints:
        code = units.match(hint)
        if code:
            return code
    # Name the text that most looks like a unit: a title cell starting with a unit prefix, else the sheet.
    candidates = [h for h in table.unit_hints[1:] if units._bare(h) != fold(h)] or [table.sheet]
    return units.resolve(candidates[0], file=table.file, sheet=table.sheet)


def classify_rows(table: RawTable, catalog: Catalog, errors: list[InputError]) -> pd.DataFrame:
    """Add ``kind`` (data/subtotal/total/skip) and ``line_code`` to a sheet's rows, in context."""
    rows = table.rows
    labels = normalize_series(rows["label"]) if len(rows) else pd.Series(dtype="object")
    number_keys = [k for k in table.columns if "|" in k or k.endswith("_qty")]
    blank_numbers = pd.Series(True, index=rows.index)
    for key in number_keys:
        col = rows[key]
        text = col.astype("object").where(col.notna(), "").astype(str).str.strip()
        blank_numbers &= text.isin(["", "-", "–", "—"])
    kinds, codes = [], []
    context: list[str] = []
    for i, label in enumerate(labels):
        row_number = int(rows["source_row"].iloc[i])
        if label == "":
            kinds.append("skip" if blank_numbers.iloc[i] else "unlabelled")
            codes.append("")
        elif _is_total(label):
            kinds.append("total")
            codes.append("")
        elif _is_of_which(label):
            kinds.append("skip")
            codes.append("")
        else:
            match = catalog.match(label, context)
            if match is None:
                kinds.append("skip")
                codes.append("")
                if not blank_numbers.iloc[i]:
                    errors.append(InputError(f"unknown label '{label}' (not a line of the program catalog)",
                                             table.file, table.sheet, row_number, table.columns["label"].describe()))
                continue
            code = match.code
            context = [*reversed(catalog.ancestors(code)), code]
            kinds.append("line")
            codes.append(code)
    out = rows.assign(label=labels, kind=kinds, line_code=codes)
    # A line row followed directly by one of its descendants is a subtotal; otherwise it is data.
    line_positions = [i for i, k in enumerate(kinds) if k == "line"]
    for pos, nxt in zip(line_positions, line_positions[1:] + [None]):
        is_parent = nxt is not None and catalog.is_descendant(codes[nxt], codes[pos])
        out.iloc[pos, out.columns.get_loc("kind")] = "subtotal" if is_parent else "data"
    unlabelled = out["kind"] == "unlabelled"
    for i in np.flatnonzero(unlabelled.to_numpy()):
        errors.append(InputError("a row with numbers has no label (Nội dung)", table.file, table.sheet,
                                 int(out["source_row"].iloc[i]), table.columns["label"].describe()))
    return out


def clean_sheet(table: RawTable, period: Period, units: Units, catalog: Catalog) -> Cleaned:
    errors: list[InputError] = []
    try:
        unit_code = resolve_unit(table, units)
    except InputError as error:
        return Cleaned(empty_tidy(), _empty(CHECK_COLUMNS), _empty(RATE_COLUMNS), [error])
    rows = classify_rows(table, catalog, errors)

    # Numbers: quantities, amounts per split, stated rate.
    amounts: dict[str, pd.Series] = {}
    for key in [k for k in table.columns if "|" in k]:
        values, _ = _parse_column(table, key, errors)
        negative = values < 0
        for i in np.flatnonzero(negative.to_numpy() & rows["kind"].isin(["data", "subtotal", "total"]).to_numpy()):
            errors.append(InputError(f"negative amount {normalize(table.rows[key].iloc[i])}", table.file, table.sheet,
                                     int(rows["source_row"].iloc[i]), table.columns[key].describe()))
        amounts[key] = series_to_dong(values.fillna(0), table.dong_per_unit)
    qty: dict[str, pd.Series] = {}
    qty_blank: dict[str, pd.Series] = {}
    for key in ("plan_qty", "done_qty"):
        if key in table.columns:
            qty[key], qty_blank[key] = _parse_column(table, key, errors)
        else:
            qty[key] = pd.Series(np.nan, index=rows.index)
            qty_blank[key] = pd.Series(True, index=rows.index)
    plan_qty = qty["plan_qty"].where(~qty_blank["plan_qty"])
    # Where the planned quantity is given, an empty or "-" done quantity is zero (spec §3.1).
    done_qty = qty["done_qty"].where(~qty_blank["done_qty"], np.where(plan_qty.notna(), 0.0, np.nan))
    stated_rate = None
    if "rate" in table.columns:
        stated_rate, _ = _parse_column(table, "rate", errors, allow_percent=True)
        if table.rate_is_fraction is not None:
            stated_rate = stated_rate.where(~table.rate_is_fraction, stated_rate * 100)

    plan_keys, done_keys = _amount_keys(table.columns, "plan"), _amount_keys(table.columns, "done")
    plan_leaves, done_leaves = _leaves(plan_keys), _leaves(done_keys)
    common = [k for k in plan_leaves if k in done_leaves]
    if not common:
        if ("", "") in plan_keys and ("", "") in done_keys:
            common = [("", "")]
        else:
            errors.append(InputError("the plan and disbursed columns are split differently "
                                     "(by capital type or budget source); split both the same way",
                                     table.file, table.sheet, None))
            return Cleaned(empty_tidy(), _empty(CHECK_COLUMNS), _empty(RATE_COLUMNS), errors)
    common.sort(key=lambda k: (SPLIT_ORDER[k[0]], SPLIT_ORDER[k[1]]))

    def total_of(side: str) -> pd.Series:
        if ("", "") in (plan_keys if side == "plan" else done_keys):
            return amounts[f"{side}||"]
        return sum((amounts[f"{side}|{c}|{b}"] for c, b in common), pd.Series(0, index=rows.index, dtype="int64"))

    plan_total, done_total = total_of("plan"), total_of("done")
    split_used = common != [("", "")]

    # Tidy rows from data rows: one per non-empty split, or one unsplit row.
    data = rows["kind"] == "data"
    measure = normalize_series(rows["measure_unit"]) if "measure_unit" in rows else pd.Series("", index=rows.index)
    notes = normalize_series(rows["note"]) if "note" in rows else pd.Series("", index=rows.index)
    pieces = []
    for c, b in common:
        if split_used:
            plan = amounts[f"plan|{c}|{b}"]
            done = amounts[f"done|{c}|{b}"]
        else:
            plan, done = plan_total, done_total
        pieces.append(pd.DataFrame({
            "position": np.arange(len(rows)), "capital_type": c, "budget_source": b,
            "plan_vnd": plan, "disbursed_vnd": done,
        })[data.to_numpy()])
    long = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()
    if split_used and len(long):
        # A row that fills only "Tổng số" although the sheet has split columns does not split.
        split_sum = long.groupby("position")[["plan_vnd", "disbursed_vnd"]].sum()
        totals = pd.DataFrame({"plan_vnd": plan_total, "disbursed_vnd": done_total}).iloc[split_sum.index]
        unsplit = split_sum.index[(split_sum.sum(axis=1) == 0) & (totals.sum(axis=1) > 0)]
        if len(unsplit):
            long = long[~long["position"].isin(unsplit)]
            extra = pd.DataFrame({"position": unsplit, "capital_type": "", "budget_source": "",
                                  "plan_vnd": plan_total.iloc[unsplit].to_numpy(),
                                  "disbursed_vnd": done_total.iloc[unsplit].to_numpy()})
            long = pd.concat([long, extra], ignore_index=True)
    if len(long):
        long = long[(long["plan_vnd"] != 0) | (long["disbursed_vnd"] != 0)]
        long = long.sort_values(["position", "capital_type", "budget_source"],
                                key=lambda s: s.map(SPLIT_ORDER) if s.name != "position" else s, kind="stable")
        first = ~long["position"].duplicated()
        positions = long["position"].to_numpy()
        codes = rows["line_code"].to_numpy()[positions]
        tidy = pd.DataFrame({
            "period": str(period),
            "unit_code": unit_code,
            "unit_name": units.name(unit_code),
            "line_code": codes,
            "capital_type": long["capital_type"].to_numpy(),
            "budget_source": long["budget_source"].to_numpy(),
            "measure_unit": [m or catalog.default_unit(code) for m, code in zip(measure.to_numpy()[positions], codes)],
            "plan_qty": np.where(first, plan_qty.to_numpy()[positions], np.nan),
            "done_qty": np.where(first, done_qty.to_numpy()[positions], np.nan),
            "plan_vnd": long["plan_vnd"].to_numpy(),
            "disbursed_vnd": long["disbursed_vnd"].to_numpy(),
            "source_file": table.file,
            "source_sheet": table.sheet,
            "source_row": rows["source_row"].to_numpy()[positions],
            "note": notes.to_numpy()[positions],
        })
    else:
        tidy = empty_tidy()

    checks = _structure_checks(table, rows, unit_code, catalog, plan_total, done_total, amounts, common, split_used)
    rates = _empty(RATE_COLUMNS)
    if stated_rate is not None:
        has_rate = stated_rate.notna() & rows["kind"].isin(["data", "subtotal", "total"])
        rates = pd.DataFrame({
            "unit_code": unit_code, "line_code": rows["line_code"], "source_file": table.file,
            "source_sheet": table.sheet, "source_row": rows["source_row"], "column": table.columns["rate"].describe(),
            "stated_rate_pct": stated_rate, "plan_vnd": plan_total, "disbursed_vnd": done_total,
        })[has_rate.to_numpy()]
    return Cleaned(tidy, checks, rates, errors)


def _structure_checks(table, rows, unit_code, catalog, plan_total, done_total, amounts, common, split_used) -> pd.DataFrame:
    """Totals, subtotals and "Tổng số" columns, each with the sum of what it should equal."""
    records = []
    kinds = rows["kind"].to_numpy()
    codes = rows["line_code"].to_numpy()
    data_positions = np.flatnonzero(kinds == "data")
    for pos in np.flatnonzero((kinds == "total") | (kinds == "subtotal")):
        if kinds[pos] == "total":
            covered = data_positions
        else:
            covered = [d for d in data_positions if d > pos and catalog.is_descendant(codes[d], codes[pos])]
        records.append({
            "kind": "total" if kinds[pos] == "total" else "subtotal",
            "unit_code": unit_code, "line_code": codes[pos], "source_file": table.file,
            "source_sheet": table.sheet, "source_row": int(rows["source_row"].iloc[pos]), "column": "",
            "stated_plan_vnd": int(plan_total.iloc[pos]), "stated_disbursed_vnd": int(done_total.iloc[pos]),
            "sum_plan_vnd": int(plan_total.iloc[covered].sum()), "sum_disbursed_vnd": int(done_total.iloc[covered].sum()),
            "n_rows": len(covered),
        })
    if split_used:
        # Where a "Tổng số" column stands beside the splits, it must equal their sum on every row.
        for side, total_key in (("plan", "plan||"), ("done", "done||")):
            if total_key not in amounts:
                continue
            split_sum = sum(amounts[f"{side}|{c}|{b}"] for c, b in common)
            for pos in np.flatnonzero(kinds != "skip"):
                split_value = int(split_sum.iloc[pos])
                stated = int(amounts[total_key].iloc[pos])
                if split_value == 0:
                    continue  # the row does not split; nothing to compare
                records.append({
                    "kind": "split_total", "unit_code": unit_code, "line_code": codes[pos],
                    "source_file": table.file, "source_sheet": table.sheet,
                    "source_row": int(rows["source_row"].iloc[pos]), "column": table.columns[total_key].describe(),
                    "stated_plan_vnd": stated if side == "plan" else 0,
                    "stated_disbursed_vnd": stated if side == "done" else 0,
                    "sum_plan_vnd": split_value if side == "plan" else 0,
                    "sum_disbursed_vnd": split_value if side == "done" else 0,
                    "n_rows": len(common),
                })
    return pd.DataFrame.from_records(records, columns=CHECK_COLUMNS)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


# --- tidy CSV ------------------------------------------------------------------------------------------
def clean_csv(table: RawTable, period: Period, units: Units, catalog: Catalog) -> Cleaned:
    errors: list[InputError] = []
    rows = table.rows
    n = len(rows)
    unit_codes, line_codes, capitals, budgets = [], [], [], []
    for i in range(n):
        row_number = int(rows["source_row"].iloc[i])
        unit_text = normalize(rows["unit"].iloc[i])
        try:
            unit_codes.append(units.resolve(unit_text, file=table.file, row=row_number,
                                            column=table.columns["unit"].describe()))
        except InputError as error:
            errors.append(error)
            unit_codes.append("")
        line_text = normalize(rows["line"].iloc[i])
        code = catalog.match_code(line_text)
        if code is None:
            match = catalog.match(line_text)
            code = match.code if match else None
        if code is None:
            errors.append(InputError(f"unknown line '{line_text}' (neither a catalog code nor a catalog name)",
                                     table.file, "", row_number, table.columns["line"].describe()))
            code = ""
        line_codes.append(code)
        split = []
        for key in ("capital_type", "budget_source"):
            text = fold(rows[key].iloc[i]) if key in rows and rows[key].iloc[i] is not None else ""
            if text == "":
                split.append("")
                continue
            found = _capital_words().get(text)
            value = (found[0] if key == "capital_type" else found[1]) if found else ""
            if not value:
                errors.append(InputError(f"unknown {'capital type' if key == 'capital_type' else 'budget source'} "
                                         f"'{normalize(rows[key].iloc[i])}'", table.file, "", row_number,
                                         table.columns[key].describe()))
            split.append(value)
        capitals.append(split[0])
        budgets.append(split[1])

    money = {}
    for key in ("plan||", "done||"):
        values, _ = _parse_column(table, key, errors)
        for i in np.flatnonzero((values < 0).to_numpy()):
            errors.append(InputError(f"negative amount {normalize(rows[key].iloc[i])}", table.file, "",
                                     int(rows["source_row"].iloc[i]), table.columns[key].describe()))
        money[key] = series_to_dong(values.fillna(0), table.dong_per_unit[key])
    qty = {}
    for key in ("plan_qty", "done_qty"):
        if key in table.columns:
            qty[key] = _parse_column(table, key, errors)
        else:
            qty[key] = (pd.Series(np.nan, index=rows.index), pd.Series(True, index=rows.index))
    plan_qty = qty["plan_qty"][0].where(~qty["plan_qty"][1])
    done_qty = qty["done_qty"][0].where(~qty["done_qty"][1], np.where(plan_qty.notna(), 0.0, np.nan))
    measure = normalize_series(rows["measure_unit"]) if "measure_unit" in rows else pd.Series("", index=rows.index)
    notes = normalize_series(rows["note"]) if "note" in rows else pd.Series("", index=rows.index)
    tidy = pd.DataFrame({
        "period": str(period),
        "unit_code": unit_codes,
        "unit_name": [units.name(c) if c else "" for c in unit_codes],
        "line_code": line_codes,
        "capital_type": capitals,
        "budget_source": budgets,
        "measure_unit": [m or (catalog.default_unit(c) if c else "") for m, c in zip(measure, line_codes)],
        "plan_qty": plan_qty.to_numpy(),
        "done_qty": done_qty.to_numpy(),
        "plan_vnd": money["plan||"].to_numpy(),
        "disbursed_vnd": money["done||"].to_numpy(),
        "source_file": table.file,
        "source_sheet": "",
        "source_row": rows["source_row"].to_numpy(),
        "note": notes.to_numpy(),
    })
    keep = (tidy["plan_vnd"] != 0) | (tidy["disbursed_vnd"] != 0) | tidy["plan_qty"].fillna(0).ne(0)
    return Cleaned(tidy[keep.to_numpy()], _empty(CHECK_COLUMNS), _empty(RATE_COLUMNS), errors)


# --- a period ----------------------------------------------------------------------------------------
def duplicate_errors(tidy: pd.DataFrame) -> list[InputError]:
    """The same unit and line reported twice in one period: one error per pair of sources."""
    dup = tidy[tidy.duplicated(KEY, keep=False)]
    errors, seen = [], set()
    for _, group in dup.groupby(KEY, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            pair = (first["unit_code"], first["source_file"], first["source_sheet"], other["source_file"], other["source_sheet"])
            if pair in seen:
                continue
            seen.add(pair)
            same_sheet = first["source_file"] == other["source_file"] and first["source_sheet"] == other["source_sheet"]
            what = (f"line {first['line_code']} of {first['unit_name']} appears twice in one sheet (rows {first['source_row']} and {other['source_row']})"
                    if same_sheet else
                    f"{first['unit_name']} ({first['unit_code']}) is reported twice: also in file {first['source_file']}"
                    + (f", sheet '{first['source_sheet']}'" if first["source_sheet"] else "")
                    + f", row {first['source_row']} (line {first['line_code']})")
            errors.append(InputError(what, other["source_file"], other["source_sheet"], int(other["source_row"])))
    return errors


def clean_tables(tables: list[RawTable], period: Period, units: Units, catalog: Catalog) -> Cleaned:
    """Clean every table of a period into one tidy table (rows in catalog order within each unit)."""
    parts = [(clean_csv if t.kind == "csv" else clean_sheet)(t, period, units, catalog) for t in tables]
    errors = [e for p in parts for e in p.errors]
    tidy_parts = [p.tidy for p in parts if len(p.tidy)]
    tidy = pd.concat(tidy_parts, ignore_index=True) if tidy_parts else empty_tidy()
    if len(tidy):
        errors += duplicate_errors(tidy[tidy["unit_code"] != ""])
    checks = pd.concat([p.checks for p in parts if len(p.checks)] or [_empty(CHECK_COLUMNS)], ignore_index=True)
    rates = pd.concat([p.rates for p in parts if len(p.rates)] or [_empty(RATE_COLUMNS)], ignore_index=True)
    return Cleaned(finalize(tidy, catalog), checks, rates, errors, [f for p in parts for f in p.findings])


def finalize(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Spec §4.1 column order and dtypes; rows sorted by unit, catalog order, split."""
    if len(tidy):
        order = tidy["line_code"].map(lambda c: catalog.order(c) if c in catalog.frame.index else 10_000)
        tidy = (tidy.assign(_order=order, _cap=tidy["capital_type"].map(SPLIT_ORDER),
                            _bud=tidy["budget_source"].map(SPLIT_ORDER))
                .sort_values(["unit_code", "_order", "_cap", "_bud"], kind="stable")
                .drop(columns=["_order", "_cap", "_bud"]))
    tidy = tidy.reset_index(drop=True)
    return tidy[list(TIDY_COLUMNS)].astype(TIDY_COLUMNS)
