"""The text blocks of a report: its headline, a scorecard's headline, captions, provenance.

Every word comes from ``data/labels.csv`` (the ``headline.*``, ``text.*`` and ``provenance.*``
entries); the figures come from :mod:`mtqg_analysis.analysis`.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from ..analysis import ranking, total
from ..domain.labels import fill, label
from ..domain.notation import amount, percent
from ..domain.periods import label as period_label
from ..domain.units import Units

TIMEZONE = "Asia/Ho_Chi_Minh"  # the reports are read in Vietnam, whatever the server's clock says


def headline_markdown(funding: pd.DataFrame, period, units: Units | None = None, lang: str = "vi",
                      place: str = "") -> str:
    """The title and the headline figures of a period's report."""
    whole = total(funding)
    communes = funding["unit_code"].drop_duplicates()
    if units is not None:
        communes = communes[communes.map(units.is_commune)]
    where = f" – {place}" if place else ""
    lines = [
        f"# {label('section.report', lang)}{where}", "",
        f"**{fill('text.year_to_date', lang, label=period_label(period, lang))}**.", "",
        f"## {label('section.headline', lang)}", "",
        "- " + fill("headline.plan", lang, plan=amount(whole["plan_vnd"], lang)),
        "- " + fill("headline.disbursed", lang, disbursed=amount(whole["disbursed_vnd"], lang)),
        "- " + fill("headline.rate", lang, rate=percent(whole["financial_rate"], lang)),
        "- " + fill("headline.counts", lang, units=len(communes), lines=funding["line_code"].nunique()),
    ]
    return "\n".join(lines)


def unit_headline_markdown(funding: pd.DataFrame, unit_code: str, period, units: Units | None = None,
                           lang: str = "vi") -> str:
    """The title and headline figures of a unit's scorecard: its totals, the district's rate, its
    rank among the communes."""
    mine = funding[funding["unit_code"] == unit_code]
    me, whole = total(mine), total(funding)
    ranked = ranking(funding, units)
    row = ranked[ranked["unit_code"] == unit_code]
    rank = str(int(row["rank"].iloc[0])) if len(row) else "–"
    name = mine["unit_name"].iloc[0] if len(mine) else unit_code
    lines = [
        f"# {label('section.scorecard', lang)}: {name}", "",
        f"**{fill('text.year_to_date', lang, label=period_label(period, lang))}**.", "",
        f"## {label('section.unit_headline', lang)}", "",
        "- " + fill("headline.unit_money", lang, plan=amount(me["plan_vnd"], lang),
                    disbursed=amount(me["disbursed_vnd"], lang)),
        "- " + fill("headline.unit_rate", lang, rate=percent(me["financial_rate"], lang),
                    district_rate=percent(whole["financial_rate"], lang)),
        "- " + fill("headline.unit_rank", lang, rank=rank, of=len(ranked)),
    ]
    return "\n".join(lines)


def change_caption(period, previous, lang: str = "vi") -> str:
    """What the in-period change table shows (or that the period is the first of its year)."""
    if previous is None:
        return label("text.no_previous", lang)
    return fill("text.change_caption", lang, label=period_label(period, lang),
                previous=period_label(previous, lang))


def local_now() -> datetime:
    """Now, in Vietnam's time zone."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(TIMEZONE))


def provenance_markdown(parameters: dict, data_name: str = "", lang: str = "vi", when: datetime | None = None) -> str:
    """A footer line: package version, local time, the parameters and the data folder's name (never
    a path of the machine that rendered it). The input files go in a table beside it."""
    from .. import __version__

    when = when or local_now()
    shown = "; ".join(f"{key}: {value}" for key, value in parameters.items() if key != "data_dir" and value != "")
    return fill("provenance.line", lang, version=__version__, time=when.strftime("%d/%m/%Y %H:%M"),
                parameters=shown, data=data_name or "data")
