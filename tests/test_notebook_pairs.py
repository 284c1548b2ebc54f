"""Each notebook is paired with a percent-format .py (jupytext.toml) and the two agree, so that a
review reads the .py diff and never a stale copy."""
from pathlib import Path

import jupytext
import pytest
from jupytext.config import load_jupytext_config

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_the_four_notebooks():
    assert {p.stem for p in NOTEBOOKS} == {"period_report", "unit_scorecard", "phase_report", "explore"}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_paired_py_matches_the_notebook(notebook):
    paired = notebook.with_suffix(".py")
    assert paired.exists(), f"{paired.name} is missing: run `make sync-notebooks`"
    config = load_jupytext_config(str(notebook.parent))
    expected = jupytext.writes(jupytext.read(notebook), fmt="py:percent", config=config)
    assert paired.read_text(encoding="utf-8") == expected, f"{paired.name} differs: run `make sync-notebooks`"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_one_parameters_cell_first_among_code_cells(notebook):
    cells = [c for c in jupytext.read(notebook).cells if c.cell_type == "code"]
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [0]
