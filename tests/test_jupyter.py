"""The notebooks outside our runner, as the Jupyter tools run them (README "Notebooks in JupyterLab",
"Plain papermill and nbconvert"): ``jupyter execute``, plain ``papermill`` with ``-p``, the
``mtqg-html`` nbconvert exporter, charts in a kernel, and ``make lab``.

Each test works in a copy of the project (``notebooks/`` and the shipped ``data/raw``), from its
folder, as an analyst's own commands would; nothing here goes through ``mtqg_analysis.render``.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import REPO
from mtqg_analysis.report.page import external_references
from sample_render import UNIT, copy_sample
from test_notebooks import visible_text

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
NOTEBOOKS = ("explore", "period_report", "unit_scorecard")
PROVENANCE_TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    copy_sample(root / "data")
    return root


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory) -> dict:
    """An environment without the user's own kernels, settings or data folder: the kernel
    ``python3`` is the one installed with the package."""
    home = tmp_path_factory.mktemp("jupyter")
    env = {**os.environ, "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "PYTHONIOENCODING": "utf-8"}
    env.pop("MTQG_DATA_DIR", None)
    return env


def run(command: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def outputs(nb, kind: str | None = None) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if kind is None or o.get("output_type") == kind]


# --- jupyter execute ---------------------------------------------------------------------------------
def test_every_notebook_asks_for_the_kernel_that_exists_wherever_the_package_is_installed(jupyter_env):
    for name in NOTEBOOKS:
        nb = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
        assert nb.metadata.kernelspec.name == "python3", name
    specs = run([BIN / "jupyter", "kernelspec", "list", "--json"], REPO, jupyter_env)
    python3 = json.loads(specs.stdout)["kernelspecs"]["python3"]
    assert Path(python3["resource_dir"]).is_relative_to(sys.prefix)  # installed with ipykernel, here


# unit_scorecard runs through plain papermill (nbclient too) in the test of the exporter below.
@pytest.mark.parametrize("name", ["explore", "period_report"])
def test_jupyter_execute_runs_each_notebook_with_its_defaults(project, jupyter_env, name):
    run([BIN / "jupyter", "execute", f"notebooks/{name}.ipynb", f"--output=executed_{name}"], project, jupyter_env)
    nb = nbformat.read(project / "notebooks" / f"executed_{name}.ipynb", as_version=4)
    errors = outputs(nb, "error")
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")
    # a chart is a PNG output, or a PNG embedded in a captioned figure of an HTML output
    images = [o for o in outputs(nb) if "image/png" in o.get("data", {})
              or "data:image/png;base64," in "".join(o.get("data", {}).get("text/html", ""))]
    assert images, f"{name} shows no chart"


def test_a_chart_shows_in_the_kernel_after_the_notebooks_setup_cells(project, jupyter_env, monkeypatch):
    """An analyst's own pyplot and pandas charts still show once our setup cells (and our own
    figures) have run: nothing in a notebook switches the kernel's matplotlib backend."""
    from nbclient import NotebookClient

    for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR"):
        monkeypatch.setenv(name, jupyter_env[name])
    chart = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"
    pandas_chart = "funding.groupby('unit_code')['plan_vnd'].sum().plot.bar();"
    cells, checked = [], []
    for name in NOTEBOOKS:
        source = nbformat.read(project / "notebooks" / f"{name}.ipynb", as_version=4)
        code = [c for c in source.cells if c.cell_type == "code"]
        cells += [nbformat.v4.new_code_cell(c.source) for c in code[:2]]  # the parameters and setup cells
        if name == "unit_scorecard":
            cells.append(nbformat.v4.new_code_cell(
                "rp.show_figure(rp.ranking_figure(an.ranking(funding, units), lang, highlight=unit_code))"))
        for source_code in (chart, pandas_chart):
            cells.append(nbformat.v4.new_code_cell(source_code))
            checked.append(cells[-1])
    cells.append(nbformat.v4.new_code_cell("import matplotlib\nprint(matplotlib.get_backend())"))
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                        "language": "python"}})
    NotebookClient(nb, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(project / "notebooks")}}).execute()
    for cell in checked:
        shown = [o for o in cell.outputs if o.output_type == "display_data" and "image/png" in o.data]
        assert len(shown) == 1, (cell.source, cell.outputs)
    assert "inline" in nb.cells[-1].outputs[0].text


def test_only_the_renderer_ever_switches_the_matplotlib_backend():
    """``matplotlib.use`` / ``switch_backend`` appear in the renderer's kernel reset alone (which puts
    a notebook's kernel back as it was); never in a notebook or in code a notebook imports."""
    switch = re.compile(r"matplotlib\.use\(|switch_backend\(|\bmpl\.use\(")
    found = [str(path.relative_to(REPO)) for folder in ("mtqg_analysis", "notebooks")
             for path in sorted((REPO / folder).rglob("*.py")) if switch.search(path.read_text(encoding="utf-8"))]
    assert found == ["mtqg_analysis/render/kernel.py"]


# --- plain papermill and the mtqg-html exporter ------------------------------------------------------
def test_plain_papermill_and_the_mtqg_html_exporter_give_the_page_mtqg_report_writes(project, jupyter_env):
    run([BIN / "papermill", "notebooks/unit_scorecard.ipynb", "out.ipynb", "-p", "period", "2024-06",
         "-p", "unit_code", UNIT], project, jupyter_env)
    executed = nbformat.read(project / "out.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters["unit_code"] == 1975  # what -p made of "01975"
    run([BIN / "jupyter", "nbconvert", "--to", "mtqg-html", "out.ipynb"], project, jupyter_env)
    page = (project / "out.html").read_text(encoding="utf-8")

    # the scorecard as `mtqg report --period 2024-06 --units 01975` renders it (its job alone)
    from mtqg_analysis.render.execute import render
    from mtqg_analysis.render.jobs import plan

    job = next(j for j in plan(["2024-06"], [UNIT], project / "data", project / "reports", "vi").jobs if j.stem == UNIT)
    outcome = render(job)
    assert outcome.status == "rendered", outcome.message
    ours = job.html_path.read_text(encoding="utf-8")
    # the same page, figures, tables and charts, except the minute it was made and the links to the
    # index and the other periods' pages, which depend on where mtqg report puts the page
    links = re.compile(r'<nav class="links[^"]*"[^>]*>.*?</nav>\n?', re.DOTALL)
    assert links.search(ours) and not links.search(page)
    def same(html: str) -> str:
        return re.sub(r"\n+", "\n", PROVENANCE_TIME.sub("…", html))

    assert same(page) == same(links.sub("", ours))

    text = visible_text(page)
    assert "Phiếu đánh giá đơn vị: Xã Vi Hương" in text and "88,52%" in text and "Đơn vị: 01975" in text
    assert "<title>Xã Vi Hương, 6 tháng đầu năm 2024</title>" in page
    assert external_references(page) == [] and "require.js" not in page and "MathJax" not in page
    assert "<script" not in page.lower() and "load_year(" not in page and "injected-parameters" not in page
    assert "In&nbsp;[" not in page and '<figure class="chart bars">' in page  # the ranking, as HTML bars


def test_a_unit_code_that_cannot_be_padded_back_says_to_use_r(project):
    from mtqg_analysis import units_for

    units = units_for(project / "data")
    assert units.code_of(1975) == units.code_of("1975") == units.code_of("01975") == "01975"
    assert units.code_of(63) == "063"  # the district's own budget
    with pytest.raises(Exception, match=r"unknown unit code '99999'.*-r unit_code 01975"):
        units.code_of(99999)
    with pytest.raises(Exception, match=r"unknown unit code 'Vi Hương': not in units.csv$"):
        units.code_of("Vi Hương")


# --- make lab ------------------------------------------------------------------------------------
def test_make_lab_serves_the_notebooks_even_as_root(jupyter_env, tmp_path):
    token = secrets.token_hex(16)
    command = ["make", "-o", ".venv/.installed", "lab",
               f"LAB_ARGS=--no-browser --port=0 --ServerApp.token={token}"]
    log = tmp_path / "lab.log"
    with open(log, "w") as handle:
        lab = subprocess.Popen(command, cwd=REPO, env=jupyter_env, stdout=handle, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        url = None
        for _ in range(1200):
            found = re.search(r"http://127\.0\.0\.1:(\d+)/lab", log.read_text())
            if found:
                url = f"http://127.0.0.1:{found[1]}"
                break
            assert lab.poll() is None, log.read_text()
            time.sleep(0.1)
        assert url, log.read_text()
        if os.geteuid() == 0:
            assert "--allow-root" in log.read_text()
        listing = None
        for _ in range(600):  # the address is printed as the server starts; it may not accept yet
            try:
                with urllib.request.urlopen(f"{url}/api/contents?token={token}", timeout=60) as response:
                    listing = json.load(response)
                break
            except urllib.error.URLError as error:
                if not isinstance(error.reason, ConnectionRefusedError):
                    raise
                assert lab.poll() is None, log.read_text()
                time.sleep(0.1)
        assert listing is not None, log.read_text()
        assert {"explore.ipynb", "period_report.ipynb", "unit_scorecard.ipynb"} <= {c["name"] for c in listing["content"]}
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=60)
