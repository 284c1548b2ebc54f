"""SIGKILL ``mtqg clean`` at random points (docs/robustness.md, "Crash safety"; spec §4.3).

A first run writes the period's outputs. Then, repeatedly, a second run on the same input is
killed with SIGKILL after a random delay (seeded, so the same fractions of the first run on every
run), spread over how long the first run took: before it opened anything, while reading, or while
writing. After every kill:

- each output file is whole and byte-identical to the first run's (old or new version of the
  same input are the same bytes; never half a file),
- no other files are visible in the period folder,

and after the last kill an uninterrupted run succeeds and leaves no temporary files at all.
The random delays only choose where the kill lands; nothing asserts how long anything took.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import mtqg_command

REPO = Path(__file__).resolve().parents[1]
KILLS = int(os.environ.get("MTQG_CRASH_KILLS", "15"))
OUTPUTS = ("funding.parquet", "funding.csv", "quality.csv")


def make_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    shutil.copyfile(REPO / "data" / "raw" / "units.csv", data / "raw" / "units.csv")
    shutil.copytree(REPO / "data" / "raw" / "2024-06", data / "raw" / "2024-06")
    return data


def clean(data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*mtqg_command(), "clean", "-q", "--period", "2024-06", "--data-dir", str(data)],
                          capture_output=True, text=True, timeout=300)


def outputs(out_dir: Path) -> dict[str, bytes]:
    return {name: (out_dir / name).read_bytes() for name in OUTPUTS}


def visible(out_dir: Path) -> set[str]:
    return {p.name for p in out_dir.iterdir() if not p.name.startswith(".")}


def test_killed_runs_leave_previous_outputs_whole(tmp_path):
    data = make_data(tmp_path)
    began = time.monotonic()
    first = clean(data)
    duration = time.monotonic() - began  # only places the kills, within a run and not after it
    assert first.returncode == 0, first.stderr
    out_dir = data / "processed" / "2024-06"
    baseline = outputs(out_dir)
    baseline_files = visible(out_dir)

    rng = random.Random(20240630)
    for attempt in range(KILLS):
        process = subprocess.Popen([*mtqg_command(), "clean", "-q", "--period", "2024-06", "--data-dir", str(data)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, duration))  # where the kill lands, not a timing assertion
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert visible(out_dir) == baseline_files, f"kill {attempt}: {sorted(visible(out_dir))}"
        assert outputs(out_dir) == baseline, f"kill {attempt}: an output changed or is partial"

    final = clean(data)
    assert final.returncode == 0, final.stderr
    assert outputs(out_dir) == baseline
    leftovers = sorted(p.name for p in out_dir.iterdir() if p.name.endswith(".tmp"))
    assert leftovers == [], f"temporary files left behind by killed runs: {leftovers}"
