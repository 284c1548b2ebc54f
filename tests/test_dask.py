"""``mtqg report --executor dask``: the same renders on a Dask LocalCluster of 2 worker processes.

Reads the session's sample render (made by the local pool, ``tests/sample_render.py``): the Dask run
renders the same period into another reports folder, and every figure of the report and of the
scorecard must come out the same, byte for byte; a scorecard that fails on a Dask worker is
reported as the local pool reports it (the cell, the error, the executed notebook kept).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

from sample_render import UNIT

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
FAILING = "01978"  # Xã Sĩ Bình: its scorecard fails on purpose


def figures(page: Path) -> list[str]:
    """Every chart of a page: the PNG, its alt text and its caption. (Tables are left out: the
    report's ranking links the scorecards rendered beside it, which differ between the runs.)"""
    return re.findall(r'<figure class="chart\b.*?</figure>', page.read_text(encoding="utf-8"), flags=re.S)


def test_dask_renders_the_figures_of_the_local_pool_and_reports_a_failing_notebook(sample, tmp_path, mtqg):
    broken = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, broken)
    nb = nbformat.read(broken / "unit_scorecard.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f"assert unit_code != '{FAILING}', 'no scorecard for Sĩ Bình'"))
    nbformat.write(nb, broken / "unit_scorecard.ipynb")
    reports = tmp_path / "reports"
    run = mtqg("report", "--period", "2024-06", "--units", UNIT, FAILING, "--executor", "dask", "--jobs", "2",
               "--notebooks-dir", str(broken), "--data-dir", str(sample["data"]), "--reports-dir", str(reports))

    assert run.code == 1, run.stderr
    assert re.search(rf"2024-06 {FAILING} FAILED: cell \d+ \(In \[\d+\]: assert unit_code", run.stderr), run.stderr
    assert "AssertionError: no scorecard for Sĩ Bình" in run.stderr
    folder = reports / "2024-06"
    assert (folder / f"{FAILING}.failed.ipynb").exists() and not (folder / f"{FAILING}.html").exists()
    assert "1 problem(s); 2 rendered" in run.stderr
    for page in ("report.html", f"{UNIT}.html"):
        ours, local = figures(folder / page), figures(sample["folder"] / page)
        assert ours and ours == local, page
        assert str(folder / page) in run.stdout
    # what the workers wrote beside the pages, and nothing half-written
    assert (folder / "summary.xlsx").exists() and (folder / "thong-bao.docx").exists()
    assert (folder / "report.fingerprint.json").exists() and (folder / f"{UNIT}.fingerprint.json").exists()
    assert (reports / "index.html").exists()
    assert not [p.name for p in folder.iterdir() if ".running." in p.name or p.name.endswith(".tmp")]


def test_a_scheduler_address_needs_the_dask_executor(sample, tmp_path, mtqg):
    run = mtqg("report", "--period", "2024-06", "--scheduler", "tcp://127.0.0.1:8786",
               "--data-dir", str(sample["data"]), "--reports-dir", str(tmp_path / "reports"))
    assert run.code == 2 and "--scheduler" in run.stderr and "--executor dask" in run.stderr
    assert not (tmp_path / "reports").exists()
