"""Showing the report in a notebook: headings, text, tables and figures as IPython outputs.

Text that comes from the data (names, notes) is escaped wherever it is shown: a note reading
``<script>`` is shown as text, never run.
"""
from __future__ import annotations

import base64
import html
import io

import pandas as pd

from ..domain.labels import label
from .tables import table_html


def show_markdown(text: str) -> None:
    """Display markdown whose content may come from the data: ``<``, ``>`` and ``&`` are escaped,
    so that markdown formatting works but no HTML from the data is ever interpreted."""
    from IPython.display import Markdown, display

    display(Markdown(html.escape(text, quote=False)))


def section(key: str, lang: str = "vi", level: int = 2) -> None:
    """Display the heading ``section.<key>`` (it also becomes an entry of the table of contents)."""
    show_markdown("#" * level + " " + label(f"section.{key}", lang))


def show_table(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None, empty: str | None = None) -> None:
    """Display ``frame`` as an HTML table in the report's notation; ``empty`` (default the label
    ``text.nothing``) when it has no rows."""
    from IPython.display import HTML, display

    if frame.empty:
        show_markdown(empty or label("text.nothing", lang))
        return
    display(HTML(table_html(frame, lang, headers)))


def show_figure(fig, alt: str = "") -> None:
    """Display a matplotlib figure as an embedded PNG with alt text (default: its title)."""
    from IPython.display import display

    alt = alt or next((ax.get_title() for ax in fig.axes if ax.get_title()), "")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    display({"image/png": data, "text/plain": alt or "figure"}, metadata={"image/png": {"alt": alt}}, raw=True)
