"""Hostile and broken inputs through the real ``mtqg clean`` command (docs/robustness.md).

Every case of ``tests/hostile/corpus.py`` is built into a temporary data folder that already
holds previous outputs for the period, and the CLI runs in a child process (forked from a server
that has imported the package, ``tests/hostile/forked_cli.py``). It must:

- exit non-zero (2, an input error) with a message naming the file (sheet, row, column where
  they apply) and the problem, except the cases that must be cleaned (exit 0, text neutralised);
- never print a Python traceback;
- leave ``data/processed/<P>/`` exactly as it was when it fails (spec §4.3);
- stay under :data:`MEMORY_BOUND_BYTES` of peak resident memory (measured by that one child at its
  end; a memory bound, not a timing assertion).

A guard kills a child that has not finished after :data:`GUARD_SECONDS` (a hang is a failure,
e.g. a reader blocking on a named pipe); no test asserts how long anything took.
"""
from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus  # noqa: E402
import forked_cli  # noqa: E402

MEMORY_BOUND_BYTES = 1024 ** 3  # 1 GB: a district office laptop has 4-8 GB
GUARD_SECONDS = 120
PREVIOUS = {"funding.csv": b"previous funding\n", "funding.parquet": b"PAR1previous",
            "quality.csv": b"previous quality\n", "manifest.json": b"{}"}


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr, peak RSS in bytes) of ``mtqg ARGS`` in a child process."""
    return forked_cli.run(args, cwd, GUARD_SECONDS)


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


CASES = corpus.cases()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case, tmp_path):
    data = corpus.build(case, tmp_path / "data")
    out_dir = data / "processed" / "2024-06"
    out_dir.mkdir(parents=True)
    for name, content in PREVIOUS.items():
        (out_dir / name).write_bytes(content)
    if case.exit_zero:
        for name in PREVIOUS:
            (out_dir / name).unlink()

    code, stdout, stderr, rss = run_cli(["clean", "--period", case.period, "--data-dir", str(data)], tmp_path)
    output = stdout + stderr

    assert code != -signal.SIGKILL, f"mtqg clean did not finish within {GUARD_SECONDS} s (killed):\n{output}"
    assert "Traceback" not in output, output
    assert rss < MEMORY_BOUND_BYTES, f"peak memory {rss / 1048576:.0f} MB"
    if case.exit_zero:
        assert code == 0, output
        case.check_outputs(out_dir)
    else:
        assert code == 2, f"exit {code}:\n{output}"
        for fragment in case.expect:
            assert fragment.casefold() in stderr.casefold(), f"{fragment!r} not in:\n{stderr}"
        assert snapshot(out_dir) == PREVIOUS, "the previous outputs were changed by a failed run"
