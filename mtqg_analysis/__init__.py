"""mtqg-analysis: consolidate commune reports of the MTQG for ethnic-minority and mountainous areas.

The entry points for analysts are :func:`load_period` (the tidy table of a reporting period,
spec §4), :func:`load_year` (everything a report of a period needs, loaded once),
:func:`load_phase` (the year-end tables of a phase, spec §1) and :func:`load_quality`; the figures are computed by :mod:`mtqg_analysis.analysis`.

The package is cut by stage, data flowing one way::

    domain -> extract -> transform -> validate -> store -> analysis -> report -> render -> cli
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("mtqg-analysis")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

_LAZY = {"load_period": "store", "load_year": "store", "load_phase": "store", "load_quality": "store"}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    # Imported on first use: `mtqg --help` must not pay for pandas.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'mtqg_analysis' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_LAZY])
