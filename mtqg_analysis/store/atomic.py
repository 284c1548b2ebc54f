"""Atomic file writes (spec §4.3): a reader never sees half a file, a failed run leaves the old one.

Every output goes to a hidden temporary file in the destination folder, is flushed to disk, and
is renamed over the destination (``os.replace`` is atomic on one file system). Also the file
hash that provenance footers and render fingerprints use.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from ..errors import OutputError

_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


@contextlib.contextmanager
def atomic_path(destination: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; on success it replaces ``destination``."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared files
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        try:
            os.replace(tmp_path, destination)
        except PermissionError as exc:
            raise OutputError(f"cannot replace {destination} ({exc.strerror}); if another program has it open "
                              "(Excel on Windows locks the files it shows), close it and run again") from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file, read in blocks (inputs' provenance and render fingerprints)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_leftovers(folder: str | Path) -> list[Path]:
    """Delete temporary files a killed run left in ``folder`` (call it while holding the lock)."""
    removed = []
    for leftover in Path(folder).glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def write_bytes(destination: str | Path, data: bytes) -> None:
    with atomic_path(destination) as tmp:
        tmp.write_bytes(data)


def write_text(destination: str | Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(destination, text.encode(encoding))


def write_with(destination: str | Path, writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` and move the result into place, e.g.
    ``write_with(p, lambda t: frame.to_parquet(t))``."""
    with atomic_path(destination) as tmp:
        writer(tmp)


def replace_all(pairs: list[tuple[Path, Path]]) -> None:
    """Rename several finished temporary files into place, last step of a multi-file output."""
    for tmp, destination in pairs:
        os.replace(tmp, destination)


def output_error(exc: OSError, folder: str | Path) -> OutputError:
    """An :class:`OutputError` for an OS error met while writing into ``folder``: which path, why
    and what to do (a read-only or foreign folder, a full disk), and that nothing was lost."""
    path = exc.filename or folder
    kept = "the previous outputs were left as they were"
    if exc.errno in _READ_ONLY:
        return OutputError(f"cannot write to {path} ({exc.strerror}): the folder is read-only or belongs to "
                           "another user; give the user running mtqg permission to write there, or choose a "
                           f"writable folder (--data-dir / --reports-dir); {kept}")
    if exc.errno in _FULL:
        return OutputError(f"the disk is full while writing {path} ({exc.strerror}); free some space (or use a "
                           f"folder on another disk with --data-dir / --reports-dir) and run again; {kept}")
    return OutputError(f"cannot write {path} ({exc.strerror or exc}); check the folder and run again; {kept}")
