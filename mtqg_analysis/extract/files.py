"""Which files a period has (spec §2): the one place that lists ``data/raw/<period>/``.

Every report file of the period folder (subfolders included) is listed; Excel lock files
(``~$*``) and hidden files are skipped. Any other file, and any folder that cannot be listed, is
never dropped silently: :func:`period_listing` names it with what to do, and the run turns it into
a ``file_not_read`` finding. The processed table, its staleness check and the renders'
fingerprints all take their list of files from :func:`raw_files`.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..domain import resources
from ..domain.periods import Period, is_period, parse_period
from ..errors import InputError, NotReadable, Phrase

log = logging.getLogger(__name__)

REPORT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}
REPORT_KINDS = ".xlsx, .xlsm, .xls, .ods or .csv"


@lru_cache(maxsize=None)
def _advice() -> dict[str, dict[str, str]]:
    """What to do with a file of each other kind (``data/other_files.csv``), in both languages."""
    table = resources.table("other_files.csv")
    return {suffix: {"vi": vi, "en": en} for suffix, vi, en in zip(table["suffix"], table["vi"], table["en"])}


def advice_for(path: Path) -> dict[str, str]:
    """What an officer should do with a file that is not a report, by its kind (``{lang: text}``)."""
    advice = _advice()
    return advice.get(path.suffix.lower(), advice[""])


@dataclass
class Listing:
    """A period folder's report files, and what was found there that is not read (with why)."""

    files: list[Path] = field(default_factory=list)
    not_read: list[NotReadable] = field(default_factory=list)


def raw_periods(raw_root: Path) -> list[Period]:
    """Periods that have a folder under ``raw_root``, oldest first."""
    raw_root = Path(raw_root)
    if not raw_root.is_dir():
        return []
    return sorted({parse_period(p.name) for p in raw_root.iterdir() if p.is_dir() and is_period(p.name)})


def period_folder(raw_root: Path, period: Period) -> Path:
    """The folder of ``period`` under ``raw_root``: named canonically or by an alias (spec §1)."""
    raw_root = Path(raw_root)
    if not raw_root.is_dir():
        raise InputError.of("folder.no_raw", path=raw_root)
    matches = [p for p in sorted(raw_root.iterdir())
               if p.is_dir() and is_period(p.name) and parse_period(p.name) == period]
    if not matches:
        found = sorted(p.name for p in raw_root.iterdir() if p.is_dir() and is_period(p.name))
        hint = Phrase.of("phrase.periods_found", periods=", ".join(found)) if found else ""
        raise InputError.of("period.no_folder", period=period, path=raw_root, hint=hint)
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise InputError.of("period.several", period=period, names=names)
    folder = matches[0]
    if folder.is_symlink():
        # One message for the folder, not one "points outside" per file in it.
        raise InputError.of("period.folder_link", folder.name, target=folder.resolve(), name=folder.name)
    return folder


def period_listing(folder: Path) -> Listing:
    """Every report file under ``folder``, and every other file or unlistable folder, named."""
    folder = Path(folder)
    listing = Listing()
    root_name = folder.name

    def display(path: Path) -> str:
        return Path(root_name, path.relative_to(folder)).as_posix()

    def unlisted(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        listing.not_read.append(NotReadable.of("folder.unreadable", display(where) if where != folder else root_name,
                                               reason=error.strerror or error))

    found = []
    for parent, folders, names in os.walk(folder, onerror=unlisted, followlinks=False):
        parent = Path(parent)
        folders.sort()
        for name in list(folders):
            if name.startswith(".") or (parent / name).is_symlink():
                if (parent / name).is_symlink() and not name.startswith("."):
                    found.append(parent / name)  # a linked folder: named, not walked
                folders.remove(name)
        found += [parent / name for name in names]
    for path in sorted(found):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            log.info("ignored hidden file %s", relative)
        elif path.name.startswith("~$"):
            log.info("ignored Excel lock file %s", relative)
        elif path.is_dir():
            listing.not_read.append(NotReadable.of("folder.link", display(path), target=path.resolve()))
        elif path.suffix.lower() not in REPORT_SUFFIXES:
            listing.not_read.append(NotReadable.of("file.not_report", display(path), kinds=REPORT_KINDS,
                                                   advice=advice_for(path)))
        else:
            listing.files.append(path)
    return listing


def raw_files(folder: Path) -> list[Path]:
    """Every report file under ``folder`` (see :func:`period_listing` for the others)."""
    return period_listing(folder).files
