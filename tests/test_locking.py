"""One run per period at a time: file locks between real processes (docs/robustness.md, "Locking").

Synchronisation is by files the processes write (never by sleeping and hoping), and nothing here
asserts how long anything took.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mtqg_analysis.errors import BusyError
from mtqg_analysis.store.locking import lock_path, period_lock
from test_portability import WITHOUT_FCNTL

HOLDER = textwrap.dedent("""
    import sys, time
    if sys.argv[4]: exec(sys.argv[4])
    from pathlib import Path
    from mtqg_analysis.store.locking import period_lock
    out_dir, ready, release = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    with period_lock(out_dir, wait_seconds=0):
        ready.write_text("locked")
        while not release.exists():
            time.sleep(0.02)
    """)

WAITER = textwrap.dedent("""
    import sys
    if sys.argv[4]: exec(sys.argv[4])
    from pathlib import Path
    from mtqg_analysis.errors import BusyError
    from mtqg_analysis.store.locking import period_lock
    out_dir, wait, result = sys.argv[1], float(sys.argv[2]), Path(sys.argv[3])
    try:
        with period_lock(out_dir, wait_seconds=wait):
            result.write_text("acquired")
    except BusyError as exc:
        result.write_text("busy: " + str(exc))
    """)


# Where fcntl is missing (Windows has none) the lock must behave the same: these tests run both ways.
SYSTEMS = {"native": "", "without-fcntl": WITHOUT_FCNTL + "\nimport warnings; warnings.simplefilter('ignore')"}


@pytest.fixture(params=list(SYSTEMS))
def system(request) -> str:
    """Python run first in each process of a test: nothing, or fcntl made unavailable."""
    return SYSTEMS[request.param]


def start_holder(tmp_path: Path, out_dir: Path, prelude: str = "") -> tuple[subprocess.Popen, Path]:
    ready, release = tmp_path / "ready", tmp_path / "release"
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(out_dir), str(ready), str(release), prelude])
    while not ready.exists():
        if process.poll() is not None:
            pytest.fail(f"the lock holder exited early with {process.returncode}")
        time.sleep(0.01)
    return process, release


def run_waiter(out_dir: Path, wait: float, result: Path, prelude: str = "") -> str:
    subprocess.run([sys.executable, "-c", WAITER, str(out_dir), str(wait), str(result), prelude], check=True,
                   timeout=120)
    return result.read_text()


def test_lock_file_sits_beside_the_period_folder(tmp_path):
    assert lock_path(tmp_path / "processed" / "2024-06") == tmp_path / "processed" / ".2024-06.lock"


def test_second_process_gets_busy_error_naming_the_period(tmp_path, system):
    out_dir = tmp_path / "processed" / "2024-06"
    holder, release = start_holder(tmp_path, out_dir, system)
    try:
        result = run_waiter(out_dir, 0.3, tmp_path / "result", system)
        assert result.startswith("busy: another mtqg run is working on 2024-06")
        assert f"process {holder.pid}" in result
        assert "run the command again" in result
    finally:
        release.write_text("go")
        holder.wait(timeout=60)
    assert holder.returncode == 0


def test_second_process_gets_the_lock_once_the_first_finishes(tmp_path, system):
    out_dir = tmp_path / "processed" / "2024-06"
    holder, release = start_holder(tmp_path, out_dir, system)
    waiter = subprocess.Popen([sys.executable, "-c", WAITER, str(out_dir), "120", str(tmp_path / "result"), system])
    release.write_text("go")
    holder.wait(timeout=60)
    waiter.wait(timeout=120)
    assert (tmp_path / "result").read_text() == "acquired"


def test_a_killed_holder_does_not_leave_the_period_locked(tmp_path, system):
    out_dir = tmp_path / "processed" / "2024-06"
    holder, _ = start_holder(tmp_path, out_dir, system)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    assert lock_path(out_dir).exists()  # the file stays; the lock went with the process
    assert run_waiter(out_dir, 0, tmp_path / "result", system) == "acquired"


def test_other_periods_are_not_blocked(tmp_path):
    holder, release = start_holder(tmp_path, tmp_path / "processed" / "2024-06")
    try:
        assert run_waiter(tmp_path / "processed" / "2024-09", 0, tmp_path / "result") == "acquired"
    finally:
        release.write_text("go")
        holder.wait(timeout=60)


def test_in_process_lock_is_released_on_error(tmp_path):
    out_dir = tmp_path / "processed" / "2024-06"
    with pytest.raises(RuntimeError):
        with period_lock(out_dir, wait_seconds=0):
            raise RuntimeError("boom")
    with period_lock(out_dir, wait_seconds=0):
        pass


def test_same_process_second_open_is_busy(tmp_path):
    # flock locks belong to open file descriptions: a second open in the same process conflicts too,
    # so a nested build of the same period cannot silently interleave either.
    out_dir = tmp_path / "processed" / "2024-06"
    with period_lock(out_dir, wait_seconds=0):
        with pytest.raises(BusyError):
            with period_lock(out_dir, wait_seconds=0):
                pass
