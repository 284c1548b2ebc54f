"""One run per period at a time (docs/robustness.md, "Locking").

Two ``mtqg clean`` runs on the same period (a scheduled job and an officer at the keyboard)
must not interleave their writes to ``data/processed/<P>/``. :func:`period_lock` takes an
exclusive ``fcntl.flock`` on ``data/processed/.<P>.lock`` (beside the period folder, so that
removing or replacing the folder never drops the lock file of a running job). A second run waits
up to ``wait_seconds`` and then raises :class:`~mtqg_analysis.errors.BusyError`.

The kernel releases a flock when the process that holds it dies, however it dies (even
SIGKILL), so a crashed run never leaves the period locked; the lock file itself stays and is
harmless. The lock is advisory: it protects runs of this package from each other.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path
from typing import Iterator

from ..errors import BusyError

DEFAULT_WAIT_SECONDS = 60.0
POLL_SECONDS = 0.1


def lock_path(out_dir: str | Path) -> Path:
    """The lock file of a period folder ``data/processed/<P>``: ``data/processed/.<P>.lock``."""
    out_dir = Path(out_dir)
    return out_dir.parent / f".{out_dir.name}.lock"


@contextlib.contextmanager
def period_lock(out_dir: str | Path, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> Iterator[Path]:
    """Hold the period's lock for the duration of the ``with`` block.

    >>> with period_lock("data/processed/2024-06"):  # doctest: +SKIP
    ...     write_outputs(...)
    """
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                raise BusyError(
                    f"another mtqg run is working on {Path(out_dir).name}{holder} and did not finish within "
                    f"{wait_seconds:g} seconds; wait for it to finish and run the command again")
            time.sleep(POLL_SECONDS)
        _record_holder(fd)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _record_holder(fd: int) -> None:
    """Write our process id into the lock file, for the message another run shows."""
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
