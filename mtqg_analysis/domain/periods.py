"""Reporting periods (spec §1).

A period is year-to-date: ``2024-06`` is everything from 1 January through June 2024
("6 tháng đầu năm 2024"). Aliases are accepted everywhere a period is read (CLI, folder names,
notebook parameters) and always normalised to the canonical ``YYYY-MM`` form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from ..errors import ParameterError
from .labels import check_lang, fill

_CANONICAL = re.compile(r"^(\d{4})-(\d{2})$")
_ALIASES = {
    "H1": 6, "9M": 9, "FY": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12,
}
_ALIAS = re.compile(r"^(\d{4})(?:-(H1|9M|FY|Q[1-4]))?$", re.IGNORECASE)

ACCEPTED = "YYYY-MM (01-12), YYYY-H1, YYYY-9M, YYYY-Q1..Q4, YYYY-FY or YYYY"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: the months of ``year`` from January through ``month``, as ``YYYY-MM``."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def share_of_year(self) -> float:
        """Share of the year elapsed at the end of the period (June: 0.5)."""
        return self.month / 12


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
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return Period(year, month)
    else:
        match = _ALIAS.match(text)
        if match and 2000 <= int(match[1]) <= 2100:
            month = _ALIASES[match[2].upper()] if match[2] else 12
            return Period(int(match[1]), month)
    raise ParameterError(f"'{text}' is not a reporting period; use {ACCEPTED} (for example 2024-06)")


def canonical(value) -> str:
    """The canonical ``YYYY-MM`` text of a period or alias."""
    return str(parse_period(value))


def is_period(value) -> bool:
    try:
        parse_period(value)
    except ParameterError:
        return False
    return True


def label(period, lang: str = "vi") -> str:
    """The period's label as officers write it: "6 tháng đầu năm 2024", "9 tháng năm 2024"
    (the ``period.*`` entries of ``data/labels.csv``)."""
    p = parse_period(period)
    key = f"period.{p.month}" if p.month in (3, 6, 9, 12) else "period.other"
    return fill(key, check_lang(lang), year=p.year, month=p.month)


def previous_in_year(period, available) -> Period | None:
    """The latest period of the same year before ``period`` among ``available`` (spec §1).

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
