"""Stage 3, validate: data-quality findings that report and never change the table (spec §4.2)."""
from .quality import quality

__all__ = ["quality"]
