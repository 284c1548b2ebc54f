"""``mtqg ARGS`` in a child process forked from a server that has already imported the package.

A fresh interpreter spends most of a small hostile case importing pandas and openpyxl; a child of
a forkserver that preloaded them and the modules ``mtqg clean`` uses (:data:`PRELOAD`; the command
itself imports them only when it cleans) starts with them imported, and is still a process of its
own: its peak memory is its own, a guard can kill it, a crash or a hang in it cannot take the test
session down.
"""
from __future__ import annotations

import faulthandler
import multiprocessing
import os
import resource
import signal
import sys
import traceback
from pathlib import Path

_CONTEXT = multiprocessing.get_context("forkserver")
# What `mtqg clean` imports on its way (the command line module imports none of it up front).
PRELOAD = ["mtqg_analysis.cli", "pandas", "pyarrow.parquet", "openpyxl", "xlrd", "odf.opendocument",
           "babel.numbers", "mtqg_analysis.store.build", "mtqg_analysis.extract.workbook",
           "mtqg_analysis.extract.xlsx", "mtqg_analysis.extract.cells", "mtqg_analysis.extract.formulas",
           "mtqg_analysis.extract.legacy", "mtqg_analysis.transform.tidy", "mtqg_analysis.validate.quality"]
_CONTEXT.set_forkserver_preload(PRELOAD)


def run(args: list[str], cwd: Path, guard_seconds: float) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr, peak RSS in bytes) of ``mtqg ARGS`` run in ``cwd``; the exit code
    is ``-SIGKILL`` when the guard had to kill the child."""
    out, err, usage = cwd / "stdout.txt", cwd / "stderr.txt", cwd / "maxrss.txt"
    child = _CONTEXT.Process(target=_main, args=(args, str(cwd), str(out), str(err), str(usage)))
    child.start()
    child.join(guard_seconds)
    if child.is_alive():
        child.kill()
        child.join()
        code = -signal.SIGKILL
    else:
        code = child.exitcode
    rss = int(usage.read_text()) * 1024 if usage.exists() else 0  # kilobytes on Linux
    return (code, out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"), rss)


def _main(args: list[str], cwd: str, out: str, err: str, usage: str) -> None:
    os.chdir(cwd)
    for fd, path in ((1, out), (2, err)):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(handle, fd)
        os.close(handle)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)
    faulthandler.enable()
    from mtqg_analysis.cli import main

    try:
        code = main(args)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # a traceback is what the hostile tests look for: let it show
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    Path(usage).write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    os._exit(code)
