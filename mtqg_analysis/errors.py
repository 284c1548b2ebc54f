"""Errors in the user's terms: which file, sheet, row and column, and what is wrong.

The CLI prints them as lines and exits non-zero; no traceback reaches the user. Readers and
cleaners collect every error of a run into an :class:`InputErrors` so that a user fixes all of
them at once instead of one per run.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class MtqgError(Exception):
    """Base class of every error the CLI turns into a clear message and a non-zero exit."""

    exit_code = 2


@dataclass
class InputError(MtqgError):
    """A problem with one place of one input file."""

    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __post_init__(self):
        super().__init__(str(self))

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(f"file {self.file}")
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


@dataclass
class InputErrors(MtqgError):
    """Every input error found in one run, reported together."""

    errors: list[InputError] = field(default_factory=list)
    context: str = ""

    def __post_init__(self):
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{len(self.errors)} error(s)" + (f" in {self.context}" if self.context else "")
        return head + ":\n" + "\n".join(f"  - {e}" for e in self.errors)


class ParameterError(MtqgError, ValueError):
    """A bad command-line or notebook parameter (period, unit code, language, path)."""


class BusyError(MtqgError):
    """Another run holds the lock of the same period."""

    exit_code = 3
