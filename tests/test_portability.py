"""Windows and other systems without POSIX calls (README "On Windows").

CI runs on Linux only: what can be shown here is that the package imports and cleans with
``fcntl`` unavailable (as on Windows), that the lock keeps its behaviour on the lock that is then
used, and that no POSIX-only call is left in the package's code.
"""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO, mtqg_process
from sample_render import copy_sample

WITHOUT_FCNTL = "sys.modules['fcntl'] = None  # `import fcntl` raises ImportError, as on Windows"

# Modules and calls that exist on Linux and macOS only (the Python documentation's "Availability: Unix").
POSIX_MODULES = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "posix", "syslog", "crypt"}
POSIX_CALLS = {
    "os": {"fork", "forkpty", "setsid", "setpgrp", "getpgid", "killpg", "getuid", "geteuid", "getgid", "chown",
           "lchown", "fchown", "fchmod", "pread", "pwrite", "O_CLOEXEC", "O_NOFOLLOW", "O_DIRECTORY", "sync",
           "uname", "getloadavg", "mkfifo", "sched_getaffinity", "posix_fadvise", "WNOHANG", "wait3", "wait4"},
    "signal": {"SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGPIPE", "alarm",
               "setitimer", "pthread_kill", "siginterrupt"},
}
POSIX_KEYWORDS = {"preexec_fn", "start_new_session", "pass_fds"}


def test_the_package_imports_and_cleans_the_sample_without_fcntl(tmp_path):
    data = copy_sample(tmp_path / "data")
    run = mtqg_process("clean", "--period", "2024-06", "--data-dir", data,
                       prelude=f"{WITHOUT_FCNTL}\nimport mtqg_analysis, mtqg_analysis.store, mtqg_analysis.render")
    assert run.returncode == 0, run.stderr
    assert "64 rows" in run.stdout
    assert (data / "processed" / "2024-06" / "funding.parquet").exists()
    assert "Traceback" not in run.stderr


def posix_only_uses(source: str) -> list[str]:
    """Where ``source`` imports a POSIX-only module or uses a POSIX-only call or argument."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in POSIX_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in POSIX_MODULES:
            found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.ImportFrom) and node.module in POSIX_CALLS:
            found += [f"from {node.module} import {a.name}" for a in node.names if a.name in POSIX_CALLS[node.module]]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in POSIX_CALLS.get(node.value.id, ()):
                found.append(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg in POSIX_KEYWORDS:
            found.append(f"{node.arg}=")
        elif isinstance(node, ast.Constant) and node.value == "fork":
            found.append("'fork'")
    return found


def test_the_scan_finds_what_the_old_lock_used():
    old = "import fcntl, os\nfd = os.open(p, os.O_RDWR | os.O_CLOEXEC)\nfcntl.flock(fd, fcntl.LOCK_EX)\nos.pwrite(fd, b'1', 0)"
    assert sorted(posix_only_uses(old)) == ["import fcntl", "os.O_CLOEXEC", "os.pwrite"]


def test_no_posix_only_call_in_the_package():
    uses = {}
    for path in sorted((REPO / "mtqg_analysis").rglob("*.py")):
        found = posix_only_uses(path.read_text(encoding="utf-8"))
        if found:
            uses[str(path.relative_to(REPO))] = found
    assert uses == {}


def test_no_posix_only_call_in_the_notebooks():
    for path in sorted((REPO / "notebooks").glob("*.py")):
        assert posix_only_uses(path.read_text(encoding="utf-8")) == [], path.name


def test_an_output_open_in_another_program_is_named_and_the_old_outputs_stay(data_dir, make_workbook, mtqg,
                                                                              monkeypatch):
    """Windows refuses to replace a file another program holds open (Excel keeps funding.csv it
    shows): the run says which file and what to do, and the period is rebuilt by the next run."""
    import os

    from conftest import tree_bytes
    from mtqg_analysis.store import atomic, is_stale
    from workbook_builder import PERIOD, Sheet

    housing = ("1", "Nội dung số 02: Hỗ trợ nhà ở", "nhà", 7, "12", 3, "10", None, None)
    make_workbook("a.xlsx", Sheet(rows=[housing]))
    assert mtqg("clean", "--period", PERIOD, "--data-dir", data_dir).code == 0
    out = data_dir / "processed" / PERIOD
    before = tree_bytes(out)
    make_workbook("a.xlsx", Sheet(rows=[housing[:5] + ("11",) + housing[6:]]))

    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith("funding.csv"):
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    run = mtqg("clean", "--period", PERIOD, "--data-dir", data_dir)
    assert run.code == 4 and "Traceback" not in run.stderr  # an output could not be written
    assert f"cannot replace {out / 'funding.csv'}" in run.stderr and "close it and run again" in run.stderr
    after = tree_bytes(out)
    for name in ("funding.parquet", "funding.csv", "manifest.json"):
        assert after[name] == before[name], name
    assert not [name for name in after if name.endswith(".tmp")]
    assert is_stale(PERIOD, data_dir)  # the next run rebuilds the period
