"""Stage 3, validate: data-quality findings that report and never change the table (spec §4.2),
and what cleaning would say about a few files alone (:func:`check_files`, ``mtqg check``)."""
from .check import FileCheck, check_files, input_errors, period_findings
from .quality import files_not_read, quality

__all__ = ["FileCheck", "check_files", "files_not_read", "input_errors", "period_findings", "quality"]
