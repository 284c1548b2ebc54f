"""Notebook parameters, checked before papermill: nothing unchecked ever reaches a kernel.

Parameters are passed to the notebooks as text ("0012" stays "0012"); a period is normalised to
its canonical form, a unit code must be a plain code of ``units.csv``, the language one the
package writes.
"""
from __future__ import annotations

from ..domain.labels import check_lang
from ..domain.periods import parse_period, parse_phase
from ..domain.units import is_unit_code
from ..errors import ParameterError

# What a period or unit code may never contain, whatever the rest of the validation says.
_FORBIDDEN = ("'", '"', "\n", "\r", "\\", "__", "../", "..", "\x00", ";", "`", "$", "{", "}")


def refuse_unsafe(value, what: str) -> str:
    if not isinstance(value, str):
        raise ParameterError(f"{what} must be text, not {type(value).__name__} {value!r}")
    if any(bad in value for bad in _FORBIDDEN) or not value.isprintable():
        raise ParameterError(f"{what} {value!r} contains characters that are not allowed")
    return value


def validate_period(value) -> str:
    """The canonical ``YYYY-MM`` (or ``YYYY-EXT``) of a period or alias (spec §1), refusing anything else."""
    return str(parse_period(refuse_unsafe(value, "period").strip()))


def validate_phase(value) -> str:
    """The canonical ``YYYY-YYYY`` of a phase (spec §1), refusing anything else."""
    return str(parse_phase(refuse_unsafe(value, "phase").strip()))


def validate_lang(value) -> str:
    try:
        return check_lang(value)
    except ParameterError:
        raise ParameterError(f"--lang must be one of vi, en, not {value!r}") from None


def validate_unit_codes(codes, known: set[str]) -> list[str]:
    """Unit codes as text (leading zeros kept), each one a code of units.csv."""
    out = []
    for code in codes:
        code = refuse_unsafe(code, "unit code").strip()
        if not is_unit_code(code):
            raise ParameterError(f"unit code {code!r} is not a code (digits and letters only)")
        if code not in known:
            raise ParameterError(f"unknown unit code {code!r}: not in units.csv")
        if code not in out:
            out.append(code)
    return out
