"""Where a data folder keeps things (spec §2): ``raw/``, ``processed/<period>/``, ``units.csv``.

Every command and the notebooks find the data folder the same way (:func:`resolve_data_dir`), and
the units table of a data folder is loaded in one place (:func:`units_for`).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Union

from ..domain.periods import PeriodLike, parse_period
from ..domain.units import Units, load_units

log = logging.getLogger(__name__)

UNITS_CSV = "units.csv"
#: A data folder as the loaders take it: a path (text or Path), or None for :func:`default_data_dir`.
DataDir = Union[str, "os.PathLike[str]", None]


def default_data_dir() -> Path:
    """``$MTQG_DATA_DIR``, else the nearest ``data/`` folder with ``raw/`` from here upwards
    (so notebooks running in ``notebooks/`` find the project's data)."""
    env = os.environ.get("MTQG_DATA_DIR")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for folder in [here, *here.parents]:
        if (folder / "data" / "raw").is_dir():
            return folder / "data"
    return Path("data")


def resolve_data_dir(data_dir: DataDir = None) -> Path:
    """``data_dir`` as a Path, or the default data folder when it is None or empty."""
    return Path(data_dir) if data_dir not in (None, "") else default_data_dir()


def raw_dir(data_dir: DataDir = None) -> Path:
    return resolve_data_dir(data_dir) / "raw"


def processed_dir(period: PeriodLike, data_dir: DataDir = None) -> Path:
    return resolve_data_dir(data_dir) / "processed" / str(parse_period(period))


def units_csv(data_dir: DataDir = None) -> Path:
    return raw_dir(data_dir) / UNITS_CSV


def units_for(data_dir: DataDir = None) -> Units:
    """The units of a data folder: its ``raw/units.csv``, else the packaged Bạch Thông list."""
    path = units_csv(data_dir)
    if path.exists():
        return load_units(path)
    log.info("no %s: using the packaged units of huyện Bạch Thông", path)
    return load_units()
