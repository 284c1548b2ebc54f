"""HTML tables of the report, as an annex of an official notice sets them: a numbered caption
with the money unit, names before codes, a "Tổng cộng" row, number columns right-aligned.

Every cell is escaped. Each table sits in its own scroll box (``div.table-wrap``), so that on a
phone the table scrolls sideways and the page does not. Where a table has a name, its code column
folds into the name cell (``span.code``, a small grey line under the name): no column of internal
codes takes the width the names and figures need.
"""
from __future__ import annotations

import html

import pandas as pd

from .format import column_texts, formatted_columns, is_numeric

#: Columns holding a name, and the column with the code that folds into it on a phone.
NAME_COLUMNS = ("name", "unit_name")
CODE_COLUMNS = ("code", "unit_code")


def _cell(tag: str, text: str, classes: list[str]) -> str:
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return f"<{tag}{cls}>{text}</{tag}>"


def table_html(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None, *,
               caption: str = "", total: dict | None = None, total_label: str = "",
               row_classes: list[str] | None = None, links: dict[int, str] | None = None,
               css_class: str = "") -> str:
    """An HTML table of ``frame`` in the report's notation (see :func:`.format.formatted`).

    ``caption``: the numbered caption above the table. ``total``: the values of a "Tổng cộng"
    row (by column; ``total_label`` goes in the first text column). ``row_classes``: a CSS class
    per row (levels of a catalog tree). ``links``: ``{row position: href}`` for the name cell."""
    name_column = next((c for c in NAME_COLUMNS if c in frame.columns), None)
    code_column = next((c for c in CODE_COLUMNS if c in frame.columns), None)
    codes = list(frame[code_column].astype(str)) if code_column else []
    if name_column is not None and code_column is not None:
        frame = frame.drop(columns=code_column)
    columns = list(frame.columns)
    names, texts = formatted_columns(frame, lang, headers)  # formatted() without its DataFrame
    numeric = [is_numeric(c) for c in columns]

    def classes(i: int) -> list[str]:
        out = ["num"] if numeric[i] else []
        if columns[i] == name_column:
            out.append("name-col")
        return out

    head = "".join(_cell("th", html.escape(str(c)), classes(i)) for i, c in enumerate(names))
    rows = []
    if total is not None:
        total_texts = [column_texts(c, [total.get(c)], lang)[0] for c in columns]
        first_text = next((i for i, n in enumerate(numeric) if not n), 0)
        cells = []
        for i, value in enumerate(total_texts):
            text = total_label if i == first_text else ("" if columns[i] in (code_column, "rank") else value)
            cells.append(_cell("td", html.escape(str(text)), classes(i)))
        rows.append(f'<tr class="total">{"".join(cells)}</tr>')
    for r, values in enumerate(zip(*texts)):
        cells = []
        for i, value in enumerate(values):
            text = html.escape(str(value))
            if columns[i] == name_column:
                if links and r in links:
                    text = f'<a href="{html.escape(links[r])}">{text}</a>'
                if codes and codes[r]:
                    text += f' <span class="code">{html.escape(codes[r])}</span>'
            cells.append(_cell("td", text, classes(i)))
        row_class = f' class="{html.escape(row_classes[r])}"' if row_classes and row_classes[r] else ""
        rows.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    caption_html = f'<p class="caption">{html.escape(caption)}</p>' if caption else ""
    table_class = " ".join(["mtqg-table", css_class]).strip()
    return (f'<figure class="table-block">{caption_html}<div class="table-wrap"><table class="{table_class}">'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></figure>')
