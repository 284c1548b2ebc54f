"""Reporting periods and phases (spec §1).

A period is year-to-date: ``2024-06`` is everything from 1 January through June 2024
("6 tháng đầu năm 2024"). Aliases are accepted everywhere a period is read (CLI, folder names,
notebook parameters) and always normalised to the canonical ``YYYY-MM`` form.

A year's capital may be disbursed until 31 January of the next year; the year-end report that
gives that figure is the period ``YYYY-EXT`` ("năm Y (giải ngân đến 31/01/Y+1)"). It sorts after
``YYYY-12``, whose period it follows, and its units are those in force on 31 December of Y.

A phase (giai đoạn, ``2021-2025``) is a span of years; its figures per year come from the year's
last period present (:func:`year_end_periods`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Union

from ..errors import ParameterError
from .labels import check_lang, fill

_CANONICAL = re.compile(r"^(\d{4})-(\d{2})$")
_EXTENDED = re.compile(r"^(\d{4})-EXT$", re.IGNORECASE)
_ALIASES = {
    "H1": 6, "9M": 9, "FY": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12,
}
_ALIAS = re.compile(r"^(\d{4})(?:-(H1|9M|FY|Q[1-4]))?$", re.IGNORECASE)
_PHASE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")

ACCEPTED = "YYYY-MM (01-12), YYYY-H1, YYYY-9M, YYYY-Q1..Q4, YYYY-FY, YYYY or YYYY-EXT"
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: year to date through ``month``; ``extended`` is the year-end window
    (``YYYY-EXT``: the year's capital disbursed until 31 January of the next year)."""

    year: int
    month: int
    extended: bool = False

    def __str__(self) -> str:
        return f"{self.year:04d}-EXT" if self.extended else f"{self.year:04d}-{self.month:02d}"

    @property
    def share_of_year(self) -> float:
        """Share of the year elapsed at the end of the period (June: 0.5; ``YYYY-EXT``: 1)."""
        return self.month / 12

    @property
    def end_date(self) -> dt.date:
        """The last day the period's units are taken at (spec §2.1): the month's last day; for
        ``YYYY-EXT`` 31 December of the year (the reorganisation is by the calendar year)."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


#: What every function taking a period accepts: a :class:`Period`, or its text (``"2024-06"``) or an
#: alias (``"2024-H1"``).
PeriodLike = Union[str, Period]


def parse_period(value: PeriodLike) -> Period:
    """Parse a period or an alias; raise :class:`ParameterError` naming the accepted forms."""
    if isinstance(value, Period):
        return value
    text = str(value).strip()
    match = _CANONICAL.match(text)
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
            return Period(year, month)
    elif _EXTENDED.match(text):
        year = int(_EXTENDED.match(text)[1])
        if FIRST_YEAR <= year <= LAST_YEAR:
            return Period(year, 12, extended=True)
    else:
        match = _ALIAS.match(text)
        if match and FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
            month = _ALIASES[match[2].upper()] if match[2] else 12
            return Period(int(match[1]), month)
    raise ParameterError(f"'{text}' is not a reporting period; use {ACCEPTED} (for example 2024-06)")


def canonical(value) -> str:
    """The canonical ``YYYY-MM`` (or ``YYYY-EXT``) text of a period or alias."""
    return str(parse_period(value))


def is_period(value) -> bool:
    try:
        parse_period(value)
    except ParameterError:
        return False
    return True


def label(period, lang: str = "vi") -> str:
    """The period's label as officers write it: "6 tháng đầu năm 2024", "9 tháng năm 2024",
    "năm 2024 (giải ngân đến 31/01/2025)" (the ``period.*`` entries of ``data/labels.csv``)."""
    p = parse_period(period)
    if p.extended:
        key = "period.ext"
    else:
        key = f"period.{p.month}" if p.month in (3, 6, 9, 12) else "period.other"
    return fill(key, check_lang(lang), year=p.year, month=p.month, next_year=p.year + 1)


def previous_in_year(period, available) -> Period | None:
    """The latest period of the same year before ``period`` among ``available`` (spec §1); for
    ``YYYY-EXT`` that is ``YYYY-12`` when present.

    The first period of a year has no previous period: in-period change is the period itself.
    """
    p = parse_period(period)
    earlier = [q for q in map(parse_period, available) if q.year == p.year and q < p]
    return max(earlier) if earlier else None


def year_so_far(period, available) -> list[Period]:
    """The periods among ``available`` of ``period``'s year up to and including it, oldest first:
    what a report of ``period`` shows as the year's trajectory."""
    p = parse_period(period)
    return sorted({q for q in map(parse_period, available) if q.year == p.year and q <= p})


# --- phases (giai đoạn) ---------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Phase:
    """A span of years, first and last included (``2021-2025``)."""

    first: int
    last: int

    def __str__(self) -> str:
        return f"{self.first:04d}-{self.last:04d}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))


def parse_phase(value) -> Phase:
    """``"2021-2025"`` -> :class:`Phase`; anything else is a :class:`ParameterError`."""
    if isinstance(value, Phase):
        return value
    text = str(value).strip()
    match = _PHASE.match(text)
    if match:
        first, last = int(match[1]), int(match[2])
        if FIRST_YEAR <= first <= last <= LAST_YEAR and last - first < 20:
            return Phase(first, last)
    raise ParameterError(f"'{text}' is not a phase; use YYYY-YYYY, the first and the last year (for example "
                         "2021-2025)")


def is_phase(value) -> bool:
    try:
        parse_phase(value)
    except ParameterError:
        return False
    return True


def phase_label(phase, lang: str = "vi") -> str:
    """"giai đoạn 2021-2025"."""
    p = parse_phase(phase)
    return fill("period.phase", check_lang(lang), first=p.first, last=p.last)


def year_end_periods(phase, available) -> dict[int, Period]:
    """``{year: period}`` for the years of ``phase`` that have a period among ``available``: the
    year's last period present (``YYYY-EXT``, else ``YYYY-12``, else the latest), spec §1."""
    p = parse_phase(phase)
    out: dict[int, Period] = {}
    for q in sorted(map(parse_period, available)):
        if p.first <= q.year <= p.last:
            out[q.year] = q  # sorted: the last one of each year stays
    return out
