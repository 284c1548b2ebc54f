"""``jupyter nbconvert --to mtqg-html out.ipynb``: the page ``mtqg report`` writes, from any executed
notebook of ``notebooks/`` (README "Plain papermill").

An analyst who runs our notebooks with their own papermill gets, through this exporter (registered
in ``pyproject.toml`` under ``nbconvert.exporters``), the same self-contained HTML as ``mtqg report``:
outputs only, no code, nothing loaded from outside the file. The page is
:func:`mtqg_analysis.report.page.notebook_to_html`, the one ``mtqg report`` uses; its title and
language come from the notebook's parameters (papermill's record of them, else the defaults of the
``parameters`` cell), as ``mtqg report`` would give them. JupyterLab lists it under "Save and
Export Notebook As".
"""
from __future__ import annotations

import ast
import logging

from nbconvert.exporters import Exporter
from traitlets import Unicode, default

from ..domain.labels import check_lang
from ..errors import MtqgError
from ..report.page import notebook_to_html
from .jobs import title

log = logging.getLogger(__name__)


def notebook_parameters(nb) -> dict:
    """The parameters a notebook ran with: the literal defaults of its ``parameters`` cell, updated
    with what papermill injected (``metadata.papermill.parameters``)."""
    found: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            for node in ast.parse(cell.source).body:
                target = node.target if isinstance(node, ast.AnnAssign) else (
                    node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
                if isinstance(target, ast.Name) and getattr(node, "value", None) is not None:
                    try:
                        found[target.id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
    found.update(nb.metadata.get("papermill", {}).get("parameters") or {})
    return found


def page_title(parameters: dict, lang: str) -> str:
    """The title ``mtqg report`` gives the page: the period's report (naming its place), or the
    unit's scorecard (the unit's name as in force at the period's end)."""
    from ..analysis import place_name
    from ..store import load_year

    year = load_year(str(parameters["period"]), parameters.get("data_dir") or None, rebuild="never")
    if "unit_code" not in parameters:
        return title(str(year.period), lang, place=place_name(year.funding, year.units))
    return title(str(year.period), lang, year.units.name(year.units.code_of(parameters["unit_code"])))


class MtqgHTMLExporter(Exporter):
    """An executed notebook as the offline HTML page of ``mtqg report``."""

    export_from_notebook = "mtqg-analysis report (offline HTML)"
    output_mimetype = "text/html"
    lang = Unicode("", help="vi or en; default: the notebook's lang parameter, else vi").tag(config=True)
    title = Unicode("", help="The page title; default: the one mtqg report gives").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        nb, resources = super().from_notebook_node(nb, resources, **kw)
        parameters = notebook_parameters(nb)
        lang = check_lang(self.lang or str(parameters.get("lang") or "vi"))
        page = self.title
        if not page:
            try:
                page = page_title(parameters, lang)
            except (KeyError, MtqgError) as exc:  # not one of our notebooks, or its data is elsewhere
                page = nb.metadata.get("title") or resources.get("metadata", {}).get("name") or "mtqg-analysis"
                log.warning("page title from the notebook (%s: %s); give --MtqgHTMLExporter.title=...",
                            type(exc).__name__, exc)
        return notebook_to_html(nb, page, lang), resources
