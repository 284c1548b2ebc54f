"""``reports/<period>/summary.xlsx``: the report's main tables for people who work in Excel, ready
to print.

The first sheet, "Tổng hợp", holds the headline figures and section 2 of the notice; then one sheet
per table (projects, sub-projects and lines in one tree; the ranking with the district's own budget
apart; the year's own and carried-over capital where the reports split them; units by place where
more than one level reports; full and no disbursement; notes; data quality). Each table sheet has title rows (what, where,
which period, the money unit), a header row repeated on every printed page, a "Tổng cộng" row,
wrapped labels, and prints landscape on A4, fitted to the page width. Every cell has an explicit
font with Vietnamese glyphs (Times New Roman), so no program falls back to one that lacks them.
Amounts are in triệu đồng with "#,##0.###" formats and rates as percentages, so Excel shows them
in the reader's own locale. Text that Excel would run as a formula is written as text with a
leading apostrophe. The figures are those of :mod:`mtqg_analysis.analysis`, as in the HTML report.
:func:`summary_workbook` returns the workbook; the caller saves it (atomically).
"""
from __future__ import annotations

import pandas as pd

from .. import analysis
from ..domain.labels import fill, label
from ..domain.notation import amount, percent
from ..domain.periods import label as period_label
from ..domain.text import spreadsheet_safe
from .findings import findings_table
from .format import RANKING_COLUMNS, column_kind, header, level_columns, short_line_name
from .headline import capital_table, place_table, place_words, programme_name
from .notice import narrative
from .word import paragraphs, plain_text

AMOUNT_FORMAT = "#,##0.###"
RATE_FORMAT = "0.00%"
QTY_FORMAT = "#,##0.##"
FORMATS = {"amount": AMOUNT_FORMAT, "rate": RATE_FORMAT, "quantity": QTY_FORMAT, "points": "0.00"}
FONT_NAME = "Times New Roman"  # has every Vietnamese glyph, on Windows, macOS and LibreOffice alike
WIDE_COLUMNS = {"name": 48, "unit_name": 28, "message": 60, "note": 45, "full": 40, "none": 40, "where": 40,
                "check": 24}
TITLE_ROWS = 4  # title, place and period, money unit, blank; the header is the row after


def sheets(year, lang: str = "vi") -> dict[str, tuple[pd.DataFrame, dict | None, list[str]]]:
    """The table sheets: ``{name: (table, total row or None, row levels)}``, as numbers."""
    funding, units, catalog = year.funding, year.units, year.catalog
    carried = analysis.has_carried(funding)
    tree = analysis.by_tree(funding, catalog, lang, carried)
    place = analysis.place_of(funding, units)
    own = analysis.own_budget(funding, units)
    own = own.assign(rank=pd.NA, unit_name=[f"{place_words(place, lang)['own']} ({n})" for n in own["unit_name"]])
    ranking = pd.concat([analysis.ranking(funding, units)[RANKING_COLUMNS], own[RANKING_COLUMNS]], ignore_index=True)
    full_none = analysis.full_and_none(funding, catalog, units, lang)
    full_none = full_none.assign(name=[short_line_name(c, catalog, lang) for c in full_none["code"]])
    notes = analysis.unit_notes(funding)
    notes = notes.assign(name=[short_line_name(c, catalog, lang) if c in catalog.frame.index else c
                               for c in notes["line_code"]])
    whole = dict(analysis.total(funding))
    out = {
        label("sheet.tree", lang): (tree[level_columns(carried)], whole, list(tree["level"])),
        label("sheet.units", lang): (ranking, whole, []),
    }
    if carried:
        out[label("sheet.capital", lang)] = (capital_table(funding, year.period, lang), None, [])
    if units is not None and len(funding) and analysis.has_levels(funding, units):
        out[label("sheet.places", lang)] = (place_table(funding, units, lang), None, [])
    return out | {
        label("sheet.full_none", lang): (full_none[["name", "code", "full", "none"]], None, []),
        label("sheet.notes", lang): (analysis.by_name(notes)[["unit_name", "name", "note"]], None, []),
        label("sheet.quality", lang): (findings_table(year.quality, units, catalog, lang), None, []),
    }


def _cell(value, kind: str):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "amount":
        return int(value) / 1_000_000
    if kind in ("rate", "quantity", "points"):
        return float(value)
    if kind == "integer":
        return int(value)
    if kind == "period":
        return str(value)
    return spreadsheet_safe(str(value))


class _Styles:
    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="999999")
        self.font = Font(name=FONT_NAME, size=11)
        self.bold = Font(name=FONT_NAME, size=11, bold=True)
        self.italic = Font(name=FONT_NAME, size=11, italic=True)
        self.title = Font(name=FONT_NAME, size=14, bold=True)
        self.subtitle = Font(name=FONT_NAME, size=12, italic=True)
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.head_fill = PatternFill("solid", fgColor="E8EDF2")
        self.total_fill = PatternFill("solid", fgColor="F3F6F9")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.head = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.number = Alignment(vertical="top", horizontal="right")


def _print_setup(sheet, lang: str, header_row: int | None) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = label("excel.page", lang)
    sheet.oddFooter.center.font = FONT_NAME
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def _titles(sheet, title: str, subtitle: str, lang: str, width: int, st: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    last = get_column_letter(max(width, 1))
    for row, (text, font) in enumerate(((title, st.title), (subtitle, st.subtitle),
                                        (label("excel.money_unit", lang), st.italic)), start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = st.wrap
        sheet.merge_cells(f"A{row}:{last}{row}")
    sheet.row_dimensions[1].height = 36


def _table_sheet(book, name: str, table: pd.DataFrame, total: dict | None, levels: list[str], title: str,
                 subtitle: str, lang: str, st: _Styles) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name[:31])
    columns = list(table.columns)
    kinds = [column_kind(c) for c in columns]
    _titles(sheet, f"{title}: {name}", subtitle, lang, len(columns), st)
    head = TITLE_ROWS + 1
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=head, column=index, value=header(column, lang))
        cell.font, cell.alignment, cell.border, cell.fill = st.bold, st.head, st.border, st.head_fill
    sheet.row_dimensions[head].height = 32
    records = []
    if total is not None:
        first_text = next((i for i, k in enumerate(kinds) if k == "text"), 0)
        records.append(([label("text.total", lang) if i == first_text else
                         (None if c in ("code", "unit_code", "rank", "measure_unit") or kinds[i] == "text"
                          else total.get(c)) for i, c in enumerate(columns)], "total"))
    for values, level in zip(table.itertuples(index=False), levels or [""] * len(table)):
        records.append((list(values), level))
    for row, (values, level) in enumerate(records, start=head + 1):
        for index, (value, kind) in enumerate(zip(values, kinds), start=1):
            cell = sheet.cell(row=row, column=index, value=_cell(value, kind))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cell.font = st.bold if level in ("total", "project") else (st.italic if level == "subproject" else st.font)
            cell.border = st.border
            cell.alignment = st.number if kind != "text" and kind != "period" else st.wrap
            if kind in FORMATS:
                cell.number_format = FORMATS[kind]
            if level == "total":
                cell.fill = st.total_fill
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDE_COLUMNS.get(column, 14)
    sheet.freeze_panes = f"A{head + 1}"
    _print_setup(sheet, lang, head)


def _summary_sheet(book, year, lang: str, title: str, subtitle: str, st: _Styles) -> None:
    """The headline figures and section 2 of the notice, one paragraph a row, wrapped."""
    sheet = book.create_sheet(label("sheet.summary", lang)[:31])
    overview = analysis.overview(year.funding, year.units, year.catalog, year.period, lang)
    words = place_words(overview.place, lang)
    _titles(sheet, title, subtitle, lang, 2, st)
    row = TITLE_ROWS + 1
    sheet.cell(row=row, column=1, value=label("excel.headline", lang)).font = st.bold
    figures = [
        (label("headline.kpi_plan", lang), overview.whole["plan_vnd"], "amount"),
        (label("headline.kpi_disbursed", lang), overview.whole["disbursed_vnd"], "amount"),
        (label("headline.kpi_rate", lang), overview.whole["financial_rate"], "rate"),
        (label("headline.kpi_remaining", lang), overview.remaining_vnd, "amount"),
    ]
    for text, value, kind in figures:
        row += 1
        name = sheet.cell(row=row, column=1, value=text)
        number = sheet.cell(row=row, column=2, value=_cell(value, kind))
        name.font, number.font = st.font, st.bold
        name.border = number.border = st.border
        number.number_format, number.alignment = FORMATS[kind], st.number
    state = fill("headline.communes", lang, count=overview.commune_count,
                 plan=amount(overview.communes["plan_vnd"], lang),
                 disbursed=amount(overview.communes["disbursed_vnd"], lang),
                 rate=percent(overview.communes["financial_rate"], lang))
    lines = [state] + [fill("headline.own", lang, own=words["own"], name=o.unit_name, plan=amount(o.plan_vnd, lang),
                            disbursed=amount(o.disbursed_vnd, lang), rate=percent(o.financial_rate, lang))
                       for o in overview.own.itertuples()]
    text = narrative(year.funding, year.period, previous=year.previous, units=year.units, catalog=year.catalog,
                     lang=lang)
    lines += [""] + [plain_text(p) for p in paragraphs(text)]
    for line in lines:
        row += 1
        cell = sheet.cell(row=row, column=1, value=line or None)  # our own text: "- Nội dung ..." stays as it is
        cell.font, cell.alignment = st.font, st.wrap
        if cell.value is not None:
            cell.data_type = "s"
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        # a merged cell does not grow by itself: about 150 characters fit a line of the two columns
        sheet.row_dimensions[row].height = 15 * max(1, -(-len(line) // 150))
    sheet.column_dimensions["A"].width = 90
    sheet.column_dimensions["B"].width = 22
    _print_setup(sheet, lang, None)
    sheet.page_setup.orientation = "portrait"


def summary_workbook(year, lang: str = "vi"):
    """The summary workbook (an openpyxl ``Workbook``) of a period, from ``year`` (a loaded
    :class:`mtqg_analysis.store.YearData`)."""
    from openpyxl import Workbook

    st = _Styles()
    book = Workbook()
    book.remove(book.active)
    place = analysis.place_of(year.funding, year.units)
    report = fill("section.report", lang, programme=programme_name(year.catalog, lang))
    title = fill("headline.title", lang, report=report, place=place["name"]) if place else report
    subtitle = fill("text.year_to_date", lang, label=period_label(year.period, lang))
    _summary_sheet(book, year, lang, title, subtitle, st)
    for name, (table, total, levels) in sheets(year, lang).items():
        _table_sheet(book, name, table, total, levels, title, subtitle, lang, st)
    return book
