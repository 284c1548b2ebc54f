"""Executed notebook -> one self-contained HTML file (spec §5).

nbconvert's ``basic`` template renders the cells (outputs only: no code, no prompts, no injected
parameters); this module wraps them in a small page of its own: compact CSS, a table of contents
built from the headings, and nothing loaded from outside the file (no require.js, no MathJax, no
CDN). Charts are PNGs embedded as ``data:`` URIs. A report weighs a few tens of KB plus its images,
where the ``lab`` template alone adds several hundred KB of CSS and two CDN scripts.
"""
from __future__ import annotations

import html
import re

from .resources import read_text

REMOVE_TAGS = ("injected-parameters", "parameters", "remove-cell")

_HEADING = re.compile(r"<h([1-3])(?P<attrs>[^>]*)>(?P<body>.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def exporter():
    """An nbconvert HTMLExporter set up for code-free reports."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = REMOVE_TAGS
    # papermill's error banner cells are kept: a failed notebook is never published anyway.
    exp = HTMLExporter(config=config, template_name="basic")
    exp.exclude_input = True
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    exp.anchor_link_text = "#"
    exp.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exp


def _toc(body: str) -> tuple[str, str]:
    """Give every h1-h3 an id and return (body, table of contents as nested list HTML)."""
    entries: list[tuple[int, str, str]] = []
    used: set[str] = set()

    def visit(match: re.Match) -> str:
        level = int(match[1])
        attrs, inner = match["attrs"], match["body"]
        text = html.unescape(_TAG.sub("", _ANCHOR.sub("", inner))).strip()
        found = _ID.search(attrs)
        anchor = found[1] if found else ""
        if not anchor or anchor in used:
            base = re.sub(r"[^\w-]+", "-", text, flags=re.UNICODE).strip("-").lower() or "section"
            anchor, n = base, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            attrs = _ID.sub("", attrs) + f' id="{html.escape(anchor)}"'
        used.add(anchor)
        entries.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    body = _HEADING.sub(visit, body)
    items = [f'<li class="toc{level}"><a href="#{html.escape(anchor)}">{html.escape(text)}</a></li>'
             for level, anchor, text in entries if level > 1]
    return body, "<ul>" + "".join(items) + "</ul>" if items else ""


def page(body: str, title: str, lang: str = "vi", toc_title: str | None = None) -> str:
    """A complete HTML page around ``body`` with the package's CSS and a table of contents."""
    body, toc = _toc(body)
    toc_title = toc_title or ("Mục lục" if lang == "vi" else "Contents")
    nav = f'<nav class="toc"><h2 class="toc-title">{html.escape(toc_title)}</h2>{toc}</nav>' if toc else ""
    css = read_text("templates/report.css")
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n"
            f'{nav}\n<main class="report">\n{body}\n</main>\n</body>\n</html>\n')


def notebook_to_html(nb, title: str, lang: str = "vi") -> str:
    """HTML of an executed notebook: outputs only, self-contained."""
    import copy

    body, _resources = exporter().from_notebook_node(copy.deepcopy(nb))
    return page(body, title, lang)


EXTERNAL = re.compile(
    r"""<script[^>]*\bsrc\s*=|<link[^>]*\bhref\s*=\s*["']?(?!#)|url\(\s*["']?(?!data:|#)|@import""",
    re.IGNORECASE)


def external_references(text: str) -> list[str]:
    """Anything in ``text`` that would load a resource from outside the file (used by tests)."""
    return [m[0] for m in EXTERNAL.finditer(text)]
