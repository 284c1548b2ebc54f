"""mtqg-analysis: consolidate commune reports of the MTQG for ethnic-minority and mountainous areas.

The public entry point for analysts is :func:`load_period`, which returns the tidy table of a
reporting period (spec §4), building it from ``data/raw/<period>/`` when needed.
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("mtqg-analysis")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "load_period"]


def __getattr__(name: str):
    # Imported on first use: `mtqg report` with nothing to render must not pay for pandas.
    if name == "load_period":
        from .store import load_period

        return load_period
    raise AttributeError(f"module 'mtqg_analysis' has no attribute {name!r}")
