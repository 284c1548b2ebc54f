"""Shared fixtures of the reading, bad-input and CLI tests.

- ``data_dir``: an empty data root in ``tmp_path`` with ``raw/units.csv`` copied from the
  repository's ``data/raw/units.csv`` (the Bạch Thông units);
- ``make_workbook``: writes a commune workbook (see ``tests/workbook_builder.py``) under
  ``data_dir/raw/<period>/``;
- ``make_csv``: writes a tidy CSV (spec §3.2) in a given encoding and delimiter;
- ``mtqg``: runs the real ``mtqg`` command in a child process.
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

from workbook_builder import PERIOD, Sheet, TextSheet, build_workbook  # noqa: E402

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


def mtqg_command() -> list[str]:
    script = Path(sys.executable).with_name("mtqg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mtqg_analysis.cli"]


@pytest.fixture
def mtqg(tmp_path):
    """Run ``mtqg ARGS`` in a child process (cwd ``tmp_path``)."""
    def run(*args: str) -> Run:
        p = subprocess.run([*mtqg_command(), *map(str, args)], cwd=tmp_path, capture_output=True, text=True,
                           env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)
        return Run(p.returncode, p.stdout, p.stderr)
    return run


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes (empty if the folder does not exist)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def tree_hashes(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in tree_bytes(folder).items()}
