"""SIGKILL ``mtqg report`` at random points (docs/robustness.md, "Crash safety of reports").

A first run renders the 2024-06 district report and the scorecard of Vi Hương on a tmp copy of
``data/raw`` and records every output. Then, repeatedly, ``mtqg report --force`` (so that it really
renders) is started in a session of its own and the whole process group (the command and its
worker processes) is killed with SIGKILL at a seeded random moment, the moments spread over the
duration of the first run. After every kill:

- each output is either the previous file, byte for byte, or a complete new one (a render that
  finished before the kill): a whole HTML page with the same content, a valid notebook, a workbook
  openpyxl reads with the same cells, a fingerprint with the same inputs; never half a file;
- no file other than the outputs is visible: temporary files may only be hidden dot-files;
- the kernels the killed run had started stop on their own (their parent is gone); a guard kills
  any that is still there and the test fails, so no process outlives the test either way.

Then an uninterrupted forced run and a normal run succeed, and no hidden temporary file of the
killed runs is left. The random moments only choose where the kills land; nothing asserts how long
anything took. The number of kills that landed while a render was in progress (a kernel running,
or a file written since the start) is printed.

A kill lands inside one of the atomic writes (a few milliseconds each) only now and then, so
before the last forced run the test plants the hidden files such a kill leaves
(``.<name>.<random>.tmp`` of :mod:`mtqg_analysis.store.atomic`, the papermill working notebook)
and checks that the run removes them. ``MTQG_REPORT_CRASH_KILLS`` sets the number of kills (4 in
``make test``; 40 for a thorough run).
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import mtqg_command

REPO = Path(__file__).resolve().parents[1]
KILLS = int(os.environ.get("MTQG_REPORT_CRASH_KILLS", "4"))  # more for a thorough run, e.g. 40
PLANNING_KILLS = 2  # of KILLS, before any kernel started; the others while the notebooks run
UNIT = "01975"
PERIOD = "2024-06"
GUARD_SECONDS = 300  # a hung render is a failure, not a stuck suite
ORPHAN_GUARD_SECONDS = 30  # the kernels' parent poller checks every second
TAG = "MTQG_REPORT_CRASH_TAG"

pytestmark = pytest.mark.slow


def report_args(base: Path, *extra: str) -> list[str]:
    return [*mtqg_command(), "report", "--period", PERIOD, "--units", UNIT, "--jobs", "2",
            "--data-dir", str(base / "data"), "--reports-dir", str(base / "reports"), *extra]


def start(base: Path, tag: str, *extra: str, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """``mtqg report`` in a new session (its own process group), every descendant marked by ``tag``
    in its environment so that kernels, which jupyter_client starts in sessions of their own, can be
    found as well."""
    env = {**os.environ, TAG: tag, "PYTHONUNBUFFERED": "1"}
    env.pop("MTQG_DATA_DIR", None)
    return subprocess.Popen(report_args(base, *extra), stdout=subprocess.DEVNULL, stderr=stderr, env=env,
                            start_new_session=True)


def first_kernel(process: subprocess.Popen, tag: str) -> float:
    """Wait until a kernel of the run tagged ``tag`` is running (or the run ended); the seconds it took."""
    began = time.monotonic()
    while process.poll() is None and time.monotonic() - began < GUARD_SECONDS:
        if any("ipykernel" in cmd for cmd in tagged(tag).values()):
            break
        time.sleep(0.05)
    return time.monotonic() - began


def timed_run(base: Path, tag: str) -> tuple[int, str, float, float]:
    """The first, uninterrupted run: exit code, stderr, and how long it planned and rendered (these
    only place the kill moments)."""
    err = base / "stderr-timed.txt"
    with open(err, "wb") as stream:
        process = start(base, tag, stderr=stream)
        try:
            began = time.monotonic()
            planning = first_kernel(process, tag)
            code = process.wait(timeout=GUARD_SECONDS)
            rendering = time.monotonic() - began - planning
        finally:
            kill_group(process)
    return code, err.read_text(encoding="utf-8", errors="replace"), planning, rendering


def run(base: Path, tag: str, *extra: str) -> tuple[int, str]:
    err = base / f"stderr-{tag.replace('/', '-')}.txt"
    with open(err, "wb") as stream:
        process = start(base, tag, *extra, stderr=stream)
        try:
            code = process.wait(timeout=GUARD_SECONDS)
        finally:
            kill_group(process)
    return code, err.read_text(encoding="utf-8", errors="replace")


# --- processes ------------------------------------------------------------------------------------
def tagged(tag: str) -> dict[int, str]:
    """Live processes (not zombies) whose environment's ``TAG`` starts with ``tag``: pid -> command line."""
    found = {}
    marker = f"{TAG}={tag}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if not any(v.startswith(marker) for v in (entry / "environ").read_bytes().split(b"\0")):
                continue
            stat = (entry / "stat").read_text()
            if stat[stat.rindex(")") + 2] in "ZX":
                continue
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
    return found


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=60)


def wait_for_orphans(tag: str) -> dict[int, str]:
    """Wait for the processes a killed run left (kernels) to stop by themselves; SIGKILL any still
    running after the guard and return them (each one is a failure)."""
    deadline = time.monotonic() + ORPHAN_GUARD_SECONDS
    while tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = tagged(tag)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


# --- outputs --------------------------------------------------------------------------------------
def snapshot(reports: Path) -> dict[str, bytes]:
    """Every file under reports/ except the runs' lock files (hidden, holding the last run's pid)."""
    return {p.relative_to(reports).as_posix(): p.read_bytes() for p in sorted(reports.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def hidden(name: str) -> bool:
    return any(part.startswith(".") for part in name.split("/"))


# "lúc <local time>" in the provenance, "ngày <local date>" in the headline
_STAMP = re.compile(rb"l\xc3\xbac \d\d/\d\d/\d{4} \d\d:\d\d|ng\xc3\xa0y \d\d/\d\d/\d{4}")


def _docx_text(data: bytes) -> list[str]:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]


def _cells(data: bytes) -> list:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in book.worksheets]


def problem_with_new(name: str, old: bytes, new: bytes) -> str | None:
    """Why ``new`` is not a complete version of the output ``name`` whose previous bytes are ``old``
    (None when it is). Outputs of a re-render differ from the previous ones only by times."""
    try:
        if name.endswith(".html"):
            if not new.endswith(b"</html>\n"):
                return "cut short"
            if _STAMP.sub(b"", new) != _STAMP.sub(b"", old):
                return "different content"
        elif name.endswith(".fingerprint.json"):
            record, before = json.loads(new), json.loads(old)
            same = ("title", "period", "stem")
            if [record[k] for k in same] != [before[k] for k in same] or set(record) != set(before):
                return "different record"
            inputs, was = record["inputs"], before["inputs"]
            if set(inputs) != set(was) or [inputs[k] for k in ("inputs", "parameters")] != \
                    [was[k] for k in ("inputs", "parameters")]:
                return "different inputs"  # (the package's hash changes when its code is edited)
        elif name.endswith(".ipynb"):
            import nbformat

            nb, before = nbformat.reads(new.decode(), as_version=4), nbformat.reads(old.decode(), as_version=4)
            nbformat.validate(nb)
            if len(nb.cells) != len(before.cells) or nb.metadata.get("papermill", {}).get("exception"):
                return "not the same executed notebook"
            if any(c.cell_type == "code" and c.execution_count is None for c in nb.cells):
                return "not every cell executed"
            if [c.get("outputs") and len(c.outputs) for c in nb.cells] != \
                    [c.get("outputs") and len(c.outputs) for c in before.cells]:
                return "different outputs"
        elif name.endswith(".xlsx"):
            if _cells(new) != _cells(old):
                return "different cells"
        elif name.endswith(".docx"):
            if _docx_text(new) != _docx_text(old):
                return "different text"
        else:
            return "unexpected change"
    except Exception as exc:  # noqa: BLE001  (anything unreadable is a partial file)
        return f"unreadable: {type(exc).__name__}: {exc}"
    return None


def check_outputs(reports: Path, baseline: dict[str, bytes], when: str) -> set[str]:
    """Every visible output whole (old bytes or a complete new file); returns the hidden files."""
    now = snapshot(reports)
    visible = {name for name in now if not hidden(name)}
    assert visible == set(baseline), f"{when}: visible files {sorted(visible ^ set(baseline))} appeared/vanished"
    for name, old in baseline.items():
        if now[name] != old:
            problem = problem_with_new(name, old, now[name])
            assert problem is None, f"{when}: {name} is partial or wrong ({problem})"
    return {name for name in now if hidden(name)}


# What a kill inside an atomic write leaves (``.<name>.<random>.tmp`` of mtqg_analysis.store.atomic,
# and papermill's working notebook).
PLANTED = {f"{PERIOD}/.report.html.k1ll3d0.tmp": b"<!DOCTYPE html>\n<html lang=",
           f"{PERIOD}/.summary.xlsx.k1ll3d1.tmp": b"PK\x03\x04",
           f"{PERIOD}/.thong-bao.docx.k1ll3d3.tmp": b"PK\x03\x04",
           f"{PERIOD}/.{UNIT}.fingerprint.json.k1ll3d2.tmp": b'{"inputs": {',
           f"{PERIOD}/.report.running.ipynb": b'{"cells": [',
           f"{PERIOD}/.01990.running.ipynb": b"{}",  # a unit this run does not render
           ".index.html.k1ll3d3.tmp": b"<!DOCTYPE html>"}


# --- the test -------------------------------------------------------------------------------------
def test_killed_report_runs_leave_every_output_whole(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copytree(REPO / "data" / "raw", tmp_path / "data" / "raw")
    reports = tmp_path / "reports"
    tag = uuid.uuid4().hex + "/"  # each run's own tag starts with it and ends with "/"
    leftovers_seen: set[str] = set()
    in_progress = 0
    try:
        # the first run, uninterrupted: its outputs are the baseline, and how long it planned and
        # rendered places the kill moments
        code, err, planning, rendering = timed_run(tmp_path, f"{tag}first/")
        assert code == 0, err
        assert wait_for_orphans(tag) == {}
        baseline = snapshot(reports)
        assert {"index.html", f"{PERIOD}/report.html", f"{PERIOD}/report.ipynb", f"{PERIOD}/summary.xlsx",
                f"{PERIOD}/thong-bao.docx", f"{PERIOD}/report.fingerprint.json", f"{PERIOD}/{UNIT}.html", f"{PERIOD}/{UNIT}.ipynb",
                f"{PERIOD}/{UNIT}.fingerprint.json"} == set(baseline), sorted(baseline)

        rng = random.Random(20240630)
        for attempt in range(KILLS):
            attempt_tag = f"{tag}{attempt}/"
            before = time.time()
            process = start(tmp_path, attempt_tag, "--force")
            if attempt < PLANNING_KILLS:  # while it validates, plans and imports
                time.sleep(rng.uniform(0.0, planning))
            else:  # once a kernel runs: one moment in each slice of the first run's render phase and after it
                slice_ = (attempt - PLANNING_KILLS + rng.random()) / (KILLS - PLANNING_KILLS)
                first_kernel(process, attempt_tag)
                time.sleep(slice_ * rendering * 1.1)  # where the kill lands, not a timing assertion
            running = process.poll() is None
            kernels = [cmd for cmd in tagged(attempt_tag).values() if "ipykernel" in cmd]
            kill_group(process)
            # a render's hidden working files, or outputs it already replaced, written since it started
            work = sorted(p.name for p in reports.rglob("*") if p.is_file() and p.stat().st_mtime >= before)
            landed = running and bool(kernels or work)
            in_progress += landed
            print(f"kill {attempt}: {'during a render' if landed else 'outside renders'} (command running: "
                  f"{running}, kernels: {len(kernels)}, files written: {work})")
            orphans = wait_for_orphans(attempt_tag)
            assert orphans == {}, f"kill {attempt}: processes outlived the killed run: {orphans}"
            leftovers_seen |= check_outputs(reports, baseline, f"kill {attempt}")

        print(f"\n{KILLS} kills of mtqg report, {in_progress} while a render was in progress; "
              f"hidden files left by the killed runs: {sorted(leftovers_seen)}")
        assert in_progress >= (KILLS - PLANNING_KILLS) // 2, "the kills should mostly land during renders"

        # A kill lands inside one of the atomic writes (a few milliseconds each) only now and then:
        # plant the hidden files such a kill leaves, which the next run that renders must remove.
        for name, data in PLANTED.items():
            (reports / name).write_bytes(data)
        code, err = run(tmp_path, f"{tag}final/", "--force")
        assert code == 0, err
        assert wait_for_orphans(tag) == {}
        left = check_outputs(reports, baseline, "after an uninterrupted run")
        code, err = run(tmp_path, f"{tag}normal/")
        assert code == 0 and "unchanged 2024-06 report" in err, err
        assert check_outputs(reports, baseline, "after a normal run") == left
        assert left == set(), f"hidden temporary files of killed runs are never removed: {sorted(left)}"
    finally:
        for pid in tagged(tag):  # whatever failed above, no process of this test outlives it
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
