"""HTML tables of the report: every cell escaped, number columns right-aligned."""
from __future__ import annotations

import html

import pandas as pd

from .format import formatted, is_numeric


def table_html(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None) -> str:
    """An HTML table of ``frame`` in the report's notation (see :func:`.format.formatted`)."""
    shown = formatted(frame, lang, headers)
    numeric = [is_numeric(c) for c in frame.columns]
    num = ' class="num"'
    head = "".join(f"<th{num if numeric[i] else ''}>{html.escape(str(c))}</th>" for i, c in enumerate(shown.columns))
    rows = []
    for values in shown.itertuples(index=False):
        cells = "".join(f"<td{num if numeric[i] else ''}>{html.escape(str(v))}</td>" for i, v in enumerate(values))
        rows.append(f"<tr>{cells}</tr>")
    return (f'<table class="mtqg-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
