"""Which files a period has (spec §2): the one place that lists ``data/raw/<period>/``.

Every report file of the period folder (subfolders included) is listed; Excel lock files
(``~$*``) and hidden files are skipped. The processed table, its staleness check and the renders'
fingerprints all take their list of files from :func:`raw_files`.
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..domain.periods import Period, is_period, parse_period
from ..errors import InputError

log = logging.getLogger(__name__)

REPORT_SUFFIXES = {".xlsx", ".xlsm", ".csv"}


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
        raise InputError(f"the raw data folder does not exist (looked for {raw_root})")
    matches = [p for p in sorted(raw_root.iterdir())
               if p.is_dir() and is_period(p.name) and parse_period(p.name) == period]
    if not matches:
        found = sorted(p.name for p in raw_root.iterdir() if p.is_dir() and is_period(p.name))
        hint = f"; periods found: {', '.join(found)}" if found else ""
        raise InputError(f"no raw folder for period {period} under {raw_root}{hint}")
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise InputError(f"several raw folders name period {period} ({names}); keep one")
    return matches[0]


def raw_files(folder: Path) -> list[Path]:
    """Every report file under ``folder``; lock files, hidden files and others are logged."""
    files = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_dir():
            continue
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            log.info("ignored hidden file %s", relative)
        elif path.name.startswith("~$"):
            log.info("ignored Excel lock file %s", relative)
        elif path.suffix.lower() not in REPORT_SUFFIXES:
            log.info("ignored %s (not .xlsx, .xlsm or .csv)", relative)
        else:
            files.append(path)
    return files
