"""Where a data folder keeps things (spec §2): ``raw/``, ``processed/<period>/``, ``units.csv``.

Every command and the notebooks find the data folder the same way (:func:`resolve_data_dir`), and
the units table of a data folder is loaded in one place (:func:`units_for`).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ..domain.periods import parse_period
from ..domain.units import Units, load_units

log = logging.getLogger(__name__)

UNITS_CSV = "units.csv"


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


def resolve_data_dir(data_dir=None) -> Path:
    """``data_dir`` as a Path, or the default data folder when it is None or empty."""
    return Path(data_dir) if data_dir not in (None, "") else default_data_dir()


def raw_dir(data_dir=None) -> Path:
    return resolve_data_dir(data_dir) / "raw"


def processed_dir(period, data_dir=None) -> Path:
    return resolve_data_dir(data_dir) / "processed" / str(parse_period(period))


def units_csv(data_dir=None) -> Path:
    return raw_dir(data_dir) / UNITS_CSV


#: The shipped sample's data folder (the repository's ``data/``): the only one that may do without
#: a units.csv, as the packaged Bạch Thông list describes its units.
SAMPLE_DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def units_for(data_dir=None) -> Units:
    """The units of a data folder: its ``raw/units.csv``. A missing file is an error saying where
    it was looked for (spec §2.1), except on the shipped sample, which falls back to the packaged
    Bạch Thông list and says so in the log."""
    path = units_csv(data_dir)
    if path.exists() or resolve_data_dir(data_dir).resolve() != SAMPLE_DATA_DIR:
        return load_units(path)
    log.info("no %s: using the packaged units of huyện Bạch Thông (the shipped sample)", path)
    return load_units()
