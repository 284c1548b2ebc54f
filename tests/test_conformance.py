"""The worked examples of the spec through the real ``mtqg clean``.

- ``../shared/spec/examples`` with the shared checker ``../shared/tools/check_conformance.py``:
  the shared folder is a sibling of the repository; in CI it must be there (the test fails
  without it), on a laptop without it the test is skipped.
- ``../shared/spec/examples-v2`` (second edition) the same way, every case of it: ``.xls`` with
  "TT"/"Chỉ tiêu" and a signature block, reports after the 2025 reorganisation with carried-over
  capital, money units in column headers, signed PDFs beside the workbooks.
- The repository's own copies, ``tests/fixtures/spec-examples`` and ``spec-examples-v2``: byte for
  byte the shared ones where those are available, and always checked with the comparison below (unit, line and
  capital-year totals against ``expected.csv``, the findings of ``expected_quality.json``), so the
  repository stands alone.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
CHECKER = SHARED / "tools" / "check_conformance.py"
OWN_CASES = REPO / "tests" / "fixtures" / "spec-examples"
OWN_CASES_V2 = REPO / "tests" / "fixtures" / "spec-examples-v2"


def mtqg_cli() -> str:
    script = Path(sys.executable).with_name("mtqg")
    assert script.exists(), f"the mtqg command is not installed next to {sys.executable}"
    return str(script)


def require_shared() -> None:
    if not CHECKER.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the shared spec folder is missing ({SHARED}); CI must check out ../shared")
        pytest.skip("../shared is not checked out next to the repository (allowed outside CI only)")


def run_checker(cases: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECKER), str(cases), "--cli", mtqg_cli()],
                          capture_output=True, text=True, timeout=900, cwd=REPO)


def test_shared_spec_examples_conform():
    require_shared()
    run = run_checker(SHARED / "spec" / "examples")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "conformance: 4/4 cases pass" in run.stdout


def test_shared_second_edition_examples_conform():
    require_shared()
    run = run_checker(SHARED / "spec" / "examples-v2")
    assert run.returncode == 0, run.stdout + run.stderr
    cases = sorted(p.name for p in (SHARED / "spec" / "examples-v2").iterdir() if p.is_dir())
    assert f"conformance: {len(cases)}/{len(cases)} cases pass" in run.stdout
    for case in cases:
        assert f"PASS {case}" in run.stdout


@pytest.mark.parametrize("edition, own", [("examples", OWN_CASES), ("examples-v2", OWN_CASES_V2)])
def test_repository_copy_of_the_spec_examples_is_the_shared_one(edition, own):
    """The copies the package tests itself against (below) are the contract's examples, byte for byte,
    so the shared checker's verdict on the shared folder holds for them too."""
    require_shared()
    shared = SHARED / "spec" / edition
    files = sorted(p.relative_to(shared) for p in shared.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(own) for p in own.rglob("*") if p.is_file())
    for path in files:
        assert (own / path).read_bytes() == (shared / path).read_bytes(), path


def totals(frame: pd.DataFrame, by_year: bool = False) -> dict:
    """(unit, line[, capital year]) -> plan đồng, disbursed đồng, plan qty, done qty (NaN when none
    reported)."""
    frame = frame.astype({"unit_code": str, "line_code": str})
    keys = ["unit_code", "line_code"] + (["capital_year"] if by_year else [])
    out = {}
    for key, group in frame.groupby(keys):
        out[key] = (int(group["plan_vnd"].sum()), int(group["disbursed_vnd"].sum()),
                    group["plan_qty"].astype(float).sum(min_count=1), group["done_qty"].astype(float).sum(min_count=1))
    return out


def same(a: tuple, b: tuple) -> bool:
    return a[:2] == b[:2] and all((math.isnan(x) and math.isnan(y)) or abs(x - y) < 1e-6 for x, y in zip(a[2:], b[2:]))


OWN = [folder for root in (OWN_CASES, OWN_CASES_V2) for folder in sorted(root.iterdir()) if (folder / "raw").is_dir()]


@pytest.mark.parametrize("folder", OWN, ids=[f.name for f in OWN])
def test_repository_copy_of_the_spec_examples_gives_the_expected_rows(folder, tmp_path, mtqg):
    """The real command, in this process (the shared checker above runs it as a child)."""
    data = tmp_path / "data"
    shutil.copytree(folder / "raw", data / "raw")
    period = next(p.name for p in (data / "raw").iterdir() if p.is_dir())
    run = mtqg("clean", "--period", period, "--data-dir", data)
    assert run.code == 0, run.stderr
    want = pd.read_csv(folder / "expected.csv", dtype={"unit_code": str})
    by_year = "capital_year" in want.columns and want["capital_year"].nunique() > 1  # spec §4.1
    got = totals(pd.read_csv(data / "processed" / period / "funding.csv", dtype={"unit_code": str}), by_year)
    expected = totals(want, by_year)
    assert set(got) == set(expected)
    differ = {k: (got[k], expected[k]) for k in expected if not same(got[k], expected[k])}
    assert not differ
    want = folder / "expected_quality.json"
    if want.exists():
        rules = json.loads(want.read_text(encoding="utf-8"))
        quality = pd.read_csv(data / "processed" / period / "quality.csv", dtype=str, keep_default_na=False)
        text = (quality["check"] + " " + quality["message"]).str.casefold()
        for rule in rules if isinstance(rules, list) else [rules]:
            assert text.str.contains(rule["check_contains"], regex=False).sum() >= rule["min_findings"], rule
