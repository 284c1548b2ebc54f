"""Stage 2, transform: raw tables -> the tidy table of spec §4.1 (:func:`clean_tables`)."""
from .tidy import Cleaned, clean_tables

__all__ = ["Cleaned", "clean_tables"]
