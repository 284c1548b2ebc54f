"""Shared fixtures.

- ``data_dir``: an empty data root in ``tmp_path`` with ``raw/units.csv`` copied from the
  repository's ``data/raw/units.csv`` (the Bạch Thông units);
- ``make_workbook``: writes a commune workbook (see ``tests/workbook_builder.py``) under
  ``data_dir/raw/<period>/``;
- ``make_csv``: writes a tidy CSV (spec §3.2) in a given encoding and delimiter;
- ``mtqg``: runs the ``mtqg`` command in this process (``cli.main``, output captured), the way
  the command line does; :func:`mtqg_process` runs it in a child process where that matters
  (crashes, signals, what a fresh interpreter imports);
- ``sample``: the shipped sample data made hostile and rendered once per session (the district
  report of 2024-06 and the scorecard of Vi Hương), for the notebook, safety and browser tests;
- ``sample_2025``: the shipped 2025 sample rendered once per session (the Thái Nguyên report of
  2025-12, its five scorecards and the phase 2021-2025), for the tests of reports across the 2025
  reorganisation.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
# openpyxl writes with lxml when it is installed (python-docx brings it) and with its own writer
# otherwise: other bytes for the same workbook. The tests that edit or compare workbook XML
# (formulas' cached values, the sample generator) expect its own writer, as the files were made.
os.environ.setdefault("OPENPYXL_LXML", "False")

from workbook_builder import PERIOD, Sheet, TextSheet, build_workbook  # noqa: E402
from mtqg_analysis.render.kernel import skip_iri_grammar  # noqa: E402

# As the mtqg command does in its own processes, before nbformat is first imported (at collection):
# jsonschema compiling an IRI grammar no notebook schema uses costs every test process a second.
skip_iri_grammar()

REPO = Path(__file__).resolve().parents[1]
UNITS_CSV = REPO / "data" / "raw" / "units.csv"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    root = tmp_path / "data"
    (root / "raw").mkdir(parents=True)
    shutil.copyfile(UNITS_CSV, root / "raw" / "units.csv")
    return root


@pytest.fixture
def make_workbook(data_dir):
    """``make_workbook("bao-cao.xlsx", Sheet(...), ..., period="2024-09")`` -> its path."""
    def make(name: str, *sheets: Sheet | TextSheet, period: str = PERIOD) -> Path:
        return build_workbook(data_dir / "raw" / period / name, *sheets)
    return make


@pytest.fixture
def make_csv(data_dir):
    """``make_csv("x.csv", header, rows, encoding="utf-8", delimiter=",")`` -> its path."""
    def make(name: str, header: list[str], rows: list[list], *, encoding: str = "utf-8",
             delimiter: str = ",", period: str = PERIOD) -> Path:
        lines = [delimiter.join(header)] + [delimiter.join("" if v is None else str(v) for v in r) for r in rows]
        path = data_dir / "raw" / period / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        return path
    return make


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def mtqg(tmp_path, capsys, monkeypatch):
    """Run ``mtqg ARGS`` in this process, in ``tmp_path`` (or ``cwd=``, with ``env=`` variables set):
    exit code, stdout and stderr as the command line would show them (a bug raises in the test
    instead of printing a traceback)."""
    from mtqg_analysis.cli import main

    def run(*args, cwd: Path | None = None, env: dict | None = None) -> Run:
        monkeypatch.chdir(cwd or tmp_path)
        monkeypatch.delenv("MTQG_DATA_DIR", raising=False)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code if isinstance(exc.code, int) else 2
        out = capsys.readouterr()
        return Run(code, out.out, out.err)
    return run


def mtqg_command() -> list[str]:
    """The installed ``mtqg`` script beside this interpreter, else ``python -m mtqg_analysis.cli``."""
    script = Path(sys.executable).with_name("mtqg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mtqg_analysis.cli"]


def mtqg_process(*args, cwd: Path | None = None, env: dict | None = None, prelude: str = "",
                 timeout: float = 600) -> subprocess.CompletedProcess:
    """``mtqg ARGS`` in a child process; ``prelude`` is Python run in that child first."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    environment.pop("MTQG_DATA_DIR", None)  # unless ``env`` sets it
    environment.update(env or {})
    if prelude:
        code = f"import sys\n{prelude}\nfrom mtqg_analysis.cli import main\nsys.exit(main(sys.argv[1:]))"
        command = [sys.executable, "-c", code]
    else:
        command = mtqg_command()
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, cwd=cwd or REPO,
                          env=environment, timeout=timeout)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes (empty if the folder does not exist)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def tree_hashes(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in tree_bytes(folder).items()}


# Test modules that must run on one worker (pytest-xdist): those that read the session's rendered
# sample (rendered once per worker), those that read the 2025 sample's render, and the Jupyter tests
# (one copy of the project each). Every other test is a unit of work of its own.
WORKER_GROUPS = {
    "sample": ("tests/test_notebooks.py", "tests/test_report_safety.py", "tests/test_browser.py",
               "tests/test_documents.py", "tests/test_dask.py"),
    "sample_2025": ("tests/test_sample_2025.py",),
    "jupyter": ("tests/test_jupyter.py",),
}
# The longest units of work, longest first (seconds measured by `pytest --durations=0`; see
# benchmarks/README.md, "The test suite"). Handing them out first and the short tests after them
# keeps the two workers busy until both finish at about the same time.
LONGEST_FIRST = ("tests/test_crash_report.py", "sample", "sample_2025", "tests/test_interrupt.py", "jupyter",
                 "tests/test_crash.py")
# Modules whose module-scoped fixture cleans or builds something (the template cycle, cleaned sample
# periods): each is one unit of work, so that one worker builds the fixture instead of both.
WHOLE_MODULES = ("tests/test_template.py", "tests/test_figures_2024_06.py", "tests/test_api.py",
                 "tests/test_runner.py", "tests/test_sample_data.py", "tests/test_narrative.py",
                 "tests/test_national.py")


def pytest_xdist_make_scheduler(config, log):
    """Load scheduling in which each group of :data:`WORKER_GROUPS` is one unit of work, the units of
    :data:`LONGEST_FIRST` handed out first."""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            for group, modules in WORKER_GROUPS.items():
                if nodeid.startswith(modules):
                    return group
            module = nodeid.split("::", 1)[0]
            return module if module in LONGEST_FIRST or module in WHOLE_MODULES else nodeid

        def _assign_work_unit(self, node) -> None:
            # the queue is complete before the first unit is handed out: order it then
            if not self.ordered:
                rank = {scope: i for i, scope in enumerate(LONGEST_FIRST)}
                queue = sorted(self.workqueue.items(), key=lambda item: rank.get(item[0], len(rank)))
                self.workqueue.clear()
                self.workqueue.update(queue)
                self.ordered = True
            super()._assign_work_unit(node)

    return GroupScheduling(config, log)


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """The hostile sample rendered once (see ``tests/sample_render.py``)."""
    from sample_render import render_sample

    return render_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def sample_2025(tmp_path_factory):
    """The 2025 sample rendered once (see ``tests/sample_render.py``)."""
    from sample_render import render_sample_2025

    return render_sample_2025(tmp_path_factory.mktemp("sample-2025"))


def pytest_sessionfinish(session):
    """Close the Chromium the browser tests of this process shared (``tests/browser_helpers.py``)."""
    helpers = sys.modules.get("browser_helpers")
    if helpers is not None:
        helpers.close_shared()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Where tests keep what a person may want to look at (screenshots, PDFs): ``$MTQG_ARTIFACTS_DIR``,
    else a folder of this test session's temporary directory."""
    folder = Path(os.environ.get("MTQG_ARTIFACTS_DIR") or tmp_path_factory.mktemp("artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
