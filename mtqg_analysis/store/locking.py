"""One run per period at a time (docs/robustness.md, "Locking").

Two ``mtqg clean`` runs on the same period (a scheduled job and an officer at the keyboard)
must not interleave their writes to ``data/processed/<P>/``. :func:`period_lock` holds an
exclusive lock on ``data/processed/.<P>.lock`` (beside the period folder, so that removing or
replacing the folder never drops the lock file of a running job). A second run waits up to
``wait_seconds`` and then raises :class:`~mtqg_analysis.errors.BusyError`.

The lock is :class:`filelock.FileLock`, the same on every system: ``flock`` on Linux and macOS,
``LockFileEx`` on Windows, and, where neither exists (a file system without ``flock``), a marker
file whose holder is checked for being alive. The operating system releases the first two when
the process that holds them dies, however it dies (even SIGKILL), so a crashed run never leaves
the period locked; the lock file itself may stay and is harmless. The lock is advisory: it
protects runs of this package from each other.
"""
from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from typing import Iterator

from ..errors import BusyError

DEFAULT_WAIT_SECONDS = 60.0
POLL_SECONDS = 0.1
#: Windows locks byte 0 of the lock file and nobody else may read it meanwhile: the holder's
#: process id is written after it, where a waiting run can read it for its message.
HOLDER_OFFSET = 1


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
    lock = _acquire(path, max(wait_seconds, 0.0))
    if lock is None:
        raise BusyError(
            f"another mtqg run is working on {Path(out_dir).name}{_holder(path)} and did not finish within "
            f"{wait_seconds:g} seconds; wait for it to finish and run the command again")
    try:
        yield path
    finally:
        lock.release()


def _acquire(path: Path, wait_seconds: float):
    """The held lock, or None when another run still holds it after ``wait_seconds``."""
    import filelock

    try:
        return _try_lock(filelock.FileLock, path, wait_seconds)
    except OSError as exc:
        if exc.errno != errno.ENOSYS:
            raise
        return _try_lock(filelock.SoftFileLock, path, wait_seconds)  # a file system without native locks


def _try_lock(kind, path: Path, wait_seconds: float):
    import filelock

    # A native lock is given our process id on acquiring; a marker file records its holder itself.
    native = not issubclass(kind, filelock.SoftFileLock)
    lock = kind(path, timeout=wait_seconds, poll_interval=POLL_SECONDS,
                on_acquired=_record_holder if native else None)
    try:
        lock.acquire()
    except filelock.Timeout:
        return None
    return lock


def _record_holder(fd: int) -> None:
    """Write our process id into the lock file, for the message another run shows."""
    try:
        os.lseek(fd, HOLDER_OFFSET, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.ftruncate(fd, HOLDER_OFFSET + len(f"{os.getpid()}\n"))
    except OSError:
        pass


def _holder(path: Path) -> str:
    """`` (process N)`` when the lock file names its holder (a native lock's id after byte 0, a
    marker file's on its first line), else nothing."""
    for offset in (0, HOLDER_OFFSET):  # Windows refuses to read the locked byte 0: read after it
        try:
            with open(path, "rb") as handle:
                handle.seek(offset)
                head = handle.read(64)
            break
        except OSError:
            continue
    else:
        return ""
    lines = head.decode("ascii", "replace").strip("\x00").splitlines()
    pid = lines[0].strip() if lines else ""
    return f" (process {pid})" if pid.isdigit() else ""
