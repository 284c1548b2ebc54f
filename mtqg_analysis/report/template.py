"""The report form a unit fills in for a period (``mtqg template``): one workbook per unit that the
reader of spec §3.1 reads back exactly.

A form has an instructions sheet and the unit's report sheet: its title, the period, the line
"Đơn vị tính: triệu đồng", a two-row header the reader recognises (``data/header_words.csv``) and
the catalog lines in report order, grouped by project with subtotal rows and a "Tổng cộng" row as
``SUM`` formulas (saved without values; the reader computes them, :mod:`mtqg_analysis.extract.formulas`).
The lines the unit had in earlier periods of the year are shown, with their plan (quantity and
money, per capital split) from the latest of those periods and, for reference, its year-to-date
disbursement ("Lũy kế kỳ trước", after the columns the reader takes, so it is never read); the
other catalog lines are hidden rows a commune can show (the sheet protection allows formatting
rows). A unit without earlier figures sees the whole catalog.

Only the cells to fill are unlocked (yellow) and accept a number of 0 or more (data validation);
labels, codes, formulas and the reference column are locked by a sheet protection without
password. The words come from ``data/labels.csv`` (``form.*``) and
``data/form_instructions_<lang>.txt``; nothing here writes files: the caller saves the workbook.
"""
from __future__ import annotations

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..domain.catalog import Catalog
from ..domain.labels import check_lang, fill, label
from ..domain.periods import Period, label as period_label
from ..domain.resources import read_text

SPLIT_KEYS = ["capital_type", "budget_source", "capital_year"]
HEADER_ROW = 5  # the form's first header row (two rows: groups, then quantity/amount)
FIRST_LINE_ROW = HEADER_ROW + 2
TO_FILL = PatternFill("solid", fgColor="FFF2CC")
REFERENCE = PatternFill("solid", fgColor="EDEDED")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MONEY_FORMAT = "#,##0.000"
EXCEL_SHEET_NAME = 31  # characters Excel allows in a sheet name
NOT_IN_SHEET_NAME = str.maketrans({c: " " for c in "[]:*?/\\"})


def _splits(rows: pd.DataFrame, year: int) -> list[tuple[str, str, int]]:
    """The amount splits of a unit's form: those its latest figures have, own year first, then
    ĐTPT before SN; one undivided column when they have none."""
    found = rows[SPLIT_KEYS].fillna({"capital_type": "", "budget_source": ""}).drop_duplicates()
    splits = sorted({(c or "", b or "", int(y)) for c, b, y in found.itertuples(index=False)},
                    key=lambda s: (-s[2], s[0], s[1]))
    return splits if splits and splits != [("", "", year)] else []


def _split_header(split: tuple[str, str, int], year: int, years_shown: bool, lang: str) -> str:
    capital, budget, capital_year = split
    words = []
    if years_shown:
        key = "form.split.own_year" if capital_year == year else "form.split.carried"
        words.append(fill(key, lang, year=capital_year))
    words += [label(f"form.split.{part}", lang) for part in (capital, budget) if part]
    return ", ".join(words)


def form_lines(catalog: Catalog, known: list[str]) -> list[tuple[str, int, bool]]:
    """``(line_code, depth, shown)`` of every catalog line in report order: a line is shown when
    it or a line below it is in ``known`` (every line when ``known`` is empty)."""
    wanted = set(known)
    for code in known:
        wanted.update(catalog.ancestors(code))
    out = []

    def visit(code: str, depth: int) -> None:
        out.append((code, depth, not known or code in wanted))
        for child in catalog.children(code):
            visit(child, depth + 1)

    for top in catalog.children(None):
        visit(top, 0)
    return out


def _numbering(lines: list[tuple[str, int, bool]]) -> list[str]:
    """STT of each line: I, II for projects, then 1, 2 / a, b / "-" below, counted among shown lines."""
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
    counters = [0, 0, 0, 0]
    out = []
    for _code, depth, _shown in lines:
        depth = min(depth, 3)
        counters[depth] += 1
        counters[depth + 1:] = [0] * (3 - depth)
        n = counters[depth]
        out.append(romans[n - 1] if depth == 0 and n <= len(romans) else
                   str(n) if depth <= 1 else "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] if depth == 2 else "-")
    return out


def unit_form(unit_code: str, unit_name: str, period: Period, catalog: Catalog, latest: pd.DataFrame,
              known: list[str], previous_label: str = "", lang: str = "vi", book: Workbook | None = None) -> Workbook:
    """The form of one unit for ``period``: a workbook of its own, or its sheet added to ``book``
    (one workbook for several units, :func:`forms_book`).

    ``latest``: the unit's rows of the latest processed period of the year before ``period`` (tidy
    columns; units already placed where they are at ``period``), or an empty frame; ``known``: the
    lines it had a plan for in the year's earlier periods; ``previous_label``: that period's label.
    """
    check_lang(lang)
    year = period.year
    splits = _splits(latest, year)
    years_shown = any(s[2] != year for s in splits)
    lines = form_lines(catalog, known)
    if book is None:
        book = forms_book(period, fill("form.instructions_unit", lang, unit=unit_name, code=unit_code), lang)
    sheet = book.create_sheet(unit_name.translate(NOT_IN_SHEET_NAME)[:EXCEL_SHEET_NAME])

    # Columns: STT, label, measure unit, plan (qty, amounts), done (qty, amounts), reference, note, code.
    amount_heads = ([label("form.total", lang)] + [_split_header(s, year, years_shown, lang) for s in splits]
                    if splits else [None])
    width = len(amount_heads)
    col = {"stt": 1, "label": 2, "measure_unit": 3, "plan_qty": 4}
    col["plan"] = 5
    col["done_qty"] = col["plan"] + width
    col["done"] = col["done_qty"] + 1
    col["previous"] = col["done"] + width
    col["note"] = col["previous"] + 1
    col["code"] = col["note"] + 1

    sheet.cell(1, 1, fill("form.unit_title", lang, unit=unit_name.upper()))
    sheet.cell(2, 1, fill("form.title", lang, programme=catalog.programme_name(lang).upper(),
                          label=period_label(period, lang).upper()))
    sheet.cell(3, 1, fill("form.period_line", lang, label=period_label(period, lang)))
    sheet.cell(4, col["note"], label("form.money_line", lang))
    head, sub = HEADER_ROW, HEADER_ROW + 1
    for key, text in (("stt", "form.stt"), ("label", "form.label"), ("measure_unit", "form.measure_unit"),
                      ("note", "form.note"), ("code", "form.line_code")):
        sheet.cell(head, col[key], label(text, lang))
        sheet.merge_cells(start_row=head, end_row=sub, start_column=col[key], end_column=col[key])
    sheet.cell(head, col["previous"], fill("form.previous", lang, label=previous_label) if previous_label
               else label("form.previous_none", lang))
    sheet.merge_cells(start_row=head, end_row=sub, start_column=col["previous"], end_column=col["previous"])
    for side, group in (("plan", fill("form.plan", lang, year=year)), ("done", label("form.done", lang))):
        first = col[f"{side}_qty"]
        sheet.cell(head, first, group)
        sheet.merge_cells(start_row=head, end_row=head, start_column=first, end_column=first + width)
        sheet.cell(sub, first, label("form.qty", lang))
        for i, text in enumerate(amount_heads):
            sheet.cell(sub, col[side] + i, text or label("form.total" if side == "plan" else "form.disbursed", lang))

    rows = _line_rows(lines)
    total_row = FIRST_LINE_ROW
    sheet.cell(total_row, col["label"], label("form.grand_total", lang))
    by_line = _by_line(latest, splits)
    shown_numbers = iter(_numbering([line for line in lines if line[2]]))
    validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                showErrorMessage=True, errorTitle=label("form.invalid_title", lang),
                                error=label("form.invalid", lang))
    sheet.add_data_validation(validation)
    amount_cols = [col["plan"] + i for i in range(width)] + [col["done"] + i for i in range(width)]
    previous_col = col["previous"]
    for code, depth, shown in lines:
        r = rows[code]
        children = [rows[c] for c in catalog.children(code)]
        sheet.cell(r, col["stt"], next(shown_numbers) if shown else None)
        sheet.cell(r, col["label"], catalog.name(code, "vi"))
        sheet.cell(r, col["code"], code)
        if not shown:
            sheet.row_dimensions[r].hidden = True
        if children:  # a subtotal: the sum of the rows right below it
            for c in amount_cols + [previous_col]:
                letter = get_column_letter(c)
                sheet.cell(r, c, f"=SUM({','.join(f'{letter}{child}' for child in children)})")
            sheet.cell(r, col["label"]).font = Font(bold=True)
            continue
        known_line = by_line.get(code, {})
        sheet.cell(r, col["measure_unit"], known_line.get("measure_unit") or catalog.default_unit(code) or None)
        inputs = [col["plan_qty"], col["done_qty"]]
        for side in ("plan", "done"):
            first = col[side] + (1 if splits else 0)
            inputs += list(range(first, first + (len(splits) or 1)))
            if splits:  # "Tổng số" of a split row: the sum of its splits
                sheet.cell(r, col[side], f"=SUM({get_column_letter(first)}{r}:{get_column_letter(col[side] + width - 1)}{r})")
        if known_line:
            sheet.cell(r, col["plan_qty"], known_line["plan_qty"])
            for i, value in enumerate(known_line["plan"]):
                sheet.cell(r, col["plan"] + (1 if splits else 0) + i, value)
            sheet.cell(r, previous_col, known_line["disbursed"])
        for c in inputs:
            cell = sheet.cell(r, c)
            cell.protection = Protection(locked=False)
            cell.fill = TO_FILL
            validation.add(cell.coordinate)
        note = sheet.cell(r, col["note"])
        note.protection = Protection(locked=False)
        note.fill = TO_FILL
    projects = [rows[c] for c in catalog.children(None)]
    for c in amount_cols + [previous_col]:
        letter = get_column_letter(c)
        sheet.cell(total_row, c, f"=SUM({','.join(f'{letter}{p}' for p in projects)})")
    _style(sheet, col, amount_cols + [previous_col], total_row, max(rows.values(), default=total_row))
    return book


def _line_rows(lines: list[tuple[str, int, bool]]) -> dict[str, int]:
    """The row of each line: below the "Tổng cộng" row, in report order."""
    return {code: FIRST_LINE_ROW + 1 + i for i, (code, _depth, _shown) in enumerate(lines)}


def _by_line(latest: pd.DataFrame, splits: list[tuple[str, str, int]]) -> dict[str, dict]:
    """What the form shows of each line already known: measure unit, planned quantity, plan per
    split (triệu đồng) and year-to-date disbursement (triệu đồng)."""
    out: dict[str, dict] = {}
    if not len(latest):
        return out
    keys = latest[SPLIT_KEYS].fillna({"capital_type": "", "budget_source": ""})
    frame = latest.assign(_split=list(zip(keys["capital_type"], keys["budget_source"], keys["capital_year"].astype(int))))
    for code, rows in frame.groupby("line_code", sort=False):
        plan_vnd = rows.groupby("_split")["plan_vnd"].sum()
        plan = ([int(plan_vnd.get(s, 0)) / 1e6 for s in splits] if splits else [int(rows["plan_vnd"].sum()) / 1e6])
        quantity = rows["plan_qty"].dropna()
        units = [u for u in rows["measure_unit"].fillna("") if u]
        out[str(code)] = {"plan": plan, "plan_qty": float(quantity.sum()) if len(quantity) else None,
                          "disbursed": int(rows["disbursed_vnd"].sum()) / 1e6,
                          "measure_unit": units[0] if units else ""}
    return out


def _style(sheet, col: dict[str, int], money_cols: list[int], first: int, last: int) -> None:
    """Borders, number formats, widths, print setup and the protection of the report sheet."""
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=last, min_col=1, max_col=col["code"]):
        for cell in row:
            cell.border = BOX
            if cell.row <= HEADER_ROW + 1:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            elif cell.column in money_cols:
                cell.number_format = MONEY_FORMAT
            elif cell.column == col["label"]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in range(first, last + 1):
        sheet.cell(r, col["previous"]).fill = REFERENCE
    sheet.cell(first, col["label"]).font = Font(bold=True)
    for r in (1, 2):
        sheet.cell(r, 1).font = Font(bold=True)
    widths = {col["stt"]: 6, col["label"]: 60, col["measure_unit"]: 11, col["note"]: 24}
    for c in range(1, col["code"] + 1):
        sheet.column_dimensions[get_column_letter(c)].width = widths.get(c, 14)
    sheet.column_dimensions[get_column_letter(col["code"])].hidden = True
    sheet.freeze_panes = sheet.cell(FIRST_LINE_ROW, col["measure_unit"])
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    # Locked cells keep labels, codes and formulas; formatting rows stays allowed so that a
    # commune can show (unhide) a catalog line its form hides. No password (README).
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False


def forms_book(period: Period, who: str, lang: str = "vi") -> Workbook:
    """A workbook holding the instructions sheet only, for :func:`unit_form` to add units' sheets
    to; ``who``: the line naming the unit (or the units) it is for."""
    book = Workbook()
    sheet = book.active
    sheet.title = label("form.sheet_instructions", lang)
    text = read_text(f"form_instructions_{lang}.txt").format(
        label_upper=period_label(period, lang).upper(), who=who, period=str(period))
    for r, line in enumerate(text.splitlines(), start=1):
        sheet.cell(r, 1, line or None).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(1, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True
    return book


def known_lines(earlier: pd.DataFrame) -> pd.DataFrame:
    """``unit_code, line_code`` of the lines each unit had a plan (or a disbursement) for in the
    year's earlier periods (``earlier``: their tidy rows, placed where the units are now)."""
    if not len(earlier):
        return pd.DataFrame({"unit_code": pd.Series(dtype="string"), "line_code": pd.Series(dtype="string")})
    used = earlier[(earlier["plan_vnd"] > 0) | (earlier["disbursed_vnd"] > 0) | (earlier["plan_qty"] > 0)]
    return used[["unit_code", "line_code"]].drop_duplicates().reset_index(drop=True)
