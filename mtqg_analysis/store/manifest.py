"""What an output was made from: the one change-detection scheme of the package.

An output (a period's processed table, a rendered report) is current when the SHA-256 of every
raw file it was made from and of the package's own code and data are those recorded beside it.
Hashing a file costs a read, so a file whose size and modification time are those recorded keeps
its recorded hash (the usual case of an unchanged folder); any other file is read and hashed.

``data/processed/<P>/manifest.json``::

    {"package": "<sha256 of the package>",
     "files": {"2024-06/bao-cao.xlsx": {"size": 1234, "mtime_ns": 1719..., "sha256": "..."},
               "units.csv": {...}}}
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .atomic import file_sha256

MANIFEST = "manifest.json"
_PACKAGE_SUFFIXES = {".py", ".csv", ".json", ".css", ".j2", ".txt", ".md"}


@lru_cache(maxsize=None)
def package_hash() -> str:
    """One hash of the package's code and data files: a change in any of them rebuilds and
    re-renders what depends on it."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in _PACKAGE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(file_sha256(path).encode())
    return digest.hexdigest()


def file_records(files: list[Path], raw_root: Path, known: dict | None = None) -> dict[str, dict]:
    """``{path relative to raw_root: {size, mtime_ns, sha256}}``; ``known`` (records of an earlier
    manifest) spares hashing the files whose size and mtime did not change."""
    known = known or {}
    records = {}
    for path in files:
        name = path.relative_to(raw_root).as_posix()
        try:
            stat = path.stat()
            before = known.get(name) or {}
            if before.get("size") == stat.st_size and before.get("mtime_ns") == stat.st_mtime_ns and before.get("sha256"):
                sha = before["sha256"]
            else:
                sha = file_sha256(path)
        except OSError:
            # A file that cannot be read (named in a file_not_read finding): recorded without a hash,
            # so that it counts as changed once it can be read.
            records[name] = {"size": None, "mtime_ns": None, "sha256": None}
            continue
        records[name] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha}
    return records


def manifest(files: list[Path], raw_root: Path, known: dict | None = None) -> dict:
    return {"package": package_hash(), "files": file_records(files, raw_root, (known or {}).get("files"))}


def read_manifest(folder: Path) -> dict | None:
    """The manifest of ``folder``; None when there is none, or none of this shape (cut short,
    edited by hand, or written by an older version of the package in another layout): the output
    then counts as stale and is made again, never trusted or misread."""
    try:
        record = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(record, dict) and isinstance(record.get("package"), str)
            and isinstance(record.get("files"), dict) and all(isinstance(v, dict) for v in record["files"].values())):
        return None
    return record


def hashes(record: dict | None) -> dict[str, str]:
    """``{file: sha256}`` of a manifest: what two manifests are compared by."""
    return {name: entry["sha256"] for name, entry in ((record or {}).get("files") or {}).items()}


def same_inputs(recorded: dict | None, current: dict) -> bool:
    """Whether ``current`` describes the same package and file contents as ``recorded``."""
    return (recorded is not None and recorded.get("package") == current["package"]
            and hashes(recorded) == hashes(current))
