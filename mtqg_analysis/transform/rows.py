"""Per report sheet, in plain Python (spec §3.1 "Which unit", "Rows", "Totals"): which unit it
belongs to, which catalog line each row is (in the context of the rows above), which rows are
data and which are totals, subtotals or "Trong đó" rows, and which split columns become rows.

The words are data: ``data/row_words.csv`` (total and "of which" rows), ``data/capital_types.csv``.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..domain import resources
from ..domain.catalog import Catalog
from ..domain.periods import Period
from ..domain.schema import SPLIT_ORDER
from ..domain.text import fold, normalize
from ..domain.units import Units
from ..errors import InputError
from ..extract import RawTable
from ..extract.header import CARRIED, OWN_YEAR, amount_parts

BLANKS = {"", "-", "–", "—"}


@lru_cache(maxsize=None)
def _row_words() -> dict[str, set[str]]:
    words: dict[str, set[str]] = {}
    for row in resources.table("row_words.csv").itertuples():
        words.setdefault(row.kind, set()).add(fold(row.word).rstrip(":"))
    return words


@lru_cache(maxsize=None)
def capital_words() -> dict[str, tuple[str, str]]:
    table = resources.table("capital_types.csv")
    return {fold(w): (c, b) for w, c, b in zip(table["word"], table["capital_type"], table["budget_source"])}


@lru_cache(maxsize=None)
def _total_words_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_row_words()["total"], key=len, reverse=True))


def total_scope(label: str, catalog: Catalog) -> str | None:
    """For a total row's label, the catalog line it totals ("" for the whole sheet); None when the
    label is not a total. "Tổng cộng", "Cộng" and "Tổng số" alone or followed by a formula or a
    place ("Tổng cộng (I+II+III)", "TỔNG CỘNG TOÀN XÃ", "Cộng (A+B)") total the sheet; "Cộng Dự án
    4" totals that project (spec §3.1 "Totals")."""
    folded = fold(label).strip(" :.")
    words = _row_words()
    if folded in words["total"]:
        return ""
    for word in _total_words_longest_first():
        if not folded.startswith(word) or len(folded) == len(word) or folded[len(word)].isalnum():
            continue
        rest = folded[len(word):].strip(" :.-–—")
        if rest.startswith("(") or rest.split(" ")[0] in words["total_place"]:
            return ""
        match = catalog.match(rest)
        if match is not None and match.by == "code":
            return match.code
        return None
    return None


def _is_of_which(label: str) -> bool:
    folded = fold(label).lstrip("-+* ")
    return any(folded.startswith(w) for w in _row_words()["of_which"])


def is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or (
        isinstance(value, str) and normalize(value) in BLANKS)


# --- per table: unit, labels, row kinds (plain Python) ---------------------------------------------
def resolve_unit(table: RawTable, units: Units) -> int:
    """The unit a sheet reports for (its row in ``units.history``): its sheet name, else the
    first title cell naming a unit; names are matched among the units in force first."""
    for hint in table.unit_hints:
        row = units.match_row(hint)
        if row is not None:
            return row
    # Name the text that most looks like a unit: a title cell starting with a unit prefix, else the sheet.
    candidates = [h for h in table.unit_hints[1:] if units._bare(h) != fold(h)] or [table.sheet]
    return units.resolve_row(candidates[0], file=table.file, sheet=table.sheet)


Split = tuple[str, str, str]  # capital type, budget source, capital year marker (extract.header)
NO_SPLIT: Split = ("", "", "")


def _amount_keys(table: RawTable, side: str) -> list[Split]:
    return [amount_parts(k)[1:] for k in table.columns if k.startswith(side + "|")]


def _leaves(keys: list[Split]) -> list[Split]:
    """Split keys not covered by a more specific key ("Tổng số" is covered by ĐTPT and SN, and by
    "Vốn năm 2025" and "Vốn năm 2024 kéo dài")."""
    def covers(general, specific):
        return general != specific and all(g in ("", s) for g, s in zip(general, specific))
    return [k for k in keys if not any(covers(k, other) for other in keys)]


def _year_rank(marker: str) -> int:
    """Own year first, then earlier years, latest first (spec §4.1: quantities stand on the first)."""
    if marker in ("", OWN_YEAR):
        return 0
    return 10_000 if marker == CARRIED else 10_000 - int(marker)


def split_columns(table: RawTable) -> tuple[list[Split], bool]:
    """The splits that become tidy rows, and whether the sheet splits at all."""
    plan_keys, done_keys = _amount_keys(table, "plan"), _amount_keys(table, "done")
    plan_leaves, done_leaves = _leaves(plan_keys), _leaves(done_keys)
    common = [k for k in plan_leaves if k in done_leaves]
    if not common and NO_SPLIT in plan_keys and NO_SPLIT in done_keys:
        common = [NO_SPLIT]
    if not common:
        raise InputError.of("sheet.split_mismatch", table.file, table.sheet)
    return (sorted(common, key=lambda k: (_year_rank(k[2]), SPLIT_ORDER[k[0]], SPLIT_ORDER[k[1]])),
            common != [NO_SPLIT])


def capital_years(markers, period: Period, table: RawTable) -> dict[str, int]:
    """The capital year of each year marker of a sheet (spec §3.1): no year or "năm nay" is the
    period's year, "kéo dài" without a year the year before; a year after the period's is an error."""
    years = {}
    for marker in set(markers):
        if marker in ("", OWN_YEAR):
            years[marker] = period.year
        elif marker == CARRIED:
            years[marker] = period.year - 1
        else:
            years[marker] = int(marker)
            if years[marker] > period.year:
                raise InputError.of("sheet.future_year", table.file, table.sheet, year=marker, period_year=period.year)
    return years


def classify_rows(table: RawTable, catalog: Catalog, errors: list[InputError]) -> tuple[list[str], list[str], list[str]]:
    """(kind, line_code, label) per row: kind is data, subtotal, total or skip."""
    number_keys = [k for k in table.columns if "|" in k or k.endswith("_qty")]
    number_values = [table.rows[k].tolist() for k in number_keys]
    raw_labels = table.rows["label"].tolist()
    rows = table.rows["source_row"].tolist()
    label_column = table.columns["label"].describe()
    stt_texts = table.rows["stt"].tolist() if "stt" in table.rows else [None] * len(raw_labels)
    kinds, codes, labels = [], [], []
    context: list[str] = []
    for i, raw in enumerate(raw_labels):
        label = normalize(raw)
        if label == "" and isinstance(stt_texts[i], str) and total_scope(normalize(stt_texts[i]), catalog) is not None:
            label = normalize(stt_texts[i])  # "TỔNG CỘNG" merged across the STT and label columns
        labels.append(label)
        blank_numbers = all(is_blank(values[i]) for values in number_values)
        code = ""
        scope = total_scope(label, catalog) if label else None
        if label == "":
            kind = "skip"
            if not blank_numbers:
                errors.append(InputError.of("row.no_label", table.file, table.sheet, rows[i], label_column))
        elif scope is not None:
            kind, code = "total", scope
        elif _is_of_which(label):
            kind = "skip"
        else:
            match = catalog.match(label, context)
            if match is None:
                kind = "skip"
                if not blank_numbers:
                    errors.append(InputError.of("row.unknown_label", table.file, table.sheet, rows[i], label_column,
                                                label=label))
            else:
                kind, code = "line", match.code
                context = [*reversed(catalog.ancestors(code)), code]
        kinds.append(kind)
        codes.append(code)
    # A line row followed directly by one of its descendants is a subtotal; otherwise it is data.
    lines = [i for i, k in enumerate(kinds) if k == "line"]
    for pos, nxt in zip(lines, lines[1:] + [None]):
        kinds[pos] = "subtotal" if nxt is not None and catalog.is_descendant(codes[nxt], codes[pos]) else "data"
    return kinds, codes, labels


def coverage(kinds: list[str], codes: list[str], catalog: Catalog) -> list[tuple[int, int]]:
    """(total or subtotal position, data position) pairs: what each total should equal."""
    data = [i for i, k in enumerate(kinds) if k == "data"]
    pairs = []
    for pos, kind in enumerate(kinds):
        if kind == "total":  # the whole sheet, or the line a "Cộng Dự án 4" names
            pairs += [(pos, d) for d in data if not codes[pos] or codes[d] == codes[pos]
                      or catalog.is_descendant(codes[d], codes[pos])]
        elif kind == "subtotal":
            pairs += [(pos, d) for d in data if d > pos and catalog.is_descendant(codes[d], codes[pos])]
    return pairs


CONVERSION_CHECKS = {"tcvn3": ("legacy_encoding", "TCVN3 (.VnTime) font text converted to Unicode"),
                     "vni": ("legacy_encoding", "VNI font text converted to Unicode"),
                     "mojibake": ("mojibake_repaired", "UTF-8 text misread as Windows-1252 repaired")}


def conversion_findings(table: RawTable, unit_code: str, shown: int = 12) -> list[dict]:
    """Info findings naming the cells whose legacy-encoded text was converted, one per kind."""
    findings = []
    for kind in sorted({c["kind"] for c in table.conversions}):
        cells = [c for c in table.conversions if c["kind"] == kind]
        check, what = CONVERSION_CHECKS.get(kind, ("legacy_encoding", f"{kind} text converted"))
        listed = ", ".join(f"{c['column']}{c['row']} '{c['before'][:30]}' -> '{c['after'][:30]}'" for c in cells[:shown])
        more = f" and {len(cells) - shown} more" if len(cells) > shown else ""
        findings.append({"severity": "info", "check": check, "unit_code": unit_code, "line_code": "",
                         "source_file": table.file, "source_sheet": table.sheet, "source_row": cells[0]["row"],
                         "message": f"{what} in {len(cells)} cell(s): {listed}{more}",
                         "details": {"variant": kind, "cells": len(cells), "listed": listed + more}})
    return findings
