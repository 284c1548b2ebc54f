"""Where a data folder keeps things (spec §2): ``raw/``, ``processed/<period>/``, ``units.csv``,
``catalog.csv``.

Every command and the notebooks find the data folder the same way (:func:`resolve_data_dir`), and
the units table and the programme catalog of a data folder are loaded in one place each
(:func:`units_for`, :func:`catalog_for`). One data folder holds one programme (spec §2.2).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Union

from ..domain.catalog import DEFAULT_PROGRAMME, Catalog, load_catalog
from ..domain.periods import PeriodLike, parse_period
from ..domain.units import Units, load_units
from ..errors import ParameterError

log = logging.getLogger(__name__)

UNITS_CSV = "units.csv"
CATALOG_CSV = "catalog.csv"
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


def catalog_csv(data_dir: DataDir = None) -> Path:
    return raw_dir(data_dir) / CATALOG_CSV


def catalog_for(data_dir: DataDir = None) -> Catalog:
    """The programme catalog of a data folder (spec §2.2): its ``raw/catalog.csv`` when present,
    else the package's default, the 1719 catalog."""
    path = catalog_csv(data_dir)
    if path.exists():
        return load_catalog(path)
    return load_catalog()


#: The shipped sample's data folder (the repository's ``data/``): the only one that may do without
#: a units.csv, as the packaged Bạch Thông list describes its units.
SAMPLE_DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def units_for(data_dir: DataDir = None) -> Units:
    """The units of a data folder: its ``raw/units.csv``. A missing file is an error saying where
    it was looked for (spec §2.1), except on the shipped sample, which falls back to the packaged
    Bạch Thông list and says so in the log."""
    path = units_csv(data_dir)
    if path.exists() or resolve_data_dir(data_dir).resolve() != SAMPLE_DATA_DIR:
        return load_units(path)
    log.info("no %s: using the packaged units of huyện Bạch Thông (the shipped sample)", path)
    return load_units()


def init_data_folder(data_dir, programme: str = DEFAULT_PROGRAMME, units=None, catalog=None,
                     force: bool = False) -> list[Path]:
    """Prepare a new data folder for one programme (spec §2, §2.2): ``raw/catalog.csv`` (the
    packaged catalog of ``programme``, or the CSV ``catalog``), ``raw/units.csv`` (the CSV
    ``units``, else the packaged Bạch Thông units as an example to edit) and empty ``processed/``.
    Both files are checked before anything is written; existing ones are kept unless ``force``.
    Returns the files written."""
    from ..domain import resources
    from ..domain.catalog import programme_file
    from .atomic import write_bytes

    data_dir = resolve_data_dir(data_dir)
    if catalog is not None:
        load_catalog(catalog)  # a catalog that cannot be used is refused before anything is written
        catalog_bytes = Path(catalog).read_bytes()
    else:
        catalog_bytes = resources.data_path(programme_file(programme)).read_bytes()
    if units is not None:
        load_units(units)
        units_bytes = Path(units).read_bytes()
    else:
        units_bytes = resources.data_path("units-bach-thong.csv").read_bytes()
    targets = [(catalog_csv(data_dir), catalog_bytes), (units_csv(data_dir), units_bytes)]
    existing = [path for path, _ in targets if path.exists()]
    if existing and not force:
        raise ParameterError(f"{', '.join(map(str, existing))} already exist(s); keep them, or add --force to "
                             "replace them")
    raw_dir(data_dir).mkdir(parents=True, exist_ok=True)
    (data_dir / "processed").mkdir(parents=True, exist_ok=True)
    for path, data in targets:
        write_bytes(path, data)
    return [path for path, _ in targets]
