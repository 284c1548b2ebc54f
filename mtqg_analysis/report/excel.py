"""``reports/<period>/summary.xlsx``: the report's main tables for people who work in Excel.

One sheet per table (by project, by sub-project, by content, units, full/no disbursement, notes,
quality; the own-year and carried-over capital where the reports split them, units by place where
more than one level reports), headers and sheet names from ``data/labels.csv``, amounts in triệu đồng with
"#,##0.###" formats and rates as percentages, so Excel shows them in the reader's own locale.
Text that Excel would run as a formula is written as text with a leading apostrophe. The figures
are those of :mod:`mtqg_analysis.analysis`, as in the HTML report. :func:`summary_workbook` returns
the workbook; the caller saves it (atomically).
"""
from __future__ import annotations

import pandas as pd

from .. import analysis
from ..domain.catalog import Catalog
from ..domain.labels import label
from ..domain.text import spreadsheet_safe
from ..domain.units import Units
from .format import RANKING_COLUMNS, column_kind, header, level_columns

AMOUNT_FORMAT = "#,##0.###"
RATE_FORMAT = "0.00%"
QTY_FORMAT = "#,##0.##"
FORMATS = {"amount": AMOUNT_FORMAT, "rate": RATE_FORMAT, "quantity": QTY_FORMAT}
WIDE_COLUMNS = {"name", "message", "note", "full", "none"}


def sheets(funding: pd.DataFrame, quality: pd.DataFrame, units: Units | None = None,
           catalog: Catalog | None = None, lang: str = "vi") -> dict[str, pd.DataFrame]:
    """The tables of the workbook, by sheet name, as numbers (not formatted text)."""
    from .headline import capital_table, place_table

    carried = analysis.has_carried(funding)
    columns = level_columns(carried)
    out = {
        label("sheet.projects", lang): analysis.by_level(funding, "project", catalog, lang, carried)[columns],
        label("sheet.subprojects", lang): analysis.by_level(funding, "subproject", catalog, lang, carried)[columns],
        label("sheet.lines", lang): analysis.by_level(funding, "line", catalog, lang, carried)[columns],
        label("sheet.units", lang): analysis.ranking(funding, units)[RANKING_COLUMNS],
    }
    if carried:
        out[label("sheet.capital", lang)] = capital_table(funding, analysis.period_of(funding), lang)
    if units is not None and len(funding) and analysis.has_levels(funding, units):
        out[label("sheet.places", lang)] = place_table(funding, units, lang)
    out.update({
        label("sheet.full_none", lang): analysis.full_and_none(funding, catalog, units, lang),
        label("sheet.notes", lang): analysis.unit_notes(funding),
        label("sheet.quality", lang): quality,
    })
    return out


def _cell(value, kind: str):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "amount":
        return int(value) / 1_000_000
    if kind in ("rate", "quantity", "points"):
        return float(value)
    if kind == "integer":
        return int(value)
    return spreadsheet_safe(str(value))


def summary_workbook(funding: pd.DataFrame, quality: pd.DataFrame, units: Units | None = None,
                     catalog: Catalog | None = None, lang: str = "vi"):
    """The summary workbook (an openpyxl ``Workbook``) of a period's tables."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets(funding, quality, units, catalog, lang).items():
        sheet = book.create_sheet(title[:31])
        columns = list(frame.columns)
        kinds = [column_kind(c) for c in columns]
        sheet.append([header(c, lang) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for values in frame.itertuples(index=False):
            sheet.append([_cell(v, kind) for v, kind in zip(values, kinds)])
        for index, (column, kind) in enumerate(zip(columns, kinds), start=1):
            letter = get_column_letter(index)
            number_format = FORMATS.get(kind)
            for cell in sheet[letter][1:]:
                if number_format:
                    cell.number_format = number_format
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
            sheet.column_dimensions[letter].width = 60 if column in WIDE_COLUMNS else 16
        sheet.freeze_panes = "A2"
    return book
