"""The one loader for the package's data files (``mtqg_analysis/data/``).

Everything that is vocabulary rather than logic lives there as CSV: the program catalog, the
Bạch Thông units, header words, money units, row words, code-word patterns, CSV header names,
the labels readers see, narrative templates and the page templates.
Changing how a word is understood means editing one of those files, not the code.
"""
from __future__ import annotations

import io
from functools import lru_cache
from importlib.resources import files

import pandas as pd


def data_path(name: str):
    """A traversable path to a packaged data file, e.g. ``data_path("catalog.csv")``."""
    return files("mtqg_analysis").joinpath("data", name)


def read_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _table(name: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(read_text(name)), dtype=str, keep_default_na=False)


def table(name: str) -> pd.DataFrame:
    """A packaged CSV as a DataFrame of strings (empty cells are ""). Returns a copy."""
    return _table(name).copy()
