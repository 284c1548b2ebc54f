"""Executed notebook -> one self-contained HTML page (spec §5).

nbconvert's ``basic`` template renders the cells (outputs only: no code, no prompts, no injected
parameters); the page around them is ``data/templates/page.html.j2`` (Jinja2): compact CSS, a
table of contents built from the headings, and nothing loaded from outside the file (no
require.js, no MathJax, no CDN). Charts are PNGs embedded as ``data:`` URIs.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

from ..domain.labels import label
from ..domain.resources import read_text

REMOVE_TAGS = ("injected-parameters", "parameters", "remove-cell")

_HEADING = re.compile(r"<h([1-3])(?P<attrs>[^>]*)>(?P<body>.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=None)
def templates():
    """The Jinja2 environment of ``data/templates/`` (HTML autoescaped)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FunctionLoader(lambda name: read_text(f"templates/{name}")),
                              autoescape=True, keep_trailing_newline=True)


# The preprocessors that change what a report shows; nbconvert's others are off for HTML, yet
# each of them would cost a validation of the whole notebook per page.
PREPROCESSORS = ["nbconvert.preprocessors.TagRemovePreprocessor", "nbconvert.preprocessors.CoalesceStreamsPreprocessor"]
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)", re.IGNORECASE)


@lru_cache(maxsize=None)
def exporter():
    """An nbconvert HTMLExporter set up for code-free reports, one per process: a new one compiles
    its Jinja2 templates again, a tenth of a second a page (each call converts a copy of its
    notebook and keeps nothing of it)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from traitlets.config import Config

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter's own, but for its last step: parsing the whole page again with
            # BeautifulSoup, to give images without alt text nbconvert's placeholder and the
            # lab template's input and output areas a tabindex (the basic template has none).
            # On a scorecard that parse was a third of the conversion; a regex gives the alt.
            lexer = nb.metadata.get("language_info", {}).get("pygments_lexer")
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _IMG_WITHOUT_ALT.sub('<img alt="No description has been provided for this image"', body), resources

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = REMOVE_TAGS
    config.HTMLExporter.default_preprocessors = PREPROCESSORS
    # papermill's error banner cells are kept: a failed notebook is never published anyway.
    exp = ReportExporter(config=config, template_name="basic")
    exp.exclude_input = True
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    exp.anchor_link_text = "#"
    return exp


def with_anchors(body: str) -> tuple[str, list[dict]]:
    """Give every h1-h3 an id; return the body and the table of contents (h2 and h3 entries)."""
    entries: list[dict] = []
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
        if level > 1:
            entries.append({"level": level, "anchor": html.unescape(anchor), "text": text})
        return f"<h{level}{attrs}>{inner}</h{level}>"

    return _HEADING.sub(visit, body), entries


@lru_cache(maxsize=None)
def stylesheet(name: str) -> Markup:
    """``data/templates/<name>``, a stylesheet to put in a ``<style>`` of a template: the page's
    own, or one a block carries inside it (the headline, the ranking bars) so that it also draws
    where the page's is missing, as in JupyterLab. Read once a process, like the templates: every
    scorecard carries two."""
    return Markup(read_text(f"templates/{name}"))


def page(body: str, title: str, lang: str = "vi", template: str = "page.html.j2", **context) -> str:
    """A complete HTML page around ``body`` (trusted HTML: nbconvert's output, whose data text is
    already escaped) with the package's CSS and a table of contents. ``nav``: links shown above
    and below the page (``href``, ``text``, ``rel``), e.g. to the index and the other periods."""
    body, toc = with_anchors(body)
    context.setdefault("nav", [])
    return templates().get_template(template).render(
        lang=lang, title=title, css=stylesheet("report.css"), body=Markup(body), toc=toc,
        toc_title=label("text.toc_title", lang), nav_label=label("nav.label", lang), **context)


def notebook_to_html(nb, title: str, lang: str = "vi", **context) -> str:
    """HTML of an executed notebook: outputs only, self-contained (``context``: see :func:`page`).
    ``nb`` is left as it is: nbconvert converts a copy of it."""
    body, _resources = exporter().from_notebook_node(nb)
    return page(body, title, lang, **context)


EXTERNAL = re.compile(
    r"""<script[^>]*\bsrc\s*=|<link[^>]*\bhref\s*=\s*["']?(?!#)|url\(\s*["']?(?!data:|#)|@import""",
    re.IGNORECASE)


def external_references(text: str) -> list[str]:
    """Anything in ``text`` that would load a resource from outside the file (used by tests)."""
    return [m[0] for m in EXTERNAL.finditer(text)]
