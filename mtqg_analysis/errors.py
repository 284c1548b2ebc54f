"""Errors in the user's terms: which file, sheet, row and column, and what is wrong.

The CLI prints them as lines and exits non-zero; no traceback reaches the user. Readers and
cleaners collect every error of a run into an :class:`InputErrors` so that a user fixes all of
them at once instead of one per run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


#: Errors a run prints on screen; the full list of a longer one goes to a file beside the outputs.
SHOWN_ERRORS = 50


class MtqgError(Exception):
    """Base class of every error the CLI turns into a clear message and a non-zero exit."""

    exit_code = 2


def _error_text(key: str, lang: str, values: dict) -> str:
    from .domain.messages import error_text  # loaded on first use: `mtqg --help` does not pay for pandas

    return error_text(key, lang, values)


@dataclass(frozen=True)
class Phrase:
    """A part of an error's text that differs by case (why a file is not a workbook, a missing
    column), worded in ``data/errors.csv`` under ``key`` like the errors themselves."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, **values) -> "Phrase":
        return cls(key, values)

    def text(self, lang: str = "en") -> str:
        return _error_text(self.key, lang, self.values)

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class InputError(MtqgError):
    """A problem with one place of one input file.

    Made with :meth:`of`, it has the ``key`` of its wording in ``data/errors.csv`` and the
    ``values`` that fill it: ``message`` is the English text (what cleaning prints), :meth:`text`
    the text in another language (what ``mtqg check`` prints in Vietnamese)."""

    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    key: str = field(default="", compare=False)
    values: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        super().__init__(str(self))

    @classmethod
    def of(cls, key: str, file: str = "", sheet: str = "", row: int | None = None, column: str = "", **values):
        """The error ``key`` of ``data/errors.csv`` at a place, its template filled with ``values``."""
        return cls(_error_text(key, "en", values), file, sheet, row, column, key, values)

    def text(self, lang: str = "en") -> str:
        """What is wrong and what to do, in ``lang`` (``message`` is the English)."""
        return _error_text(self.key, lang, self.values) if self.key and lang != "en" else self.message

    def at(self, file: str = "", sheet: str = "", row: int | None = None, column: str = "") -> "InputError":
        """The same error at another place (the message and its wording kept)."""
        return type(self)(self.message, file, sheet, row, column, self.key, self.values)

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


class NotReadable(InputError):
    """A file (or folder) of a period that cannot be opened or listed as a whole: the run goes on
    without it and names it in a ``file_not_read`` finding (spec §2), instead of stopping."""


@dataclass
class InputErrors(MtqgError):
    """Every input error found in one run, reported together.

    ``not_read`` lists the files of the period that could not be read at all (spec §2), so that a
    failed run names them too; ``full_list`` is the file holding every error when there are more
    than a screen shows.
    """

    errors: list[InputError] = field(default_factory=list)
    context: str = ""
    not_read: list[InputError] = field(default_factory=list)
    full_list: str = ""

    def __post_init__(self):
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.text()

    def text(self, limit: int | None = None) -> str:
        """The errors as lines; with ``limit``, the first ``limit`` and a count of the others."""
        head = f"{len(self.errors)} error(s)" + (f" in {self.context}" if self.context else "")
        shown = self.errors if limit is None else self.errors[:limit]
        lines = [f"  - {e}" for e in shown]
        if len(shown) < len(self.errors):
            where = f"; the full list is in {self.full_list}" if self.full_list else ""
            lines.append(f"  ... and {len(self.errors) - len(shown)} more error(s){where}")
        return head + ":\n" + "\n".join(lines)


class ParameterError(MtqgError, ValueError):
    """A bad command-line or notebook parameter (period, unit code, language, path)."""


class OutputError(MtqgError):
    """An output could not be written (a read-only folder, a full disk): the message names the
    path and what to do; the previous outputs are left whole."""

    exit_code = 4


class InstallError(MtqgError):
    """A library the package needs is not installed: the environment was made for another version
    of the package (a checkout updated without ``make venv``)."""

    exit_code = 5

    def __init__(self, module: str | None, prefix: str):
        super().__init__(f"the library '{module}' is not installed in {prefix}: this environment was made "
                         "for another version of mtqg-analysis; run `make venv` (or `pip install -c "
                         "constraints.txt -e .`) and try again")


class BusyError(MtqgError):
    """Another run holds the lock of the same period."""

    exit_code = 3
