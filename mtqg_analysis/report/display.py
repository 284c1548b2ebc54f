"""Showing the report in a notebook: headings, text, tables and figures as IPython outputs.

Text that comes from the data (names, notes) is escaped wherever it is shown: a note reading
``<script>`` is shown as text, never run. Tables and figures are numbered in the order they are
shown ("Bảng 3. …", "Hình 2. …") by one :class:`Captions` per report.
"""
from __future__ import annotations

import base64
import html
import io

import pandas as pd

from ..domain.labels import fill, label
from .tables import table_html


class Captions:
    """Numbers the tables and figures of one report: ``captions.table("tree")`` is
    "Bảng 1. <the caption.tree label>", the next table "Bảng 2. …"."""

    def __init__(self, lang: str = "vi"):
        self.lang = lang
        self.tables = 0
        self.figures = 0

    def table(self, key: str, **values) -> str:
        self.tables += 1
        return fill("caption.table", self.lang, n=self.tables, text=fill(f"caption.{key}", self.lang, **values))

    def figure(self, key: str, **values) -> str:
        self.figures += 1
        return fill("caption.figure", self.lang, n=self.figures, text=fill(f"caption.{key}", self.lang, **values))


def show_markdown(text: str) -> None:
    """Display markdown whose content may come from the data: ``<``, ``>`` and ``&`` are escaped,
    so that markdown formatting works but no HTML from the data is ever interpreted."""
    from IPython.display import Markdown, display

    display(Markdown(html.escape(text, quote=False)))


def show_html(*trusted: str) -> None:
    """Display HTML made by this package (templates autoescape the data's text); several parts are
    shown as one output: a heading with its table costs one message from the kernel, not two."""
    from IPython.display import HTML, display

    display(HTML("".join(trusted)))


def heading_html(key: str, lang: str = "vi", level: int = 2) -> str:
    """The heading ``section.<key>`` (it also becomes an entry of the table of contents)."""
    return f"<h{level}>{html.escape(label(f'section.{key}', lang))}</h{level}>"


def section(key: str, lang: str = "vi", level: int = 2) -> None:
    """Display the heading ``section.<key>`` on its own (see :func:`heading_html`)."""
    show_html(heading_html(key, lang, level))


def paragraph_html(text: str) -> str:
    """Text as a paragraph, escaped (it may come from the data); nothing for no text."""
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""


def table_or_text_html(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None, empty: str | None = None,
                       **options) -> str:
    """``frame`` as an HTML table in the report's notation; ``empty`` (default the label
    ``text.nothing``) when it has no rows. ``options`` go to :func:`.tables.table_html`
    (``caption``, ``total``, ``total_label``, ``row_classes``, ``links``)."""
    if frame.empty:
        return paragraph_html(empty or label("text.nothing", lang))
    if options.get("total") is not None and not options.get("total_label"):
        options["total_label"] = label("text.total", lang)
    return table_html(frame, lang, headers, **options)


def show_table(frame: pd.DataFrame, lang: str = "vi", headers: dict | None = None, empty: str | None = None,
               **options) -> None:
    """Display :func:`table_or_text_html`."""
    show_html(table_or_text_html(frame, lang, headers, empty, **options))


def figure_html(fig, caption: str = "", alt: str = "", css_class: str = "") -> str:
    """A matplotlib figure as an embedded PNG in a ``<figure>`` with its caption below."""
    alt = alt or caption or next((ax.get_title() for ax in fig.axes if ax.get_title()), "")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    width = round(fig.get_figwidth() * 96)
    caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    cls = " ".join(["chart", css_class]).strip()
    return (f'<figure class="{cls}"><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
            f'style="width:{width}px">{caption_html}</figure>')


def show_figure(fig, alt: str = "", caption: str = "", css_class: str = "") -> None:
    """Display a matplotlib figure as an embedded PNG with alt text (default: its caption)."""
    show_html(figure_html(fig, caption, alt, css_class))
