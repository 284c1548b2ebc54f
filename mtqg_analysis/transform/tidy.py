"""Stage 2, transform: raw report tables -> the tidy table of spec §4.1.

Per sheet, :mod:`.rows` decides the unit, the line of each row and its kind. Then, for the whole
period at once and vectorised: numbers in Vietnamese notation, money in whole đồng, one row per
split. Totals and subtotals are never added: they go to ``checks`` for
:mod:`mtqg_analysis.validate` to compare with the sum of their data rows.

Two long tables carry a period through this module:

- ``rows``: one row per sheet/CSV row (``t`` = table number, ``pos`` = row position in it) with
  its kind (data/subtotal/total/skip), unit, line, quantities, stated rate, note;
- ``cells``: one row per amount cell (``side`` plan/done, ``capital_type``, ``budget_source``),
  with its ``role``: ``leaf`` (a split that becomes a tidy row) or ``total`` ("Tổng số" beside
  the splits, only checked), and its ``capital_year`` (spec §4.1: the period's year unless the
  column holds capital carried over from an earlier year's plan, spec §3.1).

Units are matched among those in force at the period's end first (``units`` is the view at that
date, :meth:`~mtqg_analysis.domain.units.Units.at`); a report from a unit not in force keeps its
own code and is listed in ``Cleaned.not_in_force`` for :mod:`mtqg_analysis.validate`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from ..domain import resources
from ..domain.catalog import Catalog
from ..domain.notation import parse_numbers, series_to_dong
from ..domain.periods import Period
from ..domain.schema import KEY, SPLIT_ORDER, as_tidy, empty_tidy
from ..domain.text import fold, normalize
from ..domain.units import Units
from ..errors import InputError, Phrase
from ..extract import RawTable
from ..extract.header import amount_key, amount_parts
from .rows import (NO_SPLIT, capital_words, capital_years, classify_rows, conversion_findings, coverage, is_blank,
                   resolve_unit, split_columns)

# No line of one commune reaches a million tỷ đồng; above it a wrong money unit or a typo is far
# likelier, and int64 đồng would overflow not much further up.
MAX_VND = 10**18 // 1000

# Checks handed to validate: one row per total/subtotal/"Tổng số" cell, and per stated rate.
CHECK_COLUMNS = ["kind", "unit_code", "line_code", "source_file", "source_sheet", "source_row", "column",
                 "stated_plan_vnd", "stated_disbursed_vnd", "sum_plan_vnd", "sum_disbursed_vnd", "n_rows"]
RATE_COLUMNS = ["unit_code", "line_code", "source_file", "source_sheet", "source_row", "column",
                "stated_rate_pct", "plan_vnd", "disbursed_vnd"]
# Reports from units not in force at the period's end (spec §2.1), one row per sheet or CSV row.
NOT_IN_FORCE_COLUMNS = ["unit_row", "unit_code", "source_file", "source_sheet", "source_row"]


@dataclass
class Cleaned:
    tidy: pd.DataFrame
    checks: pd.DataFrame
    rates: pd.DataFrame
    errors: list[InputError] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)  # info findings met while cleaning
    not_in_force: pd.DataFrame = field(default_factory=lambda: _empty(NOT_IN_FORCE_COLUMNS))


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


@dataclass
class _Period:
    """Column lists gathered table by table, turned into DataFrames once per period."""

    rows: dict[str, list] = field(default_factory=lambda: {k: [] for k in (
        "t", "pos", "source_row", "kind", "unit_code", "unit_row", "line_code", "measure_unit", "note",
        "plan_qty", "done_qty", "rate", "rate_is_fraction")})
    cells: dict[str, list] = field(default_factory=lambda: {k: [] for k in (
        "t", "pos", "side", "capital_type", "budget_source", "capital_year", "role", "raw", "dong_per_unit")})
    cover: list[tuple[int, int, int]] = field(default_factory=list)
    tables: dict[int, RawTable] = field(default_factory=dict)
    split_used: dict[int, bool] = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)


def _gather_sheet(t: int, table: RawTable, period: Period, units: Units, catalog: Catalog, acc: _Period,
                  errors: list) -> None:
    try:
        unit_row = resolve_unit(table, units)
        common, split_used = split_columns(table)
        years = capital_years([amount_parts(k)[3] for k in table.columns if "|" in k], period, table)
    except InputError as error:
        errors.append(error)
        return
    unit_code = units.history.at[unit_row, "code"]
    acc.findings += conversion_findings(table, unit_code)
    kinds, codes, _labels = classify_rows(table, catalog, errors)
    n = len(kinds)
    acc.tables[t] = table
    acc.split_used[t] = split_used
    r = acc.rows
    r["t"] += [t] * n
    r["pos"] += list(range(n))
    r["source_row"] += table.rows["source_row"].tolist()
    r["kind"] += kinds
    r["unit_code"] += [unit_code] * n
    r["unit_row"] += [unit_row] * n
    r["line_code"] += codes
    for key in ("measure_unit", "note", "plan_qty", "done_qty", "rate"):
        r[key] += table.rows[key].tolist() if key in table.columns else [None] * n
    fraction = table.rate_is_fraction.tolist() if table.rate_is_fraction is not None else [False] * n
    r["rate_is_fraction"] += fraction
    c = acc.cells
    for key in [k for k in table.columns if "|" in k]:
        side, capital, budget, year = amount_parts(key)
        split = (capital, budget, year)
        role = "leaf" if split in common else "total" if split == NO_SPLIT else ""
        if not role:
            continue  # an intermediate split (ĐTPT beside ĐTPT-NSTW and ĐTPT-NSĐP): the leaves suffice
        c["t"] += [t] * n
        c["pos"] += list(range(n))
        c["side"] += [side] * n
        c["capital_type"] += [capital] * n
        c["budget_source"] += [budget] * n
        c["capital_year"] += [years[year]] * n
        c["role"] += [role] * n
        c["raw"] += table.rows[key].tolist()
        unit = table.dong_per_unit[key] if isinstance(table.dong_per_unit, dict) else table.dong_per_unit
        c["dong_per_unit"] += [unit] * n
    acc.cover += [(t, a, b) for a, b in coverage(kinds, codes, catalog)]


def _gather_csv(t: int, table: RawTable, period: Period, units: Units, catalog: Catalog, acc: _Period,
                errors: list) -> None:
    rows = table.rows
    n = len(rows)
    row_numbers = rows["source_row"].tolist()
    unit_codes, unit_rows, line_codes, splits = [], [], [], []
    unit_column, line_column = table.columns["unit"].describe(), table.columns["line"].describe()
    # A name is resolved once per file: an unknown one (looked up against every unit for the
    # closest names) repeats on thousands of rows of a large CSV.
    resolved: dict[str, int | InputError] = {}
    for i, (unit_text, line_text) in enumerate(zip(rows["unit"].tolist(), rows["line"].tolist())):
        name = normalize(unit_text)
        if name not in resolved:
            try:
                resolved[name] = units.resolve_row(name, file=table.file, column=unit_column)
            except InputError as error:
                resolved[name] = error
        found = resolved[name]
        if isinstance(found, InputError):
            errors.append(found.at(table.file, "", row_numbers[i], unit_column))
            unit_codes.append("")
            unit_rows.append(-1)
        else:
            unit_codes.append(units.history.at[found, "code"])
            unit_rows.append(found)
        line = normalize(line_text)
        code = catalog.match_code(line)
        if code is None:
            match = catalog.match(line)
            code = match.code if match else ""
        if not code:
            errors.append(InputError.of("row.unknown_line", table.file, "", row_numbers[i], line_column, line=line))
        line_codes.append(code)
        split = []
        for key, index, what in (("capital_type", 0, "phrase.capital_type"), ("budget_source", 1, "phrase.budget_source")):
            raw = rows[key].iloc[i] if key in rows else None
            if is_blank(raw):
                split.append("")
                continue
            value = capital_words().get(fold(raw), ("", ""))[index]
            if not value:
                errors.append(InputError.of("row.unknown_split", table.file, "", row_numbers[i],
                                            table.columns[key].describe(), what=Phrase(what),
                                            value=normalize(raw)))
            split.append(value)
        splits.append(tuple(split))
    acc.tables[t] = table
    acc.split_used[t] = False
    r = acc.rows
    r["t"] += [t] * n
    r["pos"] += list(range(n))
    r["source_row"] += row_numbers
    r["kind"] += ["data"] * n
    r["unit_code"] += unit_codes
    r["unit_row"] += unit_rows
    r["line_code"] += line_codes
    for key in ("measure_unit", "note", "plan_qty", "done_qty"):
        r[key] += rows[key].tolist() if key in table.columns else [None] * n
    r["rate"] += [None] * n
    r["rate_is_fraction"] += [False] * n
    c = acc.cells
    for side in ("plan", "done"):
        key = amount_key(side)
        c["t"] += [t] * n
        c["pos"] += list(range(n))
        c["side"] += [side] * n
        c["capital_type"] += [s[0] for s in splits]
        c["budget_source"] += [s[1] for s in splits]
        c["capital_year"] += [period.year] * n  # a tidy CSV states no budget year (spec §3.2)
        c["role"] += ["leaf"] * n
        c["raw"] += rows[key].tolist()
        c["dong_per_unit"] += [table.dong_per_unit[key]] * n


# --- the period, vectorised ---------------------------------------------------------------------------
def _where(acc: _Period, t: pd.Series, key: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """File, sheet and column description of rows of table ``t`` for the column ``key``."""
    files = {i: tb.file for i, tb in acc.tables.items()}
    sheets = {i: tb.sheet for i, tb in acc.tables.items()}
    columns = {i: (tb.columns[key].describe() if key in tb.columns else "") for i, tb in acc.tables.items()}
    return t.map(files), t.map(sheets), t.map(columns)


def _number_errors(acc: _Period, frame: pd.DataFrame, raw: pd.Series, bad: pd.Series, key_of, error,
                   **values) -> list[InputError]:
    """An error per ``bad`` cell: ``error`` is its key in data/errors.csv (or gives it from the
    cell's text), filled with the text as ``text`` and ``values``."""
    errors = []
    for i in np.flatnonzero(bad.to_numpy()):
        t = int(frame["t"].iloc[i])
        table = acc.tables[t]
        key = key_of(i)
        column = table.columns[key].describe() if key in table.columns else ""
        text = normalize(raw.iloc[i])
        errors.append(InputError.of(error(text) if callable(error) else error, table.file, table.sheet,
                                    int(frame["source_row"].iloc[i]), column, text=text, **values))
    return errors


def clean_tables(tables: list[RawTable], period: Period, units: Units, catalog: Catalog) -> Cleaned:
    """Clean every table of a period into one tidy table (rows in catalog order within each unit).

    ``units`` is seen at the period's end (:meth:`Units.at`); it is taken there when it is not."""
    errors: list[InputError] = []
    acc = _Period()
    if units.on != period.end_date:
        units = units.at(period)
    for t, table in enumerate(tables):
        (_gather_csv if table.kind == "csv" else _gather_sheet)(t, table, period, units, catalog, acc, errors)
    rows = pd.DataFrame(acc.rows).astype({"t": "int64", "pos": "int64", "source_row": "int64", "unit_row": "int64"})
    cells = pd.DataFrame(acc.cells).astype({"t": "int64", "pos": "int64", "dong_per_unit": "int64",
                                            "capital_year": "int64"})
    if not len(rows):
        return Cleaned(finalize(empty_tidy(), catalog), _empty(CHECK_COLUMNS), _empty(RATE_COLUMNS), errors,
                       acc.findings)
    counted = rows["kind"].isin(["data", "subtotal", "total"]).to_numpy()

    # Quantities: NaN when no planned quantity is given; then a blank done quantity is NaN too,
    # otherwise zero (spec §3.1 "Numbers").
    qty = {}
    for key in ("plan_qty", "done_qty"):
        values, blank, bad = parse_numbers(rows[key])
        errors += _number_errors(acc, rows, rows[key], bad & pd.Series(counted, index=rows.index),
                                 lambda i, k=key: k, "cell.not_number")
        qty[key] = values.where(~blank & ~bad)
    plan_qty = qty["plan_qty"]
    done_qty = qty["done_qty"].where(qty["done_qty"].notna() | plan_qty.isna(), 0.0)
    # An Excel error value in the optional rate column (#DIV/0! where the plan is zero) is ignored,
    # with an info finding; in an amount column it stays an error (spec §3.1).
    rate_raw, rate_errors = _rate_error_values(rows, acc, counted)
    acc.findings += rate_errors
    rate, _, bad_rate = parse_numbers(rate_raw, allow_percent=True)
    errors += _number_errors(acc, rows, rows["rate"], bad_rate & pd.Series(counted, index=rows.index),
                             lambda i: "rate", "cell.not_rate")
    rate = rate.where(~rows["rate_is_fraction"].astype(bool), rate * 100)

    # Amounts: parsed once for the period, converted with each sheet's money unit.
    cells = cells.merge(rows[["t", "pos", "kind", "source_row", "unit_code", "line_code"]], on=["t", "pos"], how="left")
    values, blank, bad = parse_numbers(cells["raw"])
    cell_counted = cells["kind"].isin(["data", "subtotal", "total"])
    cell_key = (cells["side"] + "|" + cells["capital_type"] + "|" + cells["budget_source"]).tolist()
    errors += _number_errors(acc, cells, cells["raw"], bad & cell_counted, lambda i: cell_key[i], _not_a_number)
    errors += _number_errors(acc, cells, cells["raw"], (values < 0) & cell_counted, lambda i: cell_key[i],
                             "cell.negative")
    too_large = (values.abs() * cells["dong_per_unit"]) > MAX_VND
    limit = f"{MAX_VND // 10**9:,}".replace(",", ".")
    errors += _number_errors(acc, cells, cells["raw"], too_large & cell_counted, lambda i: cell_key[i],
                             "cell.too_large", limit=limit)
    usable = ~bad & ~too_large
    cells["vnd"] = series_to_dong(values.where(usable, 0).fillna(0), cells["dong_per_unit"])

    cells, ambiguous = _ambiguous_amounts(cells, acc)
    acc.findings += ambiguous + _ambiguous_quantities(rows, acc, counted, catalog)

    tidy = _tidy_rows(rows, cells, plan_qty, done_qty, acc, period, units, catalog)
    totals = _row_totals(rows, cells)
    checks = _structure_checks(rows, cells, totals, acc)
    has_rate = rate.notna() & pd.Series(counted, index=rows.index)
    rated = rows[has_rate.to_numpy()].merge(totals, on=["t", "pos"], how="left")
    files, sheets, columns = _where(acc, rated["t"], "rate")
    rates = pd.DataFrame({
        "unit_code": rated["unit_code"].to_numpy(), "line_code": rated["line_code"].to_numpy(),
        "source_file": files.to_numpy(), "source_sheet": sheets.to_numpy(), "source_row": rated["source_row"].to_numpy(),
        "column": columns.to_numpy(), "stated_rate_pct": rate[has_rate.to_numpy()].to_numpy(),
        "plan_vnd": rated["plan_total"].to_numpy(), "disbursed_vnd": rated["done_total"].to_numpy(),
    })
    if len(tidy):
        hidden = {(tb.file, tb.sheet) for tb in tables if tb.hidden}
        errors += duplicate_errors(tidy[tidy["unit_code"] != ""], hidden)
    return Cleaned(finalize(tidy, catalog), checks, rates, errors, acc.findings, _not_in_force(rows, acc, units))


def _not_in_force(rows: pd.DataFrame, acc: _Period, units: Units) -> pd.DataFrame:
    """The sheets (and CSV rows) whose unit is not in force at the period's end (spec §2.1)."""
    matched = rows[(rows["unit_row"] >= 0) & ~rows["unit_row"].map(units.in_force)]
    if matched.empty:
        return _empty(NOT_IN_FORCE_COLUMNS)
    # One row per sheet (its first row), one per row of a CSV file.
    csv_tables = {t for t, table in acc.tables.items() if table.kind == "csv"}
    first = matched[matched["t"].isin(csv_tables) | ~matched.duplicated(["t"])]
    files, sheets, _ = _where(acc, first["t"], "label")
    return pd.DataFrame({"unit_row": first["unit_row"].to_numpy(), "unit_code": first["unit_code"].to_numpy(),
                         "source_file": files.to_numpy(), "source_sheet": sheets.to_numpy(),
                         "source_row": first["source_row"].to_numpy()})


EXCEL_ERROR = re.compile(r"^#(?:DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$", re.IGNORECASE)


def _texts(values: pd.Series) -> pd.Series:
    """The text cells of a column, stripped; "" for anything else."""
    return values.map(lambda v: v.strip() if isinstance(v, str) else "").astype(str)


def _not_a_number(text: str) -> str:
    """The error key of a cell that is not a number: an Excel error value says to mend the formula."""
    return "cell.excel_error" if EXCEL_ERROR.match(text) else "cell.not_number"


def _rate_error_values(rows: pd.DataFrame, acc: _Period, counted: np.ndarray) -> tuple[pd.Series, list[dict]]:
    """The rate column without its Excel error values, and a ``rate_cell_error`` finding for each."""
    errors = _texts(rows["rate"]).str.fullmatch(EXCEL_ERROR.pattern, case=False) & counted
    findings = []
    for i in np.flatnonzero(errors.to_numpy()):
        table = acc.tables[int(rows["t"].iloc[i])]
        column = table.columns["rate"].describe() if "rate" in table.columns else ""
        findings.append({"severity": "info", "check": "rate_cell_error", "unit_code": rows["unit_code"].iloc[i],
                         "line_code": rows["line_code"].iloc[i], "source_file": table.file,
                         "source_sheet": table.sheet, "source_row": int(rows["source_row"].iloc[i]),
                         "message": f"the stated rate is the Excel error value '{rows['rate'].iloc[i].strip()}' "
                                    f"(column {column}); it is ignored: the rate is computed from plan and disbursed",
                         "details": {"value": rows["rate"].iloc[i].strip(), "column": column}})
    return rows["rate"].where(~errors, None), findings


AMBIGUOUS = r"\d{1,3},\d{3}"  # "1,150": 1,15 the Vietnamese way, or 1150 typed the English way


def _ambiguous_amounts(cells: pd.DataFrame, acc: _Period) -> tuple[pd.DataFrame, list[dict]]:
    """Amount cells such as "1,150" (spec §3.1 "Numbers"): read as 1,15 silently unless that is
    implausible (a fraction of a đồng once the money unit is applied, or totals of the sheet that
    match only the English reading 1150, which is then used); each such cell is an
    ``ambiguous_number`` finding."""
    texts = _texts(cells["raw"])
    ambiguous = texts.str.fullmatch(AMBIGUOUS) & cells["kind"].isin(["data", "subtotal", "total"])
    if not ambiguous.any():
        return cells, []
    cells = cells.copy()
    english = pd.to_numeric(texts.where(ambiguous).str.replace(",", "", regex=False), errors="coerce")
    english_vnd = series_to_dong(english.fillna(0), cells["dong_per_unit"])
    vietnamese = pd.to_numeric(texts.where(ambiguous).str.replace(",", ".", regex=False), errors="coerce")
    fraction = ((vietnamese * cells["dong_per_unit"]) % 1).abs() > 1e-9
    fits = _english_fits_totals(cells, ambiguous & (cells["kind"] == "data"), english_vnd - cells["vnd"], acc)
    findings = []
    for i in np.flatnonzero((ambiguous & (fraction | fits)).to_numpy()):
        use_english = bool(fits.iloc[i])
        if use_english:
            cells.iat[i, cells.columns.get_loc("vnd")] = int(english_vnd.iloc[i])
        table = acc.tables[int(cells["t"].iloc[i])]
        key = f"{cells['side'].iloc[i]}|{cells['capital_type'].iloc[i]}|{cells['budget_source'].iloc[i]}"
        column = table.columns[key].describe() if key in table.columns else ""
        text = texts.iloc[i]
        why = ("the sheet's totals match only that reading" if use_english
               else "it gives a fraction of a đồng in this sheet's money unit; check the cell")
        reading = text.replace(",", ".") if use_english else text
        findings.append({"severity": "warning", "check": "ambiguous_number", "unit_code": cells["unit_code"].iloc[i],
                         "line_code": cells["line_code"].iloc[i], "source_file": table.file, "source_sheet": table.sheet,
                         "source_row": int(cells["source_row"].iloc[i]),
                         "message": f"'{text}' in column {column} may be {text} (decimal comma) or {text.replace(',', '.')} "
                                    f"(thousands typed the English way): read as {reading} because {why}",
                         "details": {"variant": "totals" if use_english else "fraction", "text": text,
                                     "column": column, "english": text.replace(",", ".")}})
    return cells, findings


def _english_fits_totals(cells: pd.DataFrame, candidates: pd.Series, delta: pd.Series, acc: _Period) -> pd.Series:
    """Which candidate cells, read the English way (changing their row by ``delta`` đồng), make a
    total or subtotal covering them match its data rows where the Vietnamese reading does not."""
    fits = pd.Series(False, index=cells.index)
    if not candidates.any() or not acc.cover:
        return fits
    cover = pd.DataFrame(acc.cover, columns=["t", "pos", "data_pos"])
    keyed = cells.assign(key=cells["side"] + "|" + cells["capital_type"] + "|" + cells["budget_source"])
    data = keyed[["t", "pos", "key", "vnd"]].rename(columns={"pos": "data_pos"})
    sums = (cover.merge(data, on=["t", "data_pos"]).groupby(["t", "pos", "key"])
            .agg(summed=("vnd", "sum"), n=("vnd", "size")).reset_index())
    stated = keyed[["t", "pos", "key", "vnd"]].rename(columns={"vnd": "stated"})
    gaps = sums.merge(stated, on=["t", "pos", "key"])
    gaps["gap"] = gaps["stated"] - gaps["summed"]
    wanted = keyed[candidates.to_numpy()].assign(delta=delta[candidates.to_numpy()], cell=lambda f: f.index)
    joined = (wanted[["t", "pos", "key", "delta", "cell"]].rename(columns={"pos": "data_pos"})
              .merge(cover, on=["t", "data_pos"]).merge(gaps, on=["t", "pos", "key"]))
    ok = (joined["gap"].abs() > joined["n"]) & ((joined["gap"] - joined["delta"]).abs() <= joined["n"])
    fits[joined.loc[ok, "cell"].unique()] = True
    return fits


def _ambiguous_quantities(rows: pd.DataFrame, acc: _Period, counted: np.ndarray, catalog: Catalog) -> list[dict]:
    """Quantity cells such as "1,150" whose Vietnamese reading is a fraction of a countable unit
    (1,15 nhà): an ``ambiguous_number`` finding (the value is kept as read)."""
    countable = countable_units()
    findings = []
    for key in ("plan_qty", "done_qty"):
        texts = _texts(rows[key])
        hits = texts.str.fullmatch(AMBIGUOUS) & counted
        for i in np.flatnonzero(hits.to_numpy()):
            code = rows["line_code"].iloc[i]
            unit = normalize(rows["measure_unit"].iloc[i]) or (catalog.default_unit(code) if code else "")
            if fold(unit) not in countable:
                continue
            table = acc.tables[int(rows["t"].iloc[i])]
            column = table.columns[key].describe() if key in table.columns else ""
            text = texts.iloc[i]
            findings.append({"severity": "warning", "check": "ambiguous_number", "unit_code": rows["unit_code"].iloc[i],
                             "line_code": code, "source_file": table.file, "source_sheet": table.sheet,
                             "source_row": int(rows["source_row"].iloc[i]),
                             "message": f"'{text}' in column {column} reads as {text} {unit}, a fraction of a countable "
                                        f"unit; if {text.replace(',', '.')} {unit} was meant, type it without the comma",
                             "details": {"variant": "quantity", "text": text, "column": column,
                                         "english": text.replace(",", "."), "measure_unit": unit}})
    return findings


@lru_cache(maxsize=None)
def countable_units() -> frozenset[str]:
    """Physical units counted in whole numbers (``data/countable_units.csv``)."""
    return frozenset(fold(u) for u in resources.table("countable_units.csv")["unit"])


def _row_totals(rows: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """Plan and done total per row: the "Tổng số" cell where there is one, else the sum of the splits."""
    stated = cells[cells["role"] == "total"].pivot_table(index=["t", "pos"], columns="side", values="vnd", aggfunc="sum")
    summed = cells[cells["role"] == "leaf"].pivot_table(index=["t", "pos"], columns="side", values="vnd", aggfunc="sum")
    out = rows[["t", "pos"]].set_index(["t", "pos"])
    for side in ("plan", "done"):
        s = summed[side] if side in summed else pd.Series(dtype="int64")
        st = stated[side] if side in stated else pd.Series(dtype="int64")
        out[f"{side}_total"] = st.reindex(out.index).fillna(s.reindex(out.index)).fillna(0).astype("int64")
        out[f"{side}_split_sum"] = s.reindex(out.index).fillna(0).astype("int64")
        out[f"{side}_has_total"] = st.reindex(out.index).notna()
    return out.reset_index()


def _tidy_rows(rows, cells, plan_qty, done_qty, acc, period, units, catalog) -> pd.DataFrame:
    data = rows["kind"] == "data"
    leaves = cells[(cells["role"] == "leaf") & (cells["kind"] == "data")]
    wide = leaves.pivot_table(index=["t", "pos", "capital_type", "budget_source", "capital_year"], columns="side",
                              values="vnd", aggfunc="sum", fill_value=0).reset_index()
    for side in ("plan", "done"):
        if side not in wide:
            wide[side] = 0
    # A row that fills only "Tổng số" although its sheet has split columns does not split.
    totals = cells[(cells["role"] == "total") & (cells["kind"] == "data")].pivot_table(
        index=["t", "pos"], columns="side", values="vnd", aggfunc="sum", fill_value=0)
    if len(totals):
        for side in ("plan", "done"):
            if side not in totals:
                totals[side] = 0
        split_sum = wide.groupby(["t", "pos"])[["plan", "done"]].sum()
        joined = totals.join(split_sum.add_suffix("_split"), how="left").fillna(0)
        unsplit = joined[((joined["plan_split"] + joined["done_split"]) == 0) & ((joined["plan"] + joined["done"]) > 0)]
        if len(unsplit):
            key = pd.MultiIndex.from_frame(wide[["t", "pos"]])
            wide = wide[~key.isin(unsplit.index)]
            extra = unsplit[["plan", "done"]].reset_index().assign(capital_type="", budget_source="",
                                                                   capital_year=period.year)
            wide = pd.concat([wide, extra], ignore_index=True)
    wide = wide[(wide["plan"] != 0) | (wide["done"] != 0)]
    # Rows of CSV lines that only give quantities still count (a plan quantity without money).
    base = rows.assign(plan_qty=plan_qty, done_qty=done_qty)[data.to_numpy()]
    tidy = base.merge(wide, on=["t", "pos"], how="inner")
    if not len(tidy):
        return empty_tidy()
    # Quantities stand on the first split only: the own year before earlier years, then ĐTPT
    # before SN, NSTW before NSĐP (spec §4.1).
    tidy = tidy.assign(_y=-tidy["capital_year"], _c=tidy["capital_type"].map(SPLIT_ORDER),
                       _b=tidy["budget_source"].map(SPLIT_ORDER)) \
        .sort_values(["t", "pos", "_y", "_c", "_b"], kind="stable")
    later = tidy.duplicated(["t", "pos"])
    tidy.loc[later, ["plan_qty", "done_qty"]] = np.nan
    files, sheets, _ = _where(acc, tidy["t"], "label")
    measure = tidy["measure_unit"].map(normalize)
    defaults = tidy["line_code"].map(lambda c: catalog.default_unit(c) if c else "")
    # The name of the unit the report was matched to (a reused code names the unit of that date).
    names = {row: units.history.at[row, "name"] for row in set(tidy["unit_row"]) if row >= 0}
    return pd.DataFrame({
        "period": str(period),
        "unit_code": tidy["unit_code"].to_numpy(),
        "unit_name": tidy["unit_row"].map(lambda r: names.get(r, "")).to_numpy(),
        "line_code": tidy["line_code"].to_numpy(),
        "capital_type": tidy["capital_type"].to_numpy(),
        "budget_source": tidy["budget_source"].to_numpy(),
        "capital_year": tidy["capital_year"].to_numpy(dtype="int64"),
        "measure_unit": measure.where(measure != "", defaults).to_numpy(),
        "plan_qty": tidy["plan_qty"].to_numpy(dtype="float64"),
        "done_qty": tidy["done_qty"].to_numpy(dtype="float64"),
        "plan_vnd": tidy["plan"].to_numpy(dtype="int64"),
        "disbursed_vnd": tidy["done"].to_numpy(dtype="int64"),
        "source_file": files.to_numpy(),
        "source_sheet": sheets.to_numpy(),
        "source_row": tidy["source_row"].to_numpy(),
        "note": tidy["note"].map(normalize).to_numpy(),
    })


def _structure_checks(rows, cells, totals, acc) -> pd.DataFrame:
    """Totals and subtotals against their data rows; "Tổng số" columns against their splits."""
    parts = []
    if acc.cover:
        cover = pd.DataFrame(acc.cover, columns=["t", "pos", "data_pos"])
        sums = (cover.merge(totals[["t", "pos", "plan_total", "done_total"]].rename(columns={"pos": "data_pos"}),
                            on=["t", "data_pos"])
                .groupby(["t", "pos"]).agg(sum_plan_vnd=("plan_total", "sum"), sum_disbursed_vnd=("done_total", "sum"),
                                           n_rows=("data_pos", "size")).reset_index())
        heads = rows[rows["kind"].isin(["total", "subtotal"])][["t", "pos", "kind", "unit_code", "line_code", "source_row"]]
        heads = heads.merge(totals, on=["t", "pos"]).merge(sums, on=["t", "pos"], how="left")
        heads[["sum_plan_vnd", "sum_disbursed_vnd", "n_rows"]] = heads[["sum_plan_vnd", "sum_disbursed_vnd", "n_rows"]].fillna(0)
        files, sheets, _ = _where(acc, heads["t"], "label")
        parts.append(pd.DataFrame({
            "kind": heads["kind"], "unit_code": heads["unit_code"], "line_code": heads["line_code"],
            "source_file": files, "source_sheet": sheets, "source_row": heads["source_row"], "column": "",
            "stated_plan_vnd": heads["plan_total"], "stated_disbursed_vnd": heads["done_total"],
            "sum_plan_vnd": heads["sum_plan_vnd"], "sum_disbursed_vnd": heads["sum_disbursed_vnd"],
            "n_rows": heads["n_rows"],
        }))
    # "Tổng số" beside split columns must equal their sum wherever the row splits.
    split_rows = rows[rows["t"].map(acc.split_used).astype(bool) & rows["kind"].isin(["data", "subtotal", "total"])]
    both = split_rows.merge(totals, on=["t", "pos"])
    for side, total_key in (("plan", amount_key("plan")), ("done", amount_key("done"))):
        sel = both[both[f"{side}_has_total"] & (both[f"{side}_split_sum"] != 0)]
        if not len(sel):
            continue
        files, sheets, columns = _where(acc, sel["t"], total_key)
        zero = pd.Series(0, index=sel.index)
        parts.append(pd.DataFrame({
            "kind": "split_total", "unit_code": sel["unit_code"], "line_code": sel["line_code"],
            "source_file": files, "source_sheet": sheets, "source_row": sel["source_row"], "column": columns,
            "stated_plan_vnd": sel["plan_total"] if side == "plan" else zero,
            "stated_disbursed_vnd": sel["done_total"] if side == "done" else zero,
            "sum_plan_vnd": sel["plan_split_sum"] if side == "plan" else zero,
            "sum_disbursed_vnd": sel["done_split_sum"] if side == "done" else zero,
            "n_rows": sel["t"].map(lambda t: len(split_columns(acc.tables[t])[0])),
        }))
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True)[CHECK_COLUMNS] if parts else _empty(CHECK_COLUMNS)


def duplicate_errors(tidy: pd.DataFrame, hidden: set[tuple[str, str]] = frozenset()) -> list[InputError]:
    """The same unit and line reported twice in one period: one error per pair of sources. A
    hidden sheet among them is said to be hidden (an officer does not see it in Excel)."""

    dup = tidy[tidy.duplicated(KEY, keep=False)]
    errors, seen = [], set()
    for _, group in dup.groupby(KEY, sort=False, dropna=False):  # an unsplit row's key has empty splits
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            pair = (first["unit_code"], first["source_file"], first["source_sheet"], other["source_file"], other["source_sheet"])
            if pair in seen:
                continue
            seen.add(pair)
            same_sheet = first["source_file"] == other["source_file"] and first["source_sheet"] == other["source_sheet"]
            hint = Phrase("phrase.hidden_hint") if (first["source_file"], first["source_sheet"]) in hidden else ""
            first_sheet = Phrase.of("phrase.in_sheet", sheet=first["source_sheet"], hint=hint) \
                if first["source_sheet"] else ""
            this_hidden = Phrase("phrase.this_hidden") if (other["source_file"], other["source_sheet"]) in hidden else ""
            errors.append(InputError.of(
                "row.twice_in_sheet" if same_sheet else "row.unit_twice", other["source_file"], other["source_sheet"],
                int(other["source_row"]), line=first["line_code"], unit_name=first["unit_name"],
                unit_code=first["unit_code"], first_file=first["source_file"], first_sheet=first_sheet,
                first_row=first["source_row"], second_row=other["source_row"], hidden=this_hidden))
    return errors


def finalize(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Spec §4.1 column order and dtypes; rows sorted by unit, catalog order, split."""
    if len(tidy):
        order = tidy["line_code"].map(lambda c: catalog.order(c) if c in catalog.frame.index else 10_000)
        tidy = (tidy.assign(_order=order, _year=-tidy["capital_year"], _cap=tidy["capital_type"].map(SPLIT_ORDER),
                            _bud=tidy["budget_source"].map(SPLIT_ORDER))
                .sort_values(["unit_code", "_order", "_year", "_cap", "_bud"], kind="stable")
                .drop(columns=["_order", "_year", "_cap", "_bud"]))
    return as_tidy(tidy.reset_index(drop=True))
