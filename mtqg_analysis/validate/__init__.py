"""Stage 3, validate: data-quality findings that report and never change the table (spec §4.2)."""
from .quality import files_not_read, quality

__all__ = ["files_not_read", "quality"]
