"""Ctrl-C during ``mtqg report`` (docs/robustness.md, "Ctrl-C"): the command stops at once, its
worker processes and their kernels end, and no half-executed ``.running.ipynb`` notebook is left.
That the next run removes those an earlier run killed with SIGKILL left (it had no chance to clean
up) is checked by ``test_crash_report``, whose last forced run finds them planted.

The command runs in a session of its own and gets SIGINT on its whole process group, which is
what a terminal's Ctrl-C does. How long it took is printed (docs/robustness.md gives the figure);
the test asserts what is left, not the time.
"""
from __future__ import annotations

import os
import shutil
import signal
import time
import uuid

import pytest

from test_crash_report import GUARD_SECONDS, PERIOD, REPO, start, tagged

pytestmark = pytest.mark.slow


def test_ctrl_c_stops_the_report_and_leaves_no_process_and_no_running_notebook(tmp_path):
    shutil.copytree(REPO / "data" / "raw", tmp_path / "data" / "raw")
    folder = tmp_path / "reports" / PERIOD
    tag = f"interrupt-{uuid.uuid4().hex}"
    err = tmp_path / "stderr.txt"
    with open(err, "wb") as stream:
        process = start(tmp_path, tag, "--force", stderr=stream)
        began = time.monotonic()
        while not list(folder.glob(".*.running.ipynb")) and process.poll() is None:
            assert time.monotonic() - began < GUARD_SECONDS, "no render started"
            time.sleep(0.05)
        time.sleep(0.5)  # the notebooks are executing in their kernels
        running = tagged(tag)
        assert any("ipykernel" in command for command in running.values()), running
        pressed = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        try:
            code = process.wait(timeout=GUARD_SECONDS)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        took = time.monotonic() - pressed
    print(f"\nCtrl-C to exit of mtqg report: {took:.2f} s ({len(running)} processes were running)")
    said = err.read_text(encoding="utf-8", errors="replace")
    assert code == 130, said
    assert "mtqg: interrupted" in said and "Traceback" not in said
    deadline = time.monotonic() + 10  # exited processes may take a moment to be reaped
    while tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not tagged(tag), f"processes of the interrupted run are still there: {tagged(tag)}"
    assert not list(folder.glob(".*.running.ipynb"))

